/**
 * The preload: exposes exactly shared/api.ts's StrataApi as `window.strata`, nothing else, and
 * only for the channels the contract names. Sandboxed preloads can require nothing but 'electron',
 * so the channel lists are spelled out here and checked against the contract's types.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventChannel, InvokeChannel, StrataApi } from '../shared/api.js';

// Typed as records over the contract's channel names, so the compiler rejects both a name the
// contract lacks and a channel missing here.
const INVOKE: Record<InvokeChannel, true> = {
  'app:info': true,
  'model:open': true,
  'model:hash': true,
  'model:recent': true,
  'eps:list': true,
  'profile:start': true,
  'profile:cancel': true,
  'report:export': true,
  'report:open': true,
  'dialog:openModel': true,
  'variants:create': true,
  'compare:start': true,
  'model:download': true,
  'compare:export': true,
  'machine:measure': true,
  'generate:start': true,
  'generate:export': true,
  'generate:compare': true,
  'devices:list': true,
  'devices:add': true,
  'devices:remove': true,
  'devices:check': true,
  'compare:devices': true,
};
const EVENTS: Record<EventChannel, true> = {
  'profile:progress': true,
  'profile:done': true,
  'profile:failed': true,
  'compare:progress': true,
  'compare:done': true,
  'compare:failed': true,
  'generate:progress': true,
  'generate:done': true,
  'generate:failed': true,
};

const api: StrataApi & { pathForFile(file: File): string } = {
  invoke: (channel, ...args) => {
    if (!INVOKE[channel])
      return Promise.resolve({
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: `Unknown channel "${String(channel)}".` },
      });
    return ipcRenderer.invoke(`strata:${channel}`, ...args);
  },
  on: (channel, listener) => {
    if (!EVENTS[channel]) return () => {};
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(`strata:${channel}`, wrapped);
    return () => ipcRenderer.removeListener(`strata:${channel}`, wrapped);
  },
  // A dropped or picked File's path on disk (the sandboxed page cannot see it otherwise).
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('strata', api);
