/**
 * A minimal POSIX ustar writer: regular files and their folders, streamed to a writable (ssh's
 * stdin) one file at a time, with back-pressure. Every `tar` a device has (GNU, BSD, BusyBox)
 * extracts it, and the sender needs no `tar` of its own (Windows).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** A file to archive: read from `source`, stored as `name` (POSIX, relative). */
export interface TarEntry {
  readonly source: string;
  readonly name: string;
}

const BLOCK = 512;

/** Writes `entries` as a tar archive to `out` (without ending `out`). */
export async function writeTar(entries: readonly TarEntry[], out: Writable): Promise<void> {
  const dirs = new Set<string>();
  for (const entry of entries) {
    const parts = entry.name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') + '/';
      if (!dirs.has(dir)) {
        dirs.add(dir);
        await write(out, header(dir, 0, 0o755, '5'));
      }
    }
    const size = (await stat(entry.source)).size;
    await write(out, header(entry.name, size, 0o644, '0'));
    let written = 0;
    for await (const chunk of createReadStream(entry.source)) {
      const bytes = chunk as Buffer;
      written += bytes.length;
      await write(out, bytes);
    }
    if (written !== size) throw new Error(`${entry.source} changed size while it was being sent.`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await write(out, Buffer.alloc(pad));
  }
  // GNU tar exits 0 on an archive cut off between two files, so the receiver cannot tell a whole
  // stream from a truncated one by its exit code: an empty entry written last says it arrived whole.
  await write(out, header(TAR_END_SENTINEL, 0, 0o644, '0'));
  await write(out, Buffer.alloc(BLOCK * 2));
}

/** The last entry of every archive writeTar makes: present after unpacking only if all came. */
export const TAR_END_SENTINEL = '.strata-sent-whole';

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed || out.writableEnded) {
      reject(new Error('The receiving side closed the stream.'));
      return;
    }
    const ok = out.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else {
      const onDrain = () => {
        out.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        out.off('drain', onDrain);
        reject(new Error('The receiving side closed the stream.'));
      };
      out.once('drain', onDrain);
      out.once('close', onClose);
    }
  });
}

// A ustar header; a name over 100 bytes is split into prefix (155) and name at a '/'.
function header(path: string, size: number, mode: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', path.length - 2);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`The path "${path}" is too long for a tar archive.`);
  }
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 7), 100);
  block.write(octal(0, 7), 108); // uid
  block.write(octal(0, 7), 116); // gid
  block.write(octal(size, 11), 124);
  block.write(octal(Math.floor(Date.now() / 1000), 11), 136);
  block.write('        ', 148); // checksum: spaces while summing
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${octal(sum, 6)}\0 `, 148);
  return block;
}

function octal(value: number, digits: number): string {
  return value.toString(8).padStart(digits, '0') + (digits === 6 ? '' : '\0');
}
