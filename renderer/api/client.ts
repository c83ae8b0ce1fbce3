/**
 * The UI's one way to the engine: the desktop app's bridge (see platform.ts), or a WebSocket to
 * the local server in browser mode. Both speak shared/api.ts.
 */
import type { StrataApi } from '../../shared/api.js';
import type { Result } from '../../shared/errors.js';
import { desktopBridge } from './platform.js';
import { WebSocketApi } from './ws-api.js';

export { CONNECTION_ERRORS, isConnectionError, WebSocketApi, type ConnectionState } from './ws-api.js';

/** The token browser mode put in the page URL. */
export function pageToken(): string | null {
  return new URLSearchParams(location.search).get('token');
}

/** The API for this page: Electron's bridge when present, else the WebSocket. */
export function createApi(): StrataApi & { onState?: WebSocketApi['onState'] } {
  const bridge = desktopBridge();
  if (bridge) return bridge;
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = pageToken() ?? '';
  return new WebSocketApi(`${protocol}//${location.host}/api?token=${encodeURIComponent(token)}`, token);
}

/** A picked or dropped file's path for the engine: its own path in Electron, an upload in browser mode. */
export async function uploadFile(file: File): Promise<Result<string>> {
  // In Electron the file is already on this machine: the preload tells its path.
  const path = desktopBridge()?.pathForFile?.(file);
  if (path) return { ok: true, value: path };
  try {
    const response = await fetch(
      `/upload?token=${encodeURIComponent(pageToken() ?? '')}&name=${encodeURIComponent(file.name)}`,
      {
        method: 'POST',
        body: file,
      },
    );
    const body = (await response.json()) as { path?: string; error?: string };
    if (!response.ok || !body.path)
      return {
        ok: false,
        error: {
          code: 'IO_ERROR',
          message: `Could not send "${file.name}" to Strata: ${body.error ?? response.statusText}.`,
        },
      };
    return { ok: true, value: body.path };
  } catch (err) {
    return {
      ok: false,
      error: { code: 'IO_ERROR', message: `Could not send "${file.name}" to Strata: ${(err as Error).message}.` },
    };
  }
}
