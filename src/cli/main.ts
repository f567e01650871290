import { readFileSync } from 'node:fs';
import { ParseposeError, UsageError, errorMessage } from '../errors.js';
import { defaultEngine } from '../runtime/net.js';
import type { CliCommand } from './args.js';

/** Subcommands load lazily so that `parsepose --help` does not start tfjs. */
const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  pose: () => import('./commands/pose.js'),
  parse: () => import('./commands/parse.js'),
  run: () => import('./commands/run.js'),
  dataset: () => import('./commands/dataset.js'),
  agnostic: () => import('./commands/agnostic.js'),
  eval: () => import('./commands/eval.js'),
  models: () => import('./commands/models.js'),
  serve: () => import('./commands/serve.js'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function mainHelp(): Promise<string> {
  const lines = [
    'parsepose — human parsing (S-maps) and multi-person pose (OpenPose P-maps), offline on a CPU',
    '',
    'Usage: parsepose <command> [options]   (parsepose <command> --help for details)',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    let summary = '';
    try {
      summary = (await load()).command.summary;
    } catch {
      continue;
    }
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push('', 'Exit codes: 0 all succeeded, 1 some inputs failed (listed), 2 usage error.');
  lines.push(
    'Environment: PARSEPOSE_ENGINE=onnx|tfjs runs the npm-shipped models on ONNX Runtime (default, converted',
    'at load) or on tfjs-wasm; PARSEPOSE_CACHE is where `models pull` keeps downloaded models;',
    'PARSEPOSE_RELAUNCH=0 keeps pose/parse/run/dataset/agnostic/serve from relaunching with --single-threaded.',
  );
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`parsepose: unknown command "${name}". Run "parsepose --help" for the list.`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    defaultEngine(); // a bad PARSEPOSE_ENGINE is a usage error before any work starts
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`parsepose ${name}: ${err.message}\nRun "parsepose ${name} --help" for usage.`);
      return 2;
    }
    if (err instanceof ParseposeError) {
      console.error(`parsepose ${name}: ${err.message}`);
      return 1;
    }
    console.error(`parsepose ${name}: ${errorMessage(err)}`);
    if (process.env.PARSEPOSE_DEBUG) console.error(err);
    return 1;
  }
}
