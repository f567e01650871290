/**
 * Errors that carry a machine-readable code and, where relevant, the file they concern. The pipeline
 * collects them per photo; the CLI and the server turn them into messages and exit codes / HTTP statuses.
 */
export type ErrorCode =
  | 'UNREADABLE_IMAGE'
  | 'EMPTY_FILE'
  | 'NOT_AN_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'UNSUPPORTED_FORMAT'
  | 'NOT_FOUND'
  | 'MODEL_MISSING'
  | 'BAD_MODEL'
  | 'BAD_INPUT'
  | 'USAGE';

export class ParseposeError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  constructor(code: ErrorCode, message: string, file?: string, options?: { cause?: unknown }) {
    super(file ? `${file}: ${message}` : message, options);
    this.name = 'ParseposeError';
    this.code = code;
    this.file = file;
  }
}

/** A mistake in how a command was called: exit code 2, or HTTP 400. */
export class UsageError extends ParseposeError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function errorCode(err: unknown): string {
  return err instanceof ParseposeError ? err.code : 'INTERNAL';
}
