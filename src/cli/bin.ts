#!/usr/bin/env node
import { main } from './main.js';
import { exitWithParent, relaunchWithV8Flags } from './relaunch.js';

// `parsepose ... | head` closes stdout early: stop quietly instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

exitWithParent();
const relaunched = relaunchWithV8Flags();
(relaunched ?? main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
