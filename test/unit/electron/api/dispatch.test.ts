// The dispatcher is the one gate both front doors share: a request that does not match the
// contract's shape must be refused with a sentence before any handler runs.
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_ARITY, INVOKE_CHANNELS, type ApiHandlers } from '../../../../shared/api.js';
import { dispatchInvoke } from '../../../../electron/api/dispatch.js';

function handlers() {
  const calls: string[] = [];
  const all = Object.fromEntries(
    INVOKE_CHANNELS.map((c) => [
      c,
      vi.fn(async (...args: unknown[]) => {
        calls.push(`${c}(${args.length})`);
        return { channel: c };
      }),
    ]),
  ) as unknown as ApiHandlers;
  return { all, calls };
}

describe('dispatchInvoke', () => {
  it('calls the handler with exactly the arguments the contract declares', async () => {
    const { all, calls } = handlers();
    expect(await dispatchInvoke(all, 'model:open', ['/m.onnx'])).toEqual({
      ok: true,
      value: { channel: 'model:open' },
    });
    expect(await dispatchInvoke(all, 'app:info', [])).toMatchObject({ ok: true });
    expect(calls).toEqual(['model:open(1)', 'app:info(0)']);
  });

  it.each([
    ['model:open', ['/m.onnx', '/etc/passwd'], '"model:open" takes 1 argument, not 2.'],
    ['app:info', [1], '"app:info" takes 0 arguments, not 1.'],
    ['profile:cancel', [], '"profile:cancel" takes 1 argument, not 0.'],
    ['report:open', 'x', 'The arguments of "report:open" must be a list.'],
  ])('refuses %s with %j without calling it', async (channel, args, message) => {
    const { all, calls } = handlers();
    expect(await dispatchInvoke(all, channel, args)).toEqual({ ok: false, error: { code: 'BAD_ARGUMENT', message } });
    expect(calls).toEqual([]);
  });

  it('knows an argument count for every channel of the contract', () => {
    expect(Object.keys(INVOKE_ARITY).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(INVOKE_CHANNELS).toContain('compare:start');
  });
});
