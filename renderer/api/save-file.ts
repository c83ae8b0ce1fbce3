/** The page's part of saving an export: the engine rendered and saved it; browser mode downloads it. */
import type { SavedFile } from '../../shared/api.js';

/**
 * Downloads a file browser mode's server holds at a one-time URL; nothing to do in the desktop app,
 * where main has already written it where the user chose.
 */
export function downloadSaved(saved: SavedFile): void {
  if (!('downloadUrl' in saved)) return;
  const link = document.createElement('a');
  link.href = saved.downloadUrl;
  link.download = saved.fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
