/**
 * Makes docs/example.jpg, the README's picture of real output, from `npm run demo`'s results on an example
 * photo that the @vladmandic/face-api package ships (MIT): the photo, its S-map overlay with the legend,
 * and the P-map over the photo.   node --import tsx scripts/readme-image.ts [stem]
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const root = resolve(import.meta.dirname, '..');
const stem = process.argv[2] ?? 'sample1';
const out = join(root, 'out', 'examples');
const tiles = [
  join(root, 'node_modules/@vladmandic/face-api/demo', `${stem}.jpg`),
  join(out, 'image-parse-vis', `${stem}.png`),
  join(out, 'openpose_vis', `${stem}.png`),
  join(out, 'openpose_img', `${stem}_rendered.png`),
];
const height = 360;
const images = await Promise.all(
  tiles.map((f) => sharp(f).resize({ height }).png().toBuffer({ resolveWithObject: true })),
);
let left = 0;
const composite = images.map(({ data, info }) => {
  const c = { input: data, left, top: 0 };
  left += info.width + 4;
  return c;
});
await mkdir(join(root, 'docs'), { recursive: true });
await sharp({ create: { width: left - 4, height, channels: 3, background: '#ffffff' } })
  .composite(composite)
  .jpeg({ quality: 85 })
  .toFile(join(root, 'docs', 'example.jpg'));
console.log('written docs/example.jpg');
