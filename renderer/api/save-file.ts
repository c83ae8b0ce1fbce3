/** Saving an exported file: a native save dialog in Electron, a download in the browser. */
import type { ExportedFile, StrataApi } from '../../shared/api.js';

/** Saves `file` the way this front door can. */
export async function saveFile(api: StrataApi, file: ExportedFile): Promise<void> {
  if (window.strata) {
    await api.invoke('dialog:saveFile', file);
    return;
  }
  const body = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
