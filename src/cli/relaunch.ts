import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * V8 flags the CLI runs with. `--single-threaded`: V8's garbage collection and compilation run on the
 * thread that needs them instead of on helper threads. The pool already gives every core a worker, and the
 * helpers competed with them: `run` on 36 photos with 2 workers on 2 cores, 0.59 -> 0.50 s per photo per
 * core (CPU 0.58 -> 0.49 s per photo); with 1 worker the run is ~7% slower but uses ~20% less CPU.
 * V8 reads such flags only at start-up, hence a relaunch when the CLI was started without them.
 */
export const V8_FLAGS: readonly string[] = ['--single-threaded'];

/** Set in the relaunched process (and by whoever wants the CLI to run as started: `PARSEPOSE_RELAUNCH=0`). */
const ENV = 'PARSEPOSE_RELAUNCH';

/** Marks the relaunched process. */
const CHILD = 'PARSEPOSE_RELAUNCHED';

const HEAVY = new Set(['pose', 'parse', 'run', 'dataset', 'agnostic', 'serve']);

/**
 * Runs this script again with V8_FLAGS (stdio shared, signals passed on) and resolves to its exit code;
 * undefined when the flags are already there or relaunching is off.
 */
export function relaunchWithV8Flags(): Promise<number> | undefined {
  if (process.env[ENV] === '0' || V8_FLAGS.every((f) => process.execArgv.includes(f))) return undefined;
  // a debugger attached to this process would not follow the relaunch
  if (process.execArgv.some((a) => a.startsWith('--inspect'))) return undefined;
  // only the commands that run models gain from it; --help, models, eval start as they are
  if (!HEAVY.has(process.argv[2] ?? '') || process.argv.includes('--help') || process.argv.includes('-h'))
    return undefined;
  const child = spawn(process.execPath, [...V8_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    // the IPC channel only tells the child when this process is gone (see exitWithParent)
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [ENV]: '0', [CHILD]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`parsepose: cannot start node (${err.message})`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

/**
 * In the relaunched process: exit at once when the launching process is gone (killed with SIGKILL, which
 * it cannot pass on), as if the kill had reached this process too.
 */
export function exitWithParent(): void {
  if (process.env[CHILD] !== '1' || !process.send) return;
  process.channel?.unref(); // the channel must not keep this process alive
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
