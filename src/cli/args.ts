import { parseArgs, type ParseArgsConfig } from 'node:util';
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';

/** The shape every subcommand module exports. `run` returns the process exit code. */
export interface CliCommand {
  /** One line for `parsepose --help`. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(argv: string[]): Promise<number>;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with usage errors turned into UsageError (exit code 2). */
export type ParsedCli<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export function parseCli<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = true,
): ParsedCli<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as ParsedCli<O>;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err));
  }
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return n;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
