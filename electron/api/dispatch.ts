/**
 * Routes one invoke from either front door to its handler: the channel is checked against the
 * contract's list, and whatever happens becomes a Result, never an exception across the boundary.
 */
import { INVOKE_ARITY, INVOKE_CHANNELS, type ApiHandlers, type InvokeChannel } from '../../shared/api.js';
import { StrataError, toErrorInfo, type Result } from '../../shared/errors.js';

/** Calls the handler of `channel` with `args`; unknown channels and thrown errors become `{ ok: false }`. */
export async function dispatchInvoke(handlers: ApiHandlers, channel: unknown, args: unknown): Promise<Result<unknown>> {
  try {
    if (typeof channel !== 'string' || !(INVOKE_CHANNELS as readonly string[]).includes(channel)) {
      throw new StrataError('BAD_ARGUMENT', `Unknown API channel ${JSON.stringify(channel)}.`);
    }
    if (!Array.isArray(args)) throw new StrataError('BAD_ARGUMENT', `The arguments of "${channel}" must be a list.`);
    // Exactly the contract's count: an extra argument is a caller that means something the handler
    // would silently ignore (or, for a handler with a default, take), so it is refused by name.
    const expected = INVOKE_ARITY[channel as InvokeChannel];
    if (args.length !== expected) {
      throw new StrataError(
        'BAD_ARGUMENT',
        `"${channel}" takes ${expected} argument${expected === 1 ? '' : 's'}, not ${args.length}.`,
      );
    }
    const handler = handlers[channel as InvokeChannel] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await handler(...args) };
  } catch (err) {
    if (err instanceof StrataError) return { ok: false, error: toErrorInfo(err) };
    // Not an expected failure: a request shaped in a way the handler did not foresee, or a bug.
    // The page gets a sentence, not a JavaScript error; the raw text stays in `detail`.
    const raw = err instanceof Error ? err.message : String(err);
    const name = typeof channel === 'string' ? channel.slice(0, 40) : '?';
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Strata could not answer "${name}": the request is malformed or Strata hit a bug. Try again; if it persists, report it.`,
        detail: raw.slice(0, 2000),
      },
    };
  }
}
