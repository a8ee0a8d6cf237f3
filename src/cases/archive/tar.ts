// A small POSIX ustar writer (IEEE 1003.1-1988 as GNU tar and bsdtar read it): the archive package is
// streamed entry by entry, so a case with gigabytes of video never sits in memory. Names are kept to
// ASCII paths of at most 100 bytes (the manifest carries the Chinese titles).
import type { Readable } from 'node:stream';

export interface TarEntry {
  name: string;
  size: number;
  /** The bytes, or a function opening them as a stream (evidence files). */
  data: Buffer | (() => Readable);
  mtime?: number;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

export function tarHeader(name: string, size: number, mtime = 0): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar 条目名过长（${nameBytes.length} 字节）：${name}`);
  if (!Number.isSafeInteger(size) || size < 0 || size >= 8 ** 11) throw new Error(`tar 条目大小超出 ustar 范围：${size}`);
  const h = Buffer.alloc(BLOCK, 0);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** The whole archive as a stream of chunks: header, data, padding per entry, then two zero blocks. */
export async function* tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield tarHeader(e.name, e.size, e.mtime ?? 0);
    let written = 0;
    if (Buffer.isBuffer(e.data)) {
      yield e.data;
      written = e.data.length;
    } else {
      for await (const chunk of e.data()) {
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        written += b.length;
        yield b;
      }
    }
    if (written !== e.size) throw new Error(`tar 条目 ${e.name} 声明 ${e.size} 字节，实际 ${written} 字节`);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad, 0);
  }
  yield Buffer.alloc(BLOCK * 2, 0);
}
