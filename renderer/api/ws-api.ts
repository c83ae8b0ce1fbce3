/**
 * Browser mode's way to the engine: the API of shared/api.ts over a WebSocket to the local server,
 * and what happens when that connection goes (no DOM globals beyond WebSocket and fetch, so unit
 * tests run it under Node with a fake socket).
 */
import type {
  EventChannel,
  EventChannels,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  StrataApi,
} from '../../shared/api.js';
import type { ErrorInfo, Result } from '../../shared/errors.js';

/**
 * Connection state in browser mode, for the banner: `connecting` before the first connection,
 * `unreachable` while the server does not answer at all, `restarted` when it answers but refuses
 * this page's token (a new `strata serve` has a new per-launch token: this page can never get back
 * in, only the new address can).
 */
export type ConnectionState = 'connecting' | 'connected' | 'unreachable' | 'restarted';

type Listener = (payload: unknown) => void;

/** What the user is told in each lost state; also the error of a call made meanwhile. */
export const CONNECTION_ERRORS: Readonly<Record<'unreachable' | 'restarted', ErrorInfo>> = {
  unreachable: {
    code: 'IO_ERROR',
    message:
      "Lost the connection to Strata's server: nothing answers at this address. If strata serve was stopped, start it again and open the new address it prints; this page keeps trying meanwhile.",
  },
  restarted: {
    code: 'IO_ERROR',
    message:
      "Strata's server was restarted: open the new address it printed (the old link's token is no longer valid).",
  },
};

/** True for the errors calls fail with while there is no connection (the banner already says so). */
export function isConnectionError(error: ErrorInfo): boolean {
  return (
    error.message === CONNECTION_ERRORS.unreachable.message || error.message === CONNECTION_ERRORS.restarted.message
  );
}

/** How the server answers a check of this page's token: 'ok', 'refused' (403), or 'down' (no answer). */
export type ServerCheck = 'ok' | 'refused' | 'down';

/** Asks the server whether it still accepts `token`: a WebSocket that fails says nothing of why. */
export async function checkServer(token: string, fetcher: typeof fetch = fetch): Promise<ServerCheck> {
  try {
    // Relative to the page; the server answers with no-store.
    const response = await fetcher(`/session?token=${encodeURIComponent(token)}`);
    return response.status === 403 ? 'refused' : response.ok ? 'ok' : 'down';
  } catch {
    return 'down';
  }
}

/**
 * A StrataApi over the browser-mode WebSocket. When the socket drops it checks the server: while
 * nothing answers it retries with backoff; once the server answers but refuses this page's token it
 * stops and says the server was restarted. Calls made while disconnected fail at once.
 */
export class WebSocketApi implements StrataApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, (result: Result<unknown>) => void>();
  private listeners = new Map<string, Set<Listener>>();
  private stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  /** Settles when the first connection opens or fails: calls made at start-up wait for it. */
  private firstAttempt: Promise<void>;
  private retryMs = 250;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly check: (token: string) => Promise<ServerCheck> = checkServer,
  ) {
    this.firstAttempt = this.connect();
  }

  /** The current state. */
  get connection(): ConnectionState {
    return this.state;
  }

  private connect(): Promise<void> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => {
        this.retryMs = 250;
        this.setState('connected');
        resolve();
      };
      socket.onmessage = (event) => this.receive(String(event.data));
      socket.onclose = () => {
        if (this.socket === socket) this.socket = null;
        void this.lost().then(resolve);
      };
    });
  }

  // The socket closed, or never opened: fail calls in flight, find out why, retry if it can help.
  private async lost(): Promise<void> {
    const check = await this.check(this.token);
    const state: ConnectionState = check === 'refused' ? 'restarted' : 'unreachable';
    // Calls in flight will never be answered by this socket: fail them with the reason.
    for (const settle of this.pending.values()) settle({ ok: false, error: CONNECTION_ERRORS[state] });
    this.pending.clear();
    this.setState(state);
    if (state === 'restarted') return; // this token will never be accepted again
    // The server answered with our token (a dropped socket): reconnect at once; else back off.
    const wait = check === 'ok' ? 0 : this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    setTimeout(() => void this.connect(), wait);
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
    // Only the very first connection is waited for (the page's start-up calls); later, a call made
    // without a connection fails at once instead of hanging until a reconnect that may never come.
    if (this.state === 'connecting') await this.firstAttempt;
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return { ok: false, error: CONNECTION_ERRORS[this.state === 'restarted' ? 'restarted' : 'unreachable'] };
    }
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

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
