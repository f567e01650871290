import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

/**
 * The CLI relaunches itself with V8 flags for the commands that run models (src/cli/relaunch.ts): the
 * relaunched process must get the terminal's signals and its exit code must come back.
 */
function startServe(): { child: ReturnType<typeof spawn>; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env.PARSEPOSE_RELAUNCH;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'src/cli/bin.ts'), 'serve', '--port', '0', '--workers', '1'],
    { cwd: REPO_ROOT, env },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d));
  child.stderr?.on('data', (d: Buffer) => (out += d));
  return { child, output: () => out };
}

test('serve started without the V8 flags runs relaunched, stops gracefully on SIGTERM, exit 0', async () => {
  const { child, output } = startServe();
  const deadline = Date.now() + 60_000;
  while (!/listening on http:\/\/[^:]+:(\d+)/.test(output())) {
    assert.ok(child.exitCode === null, `serve exited early: ${output()}`);
    assert.ok(Date.now() < deadline, 'serve did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(/listening on http:\/\/[^:]+:(\d+)/.exec(output())![1]);
  // Linux: the process serving is a child of the one started, with the flags
  if (existsSync(`/proc/${child.pid}`)) {
    const kids = execFileSync('ps', ['-o', 'args=', '--ppid', String(child.pid)], { encoding: 'utf8' });
    assert.match(kids, /--single-threaded .*bin\.ts serve/);
  }
  const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string };
  assert.equal(health.status, 'ok');
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM'); // the parent only: it must pass the signal on
  assert.equal(await exited, 0, output());
  assert.match(output(), /SIGTERM/);
  assert.match(output(), /stopped/);
  // the relaunched server is gone too: the port no longer answers
  await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
});
