import { readFile } from 'node:fs/promises';
import { ParseposeError, type ErrorCode } from '../errors.js';

/**
 * Reads an input file; a missing file, a folder or an unreadable file becomes a ParseposeError that names
 * the file and the reason (`otherCode` for errors other than "missing" and "is a folder").
 */
export async function readInputFile(path: string, otherCode: ErrorCode = 'BAD_INPUT'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ParseposeError('NOT_FOUND', 'file does not exist', path);
    if (code === 'EISDIR') throw new ParseposeError('BAD_INPUT', 'is a folder, not a file', path);
    throw new ParseposeError(otherCode, `cannot read file (${code ?? String(err)})`, path);
  }
}
