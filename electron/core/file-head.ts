/** The first bytes of a file, read without reading the rest (a model's magic, a report's first key). */
import { open } from 'node:fs/promises';

/** Up to `bytes` bytes from the start of `path` (fewer when the file is shorter). */
export async function readFileHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
