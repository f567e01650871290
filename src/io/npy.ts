/** Encodes a float32 array as a NumPy .npy file (format 1.0), so Python users can np.load() it. */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Header (magic 6 + version 2 + length 2 + dict + newline) padded to a multiple of 64 bytes.
  const base = 10 + dict.length + 1;
  const pad = (64 - (base % 64)) % 64;
  const header = dict + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}
