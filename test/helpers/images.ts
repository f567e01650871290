import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export async function tempDir(prefix = 'parsepose-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A w x h RGB gradient image (so orientation and colour checks have something to see). */
export function gradient(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      b[i] = Math.round((x / Math.max(1, w - 1)) * 255);
      b[i + 1] = Math.round((y / Math.max(1, h - 1)) * 255);
      b[i + 2] = 64;
    }
  }
  return b;
}

/** Writes one of every input kind the decoder must handle; returns their paths by name. */
export async function writeInputZoo(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const raw = { raw: { width: 40, height: 30, channels: 3 as const } };
  const g = gradient(40, 30);
  const p = (n: string) => join(dir, n);
  const files: Record<string, string> = {
    jpeg: p('a.jpg'),
    exif6: p('b_exif6.jpg'),
    png: p('c.png'),
    webp: p('d.webp'),
    gray: p('e_gray.png'),
    cmyk: p('f_cmyk.jpg'),
    png16: p('g_16bit.png'),
    alpha: p('h_alpha.png'),
    empty: p('x_empty.jpg'),
    text: p('x_text.jpg'),
    truncated: p('x_truncated.jpg'),
  };
  await sharp(g, raw).jpeg().toFile(files.jpeg);
  // Stored 40x30 landscape with orientation 6 (rotate 90° clockwise to display): decodes as 30x40.
  await sharp(g, raw).jpeg().withMetadata({ orientation: 6 }).toFile(files.exif6);
  await sharp(g, raw).png().toFile(files.png);
  await sharp(g, raw).webp().toFile(files.webp);
  await sharp(g, raw).grayscale().png().toFile(files.gray);
  await sharp(g, raw).toColourspace('cmyk').jpeg().toFile(files.cmyk);
  await sharp(g, raw).toColourspace('rgb16').png().toFile(files.png16);
  await sharp(g, raw).ensureAlpha(0.5).png().toFile(files.alpha);
  await writeFile(files.empty, Buffer.alloc(0));
  await writeFile(files.text, 'this is not a picture\n');
  const big = await sharp(Buffer.alloc(200 * 150 * 3, 120), { raw: { width: 200, height: 150, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
  await writeFile(files.truncated, big.subarray(0, Math.floor(big.length / 2)));
  return files;
}
