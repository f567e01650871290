/**
 * Every error the API answers is JSON `{ "error": "<message>", "code": "<CODE>" }`: 4xx for the client's
 * mistakes, 5xx for ours (with a generic message: no stack trace or internal detail ever leaves).
 */
export interface ErrorBody {
  error: string;
  code: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** HTTP status for a pipeline error code (src/errors.ts); unknown codes are the server's fault. */
export function statusForPipelineCode(code: string): number {
  switch (code) {
    case 'EMPTY_FILE':
    case 'BAD_INPUT':
    case 'USAGE':
      return 400;
    case 'IMAGE_TOO_LARGE':
      return 413;
    case 'NOT_AN_IMAGE':
    case 'UNSUPPORTED_FORMAT':
      return 415;
    case 'UNREADABLE_IMAGE':
      return 422;
    default:
      return 500;
  }
}

/** Fastify's and @fastify/multipart's own error codes, in the API's vocabulary. */
const FRAMEWORK_CODES: Record<string, { status: number; code: string }> = {
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'UPLOAD_TOO_LARGE' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'UPLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'WRONG_CONTENT_TYPE' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'WRONG_CONTENT_TYPE' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'WRONG_CONTENT_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST' },
  FST_FILES_LIMIT: { status: 413, code: 'TOO_MANY_PARTS' },
  FST_FIELDS_LIMIT: { status: 413, code: 'TOO_MANY_PARTS' },
  FST_PARTS_LIMIT: { status: 413, code: 'TOO_MANY_PARTS' },
  FST_PROTO_VIOLATION: { status: 400, code: 'BAD_MULTIPART' },
  FST_ERR_VALIDATION: { status: 400, code: 'BAD_QUERY' },
};

/** Turns anything thrown while handling a request into a status, headers and a safe JSON body. */
export function toErrorResponse(err: unknown): {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
} {
  if (err instanceof HttpError) {
    return { status: err.statusCode, headers: err.headers, body: { error: err.message, code: err.code } };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const mapped = FRAMEWORK_CODES[code];
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : '';
  if (mapped)
    return { status: mapped.status, headers: {}, body: { error: message || mapped.code, code: mapped.code } };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, headers: {}, body: { error: message || 'bad request', code: 'BAD_REQUEST' } };
  }
  return { status: 500, headers: {}, body: { error: 'internal server error', code: 'INTERNAL' } };
}
