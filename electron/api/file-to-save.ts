/**
 * What an export hands its front door to save: text the engine rendered, or a file already on disk
 * (a model), which is copied or streamed from there and never read whole into a message.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExportedFile, SavedFile } from '../../shared/api.js';
import { StrataError } from '../../shared/errors.js';
import { writeOutputFile } from '../core/report/write-exports.js';
import { describeWriteError } from '../core/write-error.js';

/** A rendered export, or a file on disk to be saved as it is. */
export type FileToSave =
  | ExportedFile
  | { readonly fileName: string; readonly mimeType: string; readonly sourcePath: string; readonly bytes: number };

/** How a front door saves an export: the desktop app asks where and writes; browser mode offers a download. */
export type SaveFile = (file: FileToSave) => Promise<SavedFile>;

/** Writes `file` at `path` (chosen in the desktop app's save dialog); errors say why and what to do. */
export async function writeFileToSave(file: FileToSave, path: string): Promise<void> {
  if ('content' in file) return writeOutputFile(path, file.content);
  try {
    await mkdir(dirname(path), { recursive: true });
    await copyFile(file.sourcePath, path);
  } catch (err) {
    throw new StrataError(
      'IO_ERROR',
      await describeWriteError(err, path, file.bytes),
      err instanceof Error ? err.message : String(err),
    );
  }
}
