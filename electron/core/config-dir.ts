/** Where Strata keeps its small state: recent files, cached machine ceilings. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `STRATA_CONFIG_DIR`, else the platform's config folder (XDG on Linux). */
export function configDir(): string {
  if (process.env.STRATA_CONFIG_DIR) return process.env.STRATA_CONFIG_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Strata');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Strata');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'strata');
}
