// The browser-mode client against a fake WebSocket: what it says and does when the server goes
// away, comes back with the same token, or comes back as a new launch that refuses this page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONNECTION_ERRORS,
  isConnectionError,
  WebSocketApi,
  type ConnectionState,
  type ServerCheck,
} from '../../../../renderer/api/ws-api.js';

/** A WebSocket that tests open, answer and close by hand. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
  answer(result: unknown): void {
    const { id } = JSON.parse(this.sent.at(-1)!) as { id: number };
    this.onmessage?.({ data: JSON.stringify({ id, result }) });
  }
}

const latest = () => FakeSocket.all.at(-1)!;
const flush = () => vi.advanceTimersByTimeAsync(0);

let check: ServerCheck;
let states: ConnectionState[];
let api: WebSocketApi;

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  check = 'ok';
  states = [];
  api = new WebSocketApi('ws://127.0.0.1:1/api?token=t', 't', async () => check);
  api.onState((s) => states.push(s));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('WebSocketApi', () => {
  it('waits for the first connection, then answers calls over it', async () => {
    const call = api.invoke('app:info');
    latest().open();
    await flush();
    latest().answer({ ok: true, value: { version: '1' } });
    expect(await call).toEqual({ ok: true, value: { version: '1' } });
    expect(states).toEqual(['connected']);
  });

  it('fails calls at once while the server does not answer, and keeps retrying with backoff', async () => {
    latest().open();
    const inFlight = api.invoke('eps:list');
    check = 'down';
    latest().drop();
    await flush();
    expect(await inFlight).toEqual({ ok: false, error: CONNECTION_ERRORS.unreachable });
    expect(states).toEqual(['connected', 'unreachable']);
    // A call made now does not wait for a reconnect.
    const settled = vi.fn();
    void api.invoke('model:recent').then(settled);
    await flush();
    expect(settled).toHaveBeenCalledWith({ ok: false, error: CONNECTION_ERRORS.unreachable });
    expect(isConnectionError(CONNECTION_ERRORS.unreachable)).toBe(true);
    // It tries again, later each time.
    const sockets = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeSocket.all.length).toBe(sockets + 1);
    latest().drop();
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeSocket.all.length).toBe(sockets + 1);
    await vi.advanceTimersByTimeAsync(250);
    expect(FakeSocket.all.length).toBe(sockets + 2);
    // The same server back: connected again.
    latest().open();
    expect(states.at(-1)).toBe('connected');
  });

  it('says the server was restarted, and stops retrying, when the server refuses the page token', async () => {
    latest().open();
    check = 'refused';
    latest().drop();
    await flush();
    expect(states).toEqual(['connected', 'restarted']);
    expect(CONNECTION_ERRORS.restarted.message).toBe(
      "Strata's server was restarted: open the new address it printed (the old link's token is no longer valid).",
    );
    expect(await api.invoke('app:info')).toEqual({ ok: false, error: CONNECTION_ERRORS.restarted });
    const sockets = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all.length).toBe(sockets);
  });

  it('reconnects at once when only the socket dropped and the server still takes the token', async () => {
    latest().open();
    check = 'ok';
    const sockets = FakeSocket.all.length;
    latest().drop();
    await flush();
    expect(FakeSocket.all.length).toBe(sockets + 1);
  });

  it('writes its messages as plain sentences, without markdown', () => {
    for (const error of Object.values(CONNECTION_ERRORS)) expect(error.message).not.toMatch(/[`*]/);
  });
});
