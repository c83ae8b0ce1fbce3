/**
 * Electron's IPC, in one place: every API channel handled through the shared dispatcher, and only
 * for messages from our own page (the sender frame's URL must be the app's origin).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type ApiHandlers, type EventChannel, type EventChannels } from '../shared/api.js';
import { dispatchInvoke } from './api/dispatch.js';

/** The origin our renderer is served from (the custom protocol). */
export const APP_ORIGIN = 'strata://app';

/** True when an IPC message comes from our own page, not from any other frame or navigation. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/** Registers a handler for every invoke channel. */
export function registerIpc(handlers: ApiHandlers): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(`strata:${channel}`, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event))
        return { ok: false, error: { code: 'BAD_ARGUMENT', message: 'Request from an untrusted frame refused.' } };
      return dispatchInvoke(handlers, channel, args);
    });
  }
}

/** Sends an event to the page. */
export function sendEvent<E extends EventChannel>(contents: WebContents, channel: E, payload: EventChannels[E]): void {
  if (!contents.isDestroyed()) contents.send(`strata:${channel}`, payload);
}
