import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePng } from '../../src/image/png.js';
import { startServer } from '../../src/server/index.js';
import { examplePhoto } from '../helpers/paths.js';

/**
 * The web page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser
 * is ever downloaded): upload a photo, wait for the overlays, toggle a label with the keyboard, download
 * the S-map, and take a screenshot (written to the temp folder, path printed).
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (scripts/install-chromium.sh) to run the browser test`;

test(
  'web page: upload, overlays, label toggle, downloads, screenshot',
  { skip, timeout: 300_000 },
  async (t) => {
    const { chromium } = await import('playwright-core');
    const server = await startServer({ host: '127.0.0.1', port: 0, workers: 1 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const problems: string[] = [];
      const foreign: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
      });

      await page.goto(`${server.url}/`);
      assert.equal(await page.title(), 'parsepose — S-map and P-map of a photo');
      // Keyboard: the photo picker is the first control reached with Tab.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'pick');

      const photoPath = examplePhoto(1);
      const meta = await sharp(photoPath).metadata();
      await page.setInputFiles('#file', photoPath);
      await page.waitForSelector('#stage[data-ready="true"]', { timeout: 240_000 });
      assert.match((await page.textContent('#status')) ?? '', /^Done: \d+ people/);
      const people = Number(/(\d+)/.exec((await page.textContent('#people')) ?? '')?.[1]);
      assert.ok(people >= 2, `people shown: ${people}`);
      assert.match((await page.textContent('#timing')) ?? '', /pose \d/);

      /** Pixels of a canvas that are drawn (alpha > 0), and those of one colour. */
      const drawn = (id: string, rgb?: number[]) =>
        page.evaluate(
          ([canvasId, colour]) => {
            const c = document.getElementById(canvasId as string) as HTMLCanvasElement;
            const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let p = 0; p < d.length; p += 4) {
              if (d[p + 3] === 0) continue;
              const col = colour as number[] | null;
              if (!col || (d[p] === col[0] && d[p + 1] === col[1] && d[p + 2] === col[2])) n++;
            }
            return { n, w: c.width, h: c.height };
          },
          [id, rgb ?? null] as const,
        );
      const smap = await drawn('smap');
      assert.deepEqual([smap.w, smap.h], [meta.width, meta.height]);
      assert.ok(smap.n > 10_000, `S-map overlay pixels: ${smap.n}`);
      const skeleton = await drawn('pmap');
      assert.ok(skeleton.n > 1000 && skeleton.n < smap.w * smap.h * 0.5, `skeleton pixels: ${skeleton.n}`);

      // Legend: one checkbox per class present (background excluded), each with its colour swatch.
      const boxes = page.locator('#legend-list input[type=checkbox]');
      const count = await boxes.count();
      assert.ok(count >= 4, `${count} labels listed`);
      // Toggle the hair label (CIHP 2) off with the keyboard: its colour disappears, nothing else changes.
      const hair = page.locator('#legend-list input[value="2"]');
      assert.equal(await hair.count(), 1, 'hair is present in a photo of people');
      const hairColour = [255, 0, 0];
      const hairBefore = (await drawn('smap', hairColour)).n;
      assert.ok(hairBefore > 0);
      await hair.focus();
      await page.keyboard.press('Space');
      assert.equal(await hair.isChecked(), false);
      assert.equal((await drawn('smap', hairColour)).n, 0, 'hair no longer drawn');
      assert.equal((await drawn('smap')).n, smap.n - hairBefore, 'only hair pixels went away');
      await page.click('#no-labels');
      assert.equal((await drawn('smap')).n, 0);
      await page.click('#all-labels');
      assert.equal((await drawn('smap')).n, smap.n);
      // Opacity slider with the keyboard.
      await page.focus('#opacity');
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
      assert.equal(
        await page.evaluate(() => (document.getElementById('smap') as HTMLCanvasElement).style.opacity),
        '0.5',
      );
      assert.equal(await page.textContent('#opacity-value'), '50%');
      // Skeleton toggle.
      await page.click('#show-skeleton');
      assert.equal(await page.isHidden('#pmap'), true);
      await page.click('#show-skeleton');
      assert.equal(await page.isVisible('#pmap'), true);

      // Screenshot with hair off, for a person to look at.
      await hair.focus();
      await page.keyboard.press('Space');
      const shot = join(tmpdir(), 'parsepose-web-e2e.png');
      await page.screenshot({ path: shot, fullPage: true });
      t.diagnostic(`screenshot: ${shot}`);
      await hair.focus();
      await page.keyboard.press('Space');

      // Downloads: the label PNG is the S-map (palette, photo size, class ids of the set); the JSON matches.
      const [smapDownload] = await Promise.all([page.waitForEvent('download'), page.click('#dl-smap')]);
      assert.equal(smapDownload.suggestedFilename(), 'sample1.png');
      const smapFile = join(tmpdir(), `parsepose-e2e-${process.pid}.png`);
      await smapDownload.saveAs(smapFile);
      const png = decodePng(await readFile(smapFile));
      assert.equal(png.colorType, 3);
      assert.deepEqual([png.width, png.height], [meta.width, meta.height]);
      const classes = new Set(png.data);
      assert.equal(classes.size - (classes.has(0) ? 1 : 0), count, 'legend lists the classes of the PNG');
      const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#dl-json')]);
      assert.equal(jsonDownload.suggestedFilename(), 'sample1_keypoints.json');
      const jsonFile = join(tmpdir(), `parsepose-e2e-${process.pid}.json`);
      await jsonDownload.saveAs(jsonFile);
      const doc = JSON.parse(await readFile(jsonFile, 'utf8')) as { version: number; people: unknown[] };
      assert.equal(doc.version, 1.3);
      assert.equal(doc.people.length, people);
      const [renderDownload] = await Promise.all([page.waitForEvent('download'), page.click('#dl-pmap')]);
      assert.equal(renderDownload.suggestedFilename(), 'sample1_rendered.png');

      // A file that is not an image: a clear error in the page, and the page keeps working.
      await page.setInputFiles('#file', {
        name: 'notes.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('hello, not a photo'),
      });
      await page.waitForSelector('#status.error');
      assert.match((await page.textContent('#status')) ?? '', /not an image.*NOT_AN_IMAGE/);

      assert.deepEqual(foreign, [], 'the page loads nothing from outside the server');
      // The 415 above is logged by Chromium as a failed resource load; anything else is a real problem.
      assert.deepEqual(
        problems.filter((p) => !/status of 415/.test(p)),
        [],
      );
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
