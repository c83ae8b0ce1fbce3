/** The end of every export action: save what the engine rendered, or say why it could not. */
import type { ExportedFile } from '../../shared/api.js';
import type { Result } from '../../shared/errors.js';
import type { AppState, StoreDeps } from './app-state.js';

/**
 * Saves `rendered` (a download or a save dialog) and says so in a notice ending with `what`
 * ("" or " (int8 dynamic)"); shows the error instead when the engine could not render it.
 */
export async function saveExport(
  deps: StoreDeps,
  state: () => AppState,
  set: (change: Partial<AppState>) => void,
  rendered: Result<ExportedFile>,
  what = '',
): Promise<void> {
  if (!rendered.ok) return state().showError(rendered.error);
  await deps.save(rendered.value);
  set({ notice: `Exported ${rendered.value.fileName}${what}.` });
}
