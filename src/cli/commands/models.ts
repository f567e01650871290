import { UsageError } from '../../errors.js';
import { parseCli, type CliCommand } from '../args.js';
import { MODELS, modelIds, type ModelEntry } from '../../models/registry.js';
import {
  cacheRoot,
  fileSize,
  modelDir,
  modelFilePath,
  requireModel,
  sha256File,
} from '../../models/cache.js';
import { pullModel, type PullProgress } from '../../models/pull.js';

const HELP = `Usage: parsepose models <list|pull|path|verify> [ids...] [options]

Learned models that npm does not ship (SCHP, DWPose, BodyPix). They are used with
--parse-model <id> / --pose-model <id> once pulled, or as <id>:<path> with your own files.
Nothing is downloaded during a run: only "models pull" downloads.

  list               every known model: files, sizes, checksums, licence, source, cache status
  pull <id>...       download into the cache (resumes, verifies SHA-256 where known); --all for all
  path [<id>]        the cache folder, or one model's folder
  verify [<id>...]   check cached files against their sizes and SHA-256 (exit 1 on a mismatch)

Options:
  --json             machine-readable output (list, verify)
  --force            pull: download again even when the cached file is good
  --all              pull: every model that has a download source
  --base-url <url>   pull: fetch <url>/<id>/<file> instead (also $PARSEPOSE_MODELS_URL)

Cache folder: $PARSEPOSE_CACHE, else $XDG_CACHE_HOME/parsepose (~/.cache/parsepose) on Linux,
~/Library/Caches/parsepose on macOS, %LOCALAPPDATA%\\parsepose\\Cache on Windows.`;

function mb(bytes: number | undefined): string {
  return bytes === undefined
    ? '?'
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : `${(bytes / 1e3).toFixed(1)} kB`;
}

async function fileStatus(
  entry: ModelEntry,
): Promise<Array<{ name: string; cached: boolean; partial: number }>> {
  const out = [];
  for (const f of entry.files) {
    const path = modelFilePath(entry.id, f.name);
    out.push({
      name: f.name,
      cached: (await fileSize(path)) !== undefined,
      partial: (await fileSize(`${path}.partial`)) ?? 0,
    });
  }
  return out;
}

async function list(json: boolean): Promise<number> {
  const rows = [];
  for (const m of MODELS) rows.push({ ...m, cache: modelDir(m.id), status: await fileStatus(m) });
  if (json) {
    console.log(JSON.stringify({ cache: cacheRoot(), models: rows }, null, 2));
    return 0;
  }
  console.log(`Model cache: ${cacheRoot()}\n`);
  for (const m of rows) {
    const cached = m.status.every((s) => s.cached);
    console.log(
      `${m.id}  [${m.kind}, ${m.preset === m.id ? 'preset' : `preset ${m.preset}`}]  ${cached ? 'cached' : 'not cached'}`,
    );
    console.log(`  ${m.title}`);
    console.log(`  licence: ${m.licence}`);
    console.log(`  source:  ${m.source}`);
    if (m.note) console.log(`  note:    ${m.note}`);
    m.files.forEach((f, i) => {
      const s = m.status[i];
      const state = s.cached
        ? 'cached'
        : s.partial
          ? `partial ${mb(s.partial)}`
          : f.url
            ? 'missing'
            : 'bring your own';
      console.log(
        `    ${f.name.padEnd(24)} ${mb(f.size).padStart(9)}  sha256 ${f.sha256 ?? 'unknown'}  ${state}`,
      );
    });
    console.log('');
  }
  return 0;
}

/** One progress line per file on a TTY; a line at the end otherwise. */
function progressPrinter(): (p: PullProgress) => void {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let last = 0;
  return (p) => {
    if (!tty) return;
    const now = performance.now();
    const done = p.total !== undefined && p.received >= p.total;
    if (!done && now - last < 100) return;
    last = now;
    const width = 28;
    const frac = p.total ? Math.min(1, p.received / p.total) : 0;
    const bar = p.total
      ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}%`
      : '';
    process.stderr.write(
      `\r${p.file} ${bar} ${mb(p.received)}${p.total ? ` / ${mb(p.total)}` : ''}`.padEnd(79),
    );
    if (done) process.stderr.write('\n');
  };
}

async function pull(ids: string[], force: boolean, baseUrl: string | undefined): Promise<number> {
  for (const id of ids) {
    const entry = requireModel(id);
    console.log(`${id}: ${entry.licence}`);
    await pullModel(id, {
      force,
      baseUrl,
      onProgress: progressPrinter(),
      onFile: (r) =>
        console.log(
          `  ${r.file}: ${r.status === 'cached' ? 'already cached' : r.status} (${mb(r.bytes)}${r.sha256 ? `, sha256 ${r.sha256}` : ''}) -> ${r.path}`,
        ),
    });
  }
  return 0;
}

async function verify(ids: string[], json: boolean): Promise<number> {
  const report = [];
  let bad = 0;
  for (const id of ids) {
    const entry = requireModel(id);
    for (const f of entry.files) {
      const path = modelFilePath(id, f.name);
      const size = await fileSize(path);
      let state: 'missing' | 'ok' | 'unverified' | 'size mismatch' | 'sha256 mismatch';
      let sha: string | undefined;
      if (size === undefined) state = 'missing';
      else if (f.size !== undefined && size !== f.size) state = 'size mismatch';
      else {
        sha = await sha256File(path);
        state = f.sha256 ? (sha === f.sha256 ? 'ok' : 'sha256 mismatch') : 'unverified';
      }
      if (state === 'size mismatch' || state === 'sha256 mismatch') bad++;
      report.push({ id, file: f.name, path, size, sha256: sha, expected: f.sha256, state });
    }
  }
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const r of report) {
      const note = r.state === 'unverified' ? ` (no published checksum; sha256 ${r.sha256})` : '';
      console.log(`${r.id}/${r.file}: ${r.state}${note}`);
    }
  }
  return bad ? 1 : 0;
}

export const command: CliCommand = {
  summary: 'list, download (pull), locate and verify learned models (SCHP, DWPose, BodyPix)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCli(argv, {
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      all: { type: 'boolean' },
      'base-url': { type: 'string' },
    });
    const [action, ...ids] = positionals;
    for (const id of ids) requireModel(id);
    switch (action) {
      case 'list':
        return list(Boolean(values.json));
      case 'pull': {
        const targets = values.all ? MODELS.filter((m) => m.files.every((f) => f.url)).map((m) => m.id) : ids;
        if (!targets.length)
          throw new UsageError(`pull needs model ids (known: ${modelIds().join(', ')}) or --all`);
        return pull(targets, Boolean(values.force), values['base-url']);
      }
      case 'path':
        console.log(ids.length ? ids.map((id) => modelDir(id)).join('\n') : cacheRoot());
        return 0;
      case 'verify':
        return verify(ids.length ? ids : modelIds(), Boolean(values.json));
      default:
        throw new UsageError(
          action
            ? `unknown action "${action}" (list, pull, path, verify)`
            : 'an action is needed: list, pull, path or verify',
        );
    }
  },
};
