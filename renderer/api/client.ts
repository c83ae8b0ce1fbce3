/**
 * The UI's one way to the engine: `window.strata` inside Electron (the preload's bridge), or a
 * WebSocket to the local server in browser mode. Both speak shared/api.ts.
 */
import type { EventChannel, EventChannels, InvokeChannel, InvokeRequest, InvokeResponse, StrataApi } from '../../shared/api.js';
import type { ErrorInfo, Result } from '../../shared/errors.js';

declare global {
  interface Window {
    strata?: StrataApi & { pathForFile?: (file: File) => string };
  }
}

/** Connection state in browser mode, for the banner. */
export type ConnectionState = 'connected' | 'reconnecting';

type Listener = (payload: unknown) => void;

const LOST: ErrorInfo = {
  code: 'IO_ERROR',
  message: "Lost the connection to Strata's engine. Check that `strata serve` is still running; the page reconnects by itself.",
};

/** A StrataApi over the browser-mode WebSocket, reconnecting with backoff when it drops. */
export class WebSocketApi implements StrataApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, (result: Result<unknown>) => void>();
  private listeners = new Map<string, Set<Listener>>();
  private stateListeners = new Set<(state: ConnectionState) => void>();
  private ready: Promise<void>;
  private retryMs = 250;

  constructor(private readonly url: string) {
    this.ready = this.connect();
  }

  private connect(): Promise<void> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => {
        this.retryMs = 250;
        this.emitState('connected');
        resolve();
      };
      socket.onmessage = (event) => this.receive(String(event.data));
      socket.onclose = () => {
        // Calls in flight will never be answered by this socket: fail them with a clear message.
        for (const settle of this.pending.values()) settle({ ok: false, error: LOST });
        this.pending.clear();
        this.emitState('reconnecting');
        this.ready = new Promise((r) => setTimeout(() => void this.connect().then(r), this.retryMs));
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        resolve();
      };
    });
  }

  private receive(text: string): void {
    let message: { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.id !== undefined && message.result) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.event) {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeRequest<C>): Promise<Result<InvokeResponse<C>>> {
    await this.ready;
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return { ok: false, error: LOST };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown>) => void);
      socket.send(JSON.stringify({ id, channel, args }));
    });
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener as Listener);
  }

  /** Follows the connection state. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private emitState(state: ConnectionState): void {
    for (const listener of this.stateListeners) listener(state);
  }
}

/** The token browser mode put in the page URL. */
export function pageToken(): string | null {
  return new URLSearchParams(location.search).get('token');
}

/** The API for this page: Electron's bridge when present, else the WebSocket. */
export function createApi(): StrataApi & { onState?: WebSocketApi['onState'] } {
  if (window.strata) return window.strata;
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocketApi(`${protocol}//${location.host}/api?token=${encodeURIComponent(pageToken() ?? '')}`);
}

/** A picked or dropped file's path for the engine: its own path in Electron, an upload in browser mode. */
export async function uploadFile(file: File): Promise<Result<string>> {
  // In Electron the file is already on this machine: the preload tells its path.
  const path = window.strata?.pathForFile?.(file);
  if (path) return { ok: true, value: path };
  try {
    const response = await fetch(`/upload?token=${encodeURIComponent(pageToken() ?? '')}&name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: file,
    });
    const body = (await response.json()) as { path?: string; error?: string };
    if (!response.ok || !body.path) return { ok: false, error: { code: 'IO_ERROR', message: `Could not send "${file.name}" to Strata: ${body.error ?? response.statusText}.` } };
    return { ok: true, value: body.path };
  } catch (err) {
    return { ok: false, error: { code: 'IO_ERROR', message: `Could not send "${file.name}" to Strata: ${(err as Error).message}.` } };
  }
}
