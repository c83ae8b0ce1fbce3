// Browser mode under attack from 127.0.0.1 (issue 11, items 1, 4, 7 and 10): every malformed frame
// or message of item 1 is answered or closes only its own socket while `strata serve` keeps serving
// other clients; events go only to the socket that started the run; the API opens only files the
// user chose; odd paths and malformed exports get answers, not crashes or raw JavaScript errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/server.js';
import { REPO, SAMPLE } from '../fixtures/paths.js';
import { startServe, type Serve } from '../support/serve.js';
import { namedCases, openRaw, firstText, sendCase, text, type Target } from '../fuzz/ws-frames.js';

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string; detail?: string } };

function connect(target: Target): Promise<WebSocket> {
  const socket = new WebSocket(`${target.origin.replace('http', 'ws')}/api?token=${target.token}`, {
    headers: { origin: target.origin },
  });
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

let nextId = 1;
function call(socket: WebSocket, channel: string, ...args: unknown[]): Promise<Answer> {
  const id = nextId++;
  return new Promise((resolve) => {
    socket.on('message', function onMessage(data) {
      const message = JSON.parse(String(data)) as { id?: number; result?: Answer };
      if (message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message.result!);
    });
    socket.send(JSON.stringify({ id, channel, args }));
  });
}

describe('strata serve, sent every malformed frame and message of issue 11 item 1', () => {
  const MAX = 64 * 1024;
  let serve: Serve;
  let target: Target;

  beforeAll(async () => {
    serve = await startServe({ env: { STRATA_MAX_MESSAGE_BYTES: String(MAX) } });
    target = { origin: serve.origin, token: serve.token };
  });
  afterAll(() => serve?.stop());

  it('answers or closes that socket for each case, and keeps serving another client throughout', async () => {
    const bystander = await connect(target);
    const outcomes: string[] = [];
    for (const c of namedCases(MAX)) {
      const outcome = await sendCase(target, c);
      outcomes.push(`${c.name}: ${outcome}`);
      if (c.expect === 'answer') expect(outcome, c.name).toBe('answered');
      else if (c.expect === 'close') expect(outcome, c.name).toBe('closed');
      else expect(outcome, c.name).not.toBe('silent');
      expect(serve.process.exitCode, `${c.name} killed the server: ${serve.stderr()}`).toBeNull();
      // The bystander's socket is untouched and a new client is served too.
      expect((await call(bystander, 'app:info')).ok, c.name).toBe(true);
    }
    const fresh = await connect(target);
    expect((await call(fresh, 'app:info')).ok).toBe(true);
    fresh.close();
    bystander.close();
    expect(outcomes.length).toBe(namedCases(MAX).length);
  });

  it('says what was wrong with a message that is not a request', async () => {
    const connection = await openRaw(target);
    connection.socket.write(text('null'));
    await new Promise((r) => setTimeout(r, 300));
    const reply = JSON.parse(firstText(connection)!) as { id: null; result: Answer };
    expect(reply.id).toBeNull();
    expect(reply.result.ok).toBe(false);
    expect(reply.result.error!.message).toMatch(/must be an object/);
    connection.socket.destroy();
  });

  it('answers a path that is not UTF-8 with 400, not 500', async () => {
    expect((await fetch(`${target.origin}/%ff`)).status).toBe(400);
    expect((await fetch(`${target.origin}/%00`)).status).toBe(400);
    expect(serve.process.exitCode).toBeNull();
  });
});

describe('the browser-mode API', () => {
  let server: RunningServer;
  const uploads = mkdtempSync(join(tmpdir(), 'strata-hardening-uploads-'));
  const variantsBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('strata-variants-')));

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      rendererDir: join(REPO, 'dist', 'renderer'),
      initialModelPath: SAMPLE,
      uploadDir: uploads,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  it("sends a run's events only to the socket that started it", async () => {
    const [a, b] = [await connect(server), await connect(server)];
    const seenByB: string[] = [];
    b.on('message', (data) => {
      const m = JSON.parse(String(data)) as { event?: string };
      if (m.event) seenByB.push(m.event);
    });
    const failed = new Promise<{ runId: string }>((resolve) =>
      a.on('message', (data) => {
        const m = JSON.parse(String(data)) as { event?: string; payload?: { runId: string } };
        if (m.event === 'profile:failed') resolve(m.payload!);
      }),
    );
    // A plan naming an input the model lacks fails at once, after the run started: a quick event.
    const started = await call(a, 'profile:start', {
      modelPath: SAMPLE,
      plan: { inputs: { nope: { kind: 'zeros' } } },
    });
    expect(started.ok).toBe(true);
    expect((await failed).runId).toBe((started.value as { runId: string }).runId);
    expect((await call(b, 'app:info')).ok).toBe(true); // b's traffic flowed past the event
    expect(seenByB).toEqual([]);
    a.close();
    b.close();
  });

  it('runs one job at a time across tabs, and a closed tab stops only its own job', async () => {
    const [a, b] = [await connect(server), await connect(server)];
    // A million timed runs: still running whatever the machine, until a's cancel below.
    const started = await call(a, 'profile:start', { modelPath: SAMPLE, plan: { timedRuns: 1_000_000 } });
    expect(started.ok).toBe(true);
    const runId = (started.value as { runId: string }).runId;
    // Another tab cannot start a job beside it: the two would measure each other.
    const second = await call(b, 'profile:start', { modelPath: SAMPLE, plan: {} });
    expect(second.ok).toBe(false);
    expect(second.error!.code).toBe('BUSY');
    // b closing does not stop a's job: a can still cancel it, so it was still running.
    b.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await call(a, 'profile:cancel', runId)).toMatchObject({ ok: true, value: { cancelled: true } });
    // Free again for any tab.
    const c = await connect(server);
    const third = await call(c, 'profile:start', { modelPath: SAMPLE, plan: { inputs: { nope: { kind: 'zeros' } } } });
    expect(third.ok).toBe(true);
    a.close();
    c.close();
  });

  it('opens only files the user chose or Strata wrote, and only regular files', async () => {
    const socket = await connect(server);
    const secret = join(mkdtempSync(join(tmpdir(), 'strata-secret-')), 'secret.json');
    writeFileSync(secret, '{"not": "yours"}\n');
    for (const [channel, arg] of [
      ['report:open', secret],
      ['report:open', '/etc/passwd'],
      ['model:download', secret],
      ['model:download', '/etc/passwd'],
      ['model:open', '/dev/zero'],
      ['variants:create', { modelPath: secret, plan: {}, variants: [{ kind: 'fp16' }] }],
      ['compare:start', { paths: [SAMPLE, secret], plan: {} }],
      ['profile:start', { modelPath: SAMPLE, plan: { inputs: { input: { kind: 'file', path: '/dev/zero' } } } }],
    ] as const) {
      const answer = await call(socket, channel, arg);
      expect(answer.ok, `${channel} ${JSON.stringify(arg)}`).toBe(false);
      expect(answer.error!.message).toMatch(/was not opened in Strata/);
      expect(answer.error!.message).not.toContain('not": "yours');
    }
    // The model given on the command line is the user's choice. It is not sent in the answer: the
    // page downloads it once from a one-time URL that needs the session's token.
    const saved = await call(socket, 'model:download', SAMPLE);
    expect(saved.ok).toBe(true);
    const { fileName, downloadUrl } = saved.value as { fileName: string; downloadUrl: string };
    expect(fileName).toBe('sample-model.onnx');
    expect(JSON.stringify(saved).length).toBeLessThan(300);
    const url = new URL(downloadUrl, server.origin);
    expect((await fetch(new URL(url.pathname, server.origin))).status).toBe(403); // no token
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('filename="sample-model.onnx"');
    expect(Buffer.from(await download.arrayBuffer()).equals(readFileSync(SAMPLE))).toBe(true);
    expect((await fetch(url)).status).toBe(404); // one download per export
    // An upload is, and a symlink inside the uploads folder that leads out of it is not.
    const link = join(uploads, 'abc', 'link.json');
    execFileSync('mkdir', ['-p', join(uploads, 'abc')]);
    execFileSync('ln', ['-s', secret, link]);
    expect((await call(socket, 'report:open', link)).error!.message).toMatch(/was not opened in Strata/);
    socket.close();
  });

  it('answers a malformed comparison export with a sentence, not a JavaScript error', async () => {
    const socket = await connect(server);
    for (const comparison of [
      { models: [{ fileName: 5 }] },
      { models: [{ fileName: 'a.onnx', label: 'a' }] },
      { models: [{ fileName: 'a.onnx', label: 'a' }], layers: [null] },
    ]) {
      const answer = await call(socket, 'compare:export', { comparison, format: 'html' });
      expect(answer.ok).toBe(false);
      expect(answer.error!.code).toBe('BAD_ARGUMENT');
      expect(answer.error!.message).not.toMatch(/TypeError|Cannot read|undefined|is not a function/);
    }
    socket.close();
  });

  it('removes its variant folder when the page that made the variants goes', async () => {
    const socket = await connect(server);
    const made = await call(socket, 'variants:create', { modelPath: SAMPLE, plan: {}, variants: [{ kind: 'fp16' }] });
    expect(made.ok).toBe(true);
    const [variant] = made.value as { path: string }[];
    // Strata wrote it, so the page may open and download it.
    expect((await call(socket, 'model:open', variant!.path)).ok).toBe(true);
    socket.close();
    const until = Date.now() + 10_000;
    const leftover = () =>
      readdirSync(tmpdir()).filter((n) => n.startsWith('strata-variants-') && !variantsBefore.has(n));
    while (leftover().length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(leftover()).toEqual([]);
    expect(() => readFileSync(variant!.path)).toThrow();
  });
});
