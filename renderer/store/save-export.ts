/** The end of every export action: the engine rendered and saved the file; say so, or why not. */
import type { SavedFile } from '../../shared/api.js';
import type { Result } from '../../shared/errors.js';
import type { AppState, StoreDeps } from './app-state.js';

/**
 * Finishes `saved` (a download in browser mode) and says so in a notice ending with `what`
 * ("" or " (int8 dynamic)"); shows the error instead when the engine could not render or save it,
 * and nothing when the user cancelled the save dialog.
 */
export function saveExport(
  deps: StoreDeps,
  state: () => AppState,
  set: (change: Partial<AppState>) => void,
  saved: Result<SavedFile>,
  what = '',
): void {
  if (!saved.ok) return state().showError(saved.error);
  if ('savedTo' in saved.value && saved.value.savedTo === null) return;
  deps.save(saved.value);
  set({ notice: `Exported ${saved.value.fileName}${what}.` });
}
