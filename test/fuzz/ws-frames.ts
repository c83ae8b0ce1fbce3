/**
 * Raw WebSocket traffic for testing browser mode's front door: an authenticated connection made by
 * hand (so any bytes can follow the handshake), frames built bit by bit (bad opcodes, RSV bits,
 * unmasked, invalid UTF-8, lying lengths), and the cases of issue 11 item 1 plus seeded random ones.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createRng } from '../../electron/core/random.js';

/** Where a server listens and what it takes to talk to it. */
export interface Target {
  readonly origin: string; // http://127.0.0.1:PORT
  readonly token: string;
}

/** A connection after a successful WebSocket handshake; `received` collects what the server sent after it. */
export interface RawConnection {
  readonly socket: Socket;
  readonly received: Buffer[];
  /** Resolves when the server closes or resets the connection. */
  readonly closed: Promise<void>;
}

/** Opens a connection and completes the handshake with the token and the right origin. */
export function openRaw(target: Target): Promise<RawConnection> {
  const url = new URL(target.origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), '127.0.0.1');
    const received: Buffer[] = [];
    let head = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => {
      socket.once('close', () => done());
    });
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(
        `GET /api?token=${target.token} HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${target.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        received.push(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!/^HTTP\/1\.1 101/.test(head.toString('latin1'))) {
        socket.destroy();
        reject(new Error(`handshake refused: ${head.toString('latin1').split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      resolve({ socket, received, closed });
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed before the handshake'));
    });
  });
}

/** How to build one frame. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Buffer;
  readonly fin?: boolean; // default true
  readonly rsv?: number; // the three RSV bits, 0-7
  readonly masked?: boolean; // clients must mask: default true
  readonly declaredLength?: bigint; // a length that lies about the payload
}

/** The bytes of one frame. */
export function frame(spec: FrameSpec): Buffer {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = spec;
  const length = spec.declaredLength ?? BigInt(payload.length);
  const first = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** A text frame holding `text`. */
export const text = (body: string | Buffer): Buffer =>
  frame({ opcode: 1, payload: Buffer.isBuffer(body) ? body : Buffer.from(body) });

/** One thing a client sends; `expect` is what the server must do with it. */
export interface WsCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** 'answer': an error reply on the same socket; 'close': the server closes that socket. 'either': one or the other. */
  readonly expect: 'answer' | 'close' | 'either';
}

const closeFrame = (code: number) => {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return frame({ opcode: 8, payload });
};

/** Every case of issue 11 item 1, and more of the same kinds. `maxMessageBytes` is the server's limit. */
export function namedCases(maxMessageBytes: number): WsCase[] {
  return [
    { name: 'the text null', bytes: text('null'), expect: 'answer' },
    { name: 'a number', bytes: text('42'), expect: 'answer' },
    { name: 'an array', bytes: text('[1,2]'), expect: 'answer' },
    { name: 'a string', bytes: text('"app:info"'), expect: 'answer' },
    { name: 'an empty object', bytes: text('{}'), expect: 'answer' },
    { name: 'malformed JSON', bytes: text('{"id": 1, "channel": '), expect: 'answer' },
    { name: 'an object id', bytes: text('{"id": {}, "channel": "app:info", "args": []}'), expect: 'answer' },
    { name: 'a channel that is a number', bytes: text('{"id": 1, "channel": 7, "args": []}'), expect: 'answer' },
    {
      name: 'args that are an object',
      bytes: text('{"id": 1, "channel": "model:open", "args": {"0": "/etc/passwd"}}'),
      expect: 'answer',
    },
    { name: 'a prototype channel', bytes: text('{"id": 1, "channel": "__proto__", "args": []}'), expect: 'answer' },
    { name: 'a constructor channel', bytes: text('{"id": 1, "channel": "constructor", "args": []}'), expect: 'answer' },
    {
      name: 'null args to profile:start',
      bytes: text('{"id": 1, "channel": "profile:start", "args": [null]}'),
      expect: 'answer',
    },
    {
      name: 'compare:export of a malformed comparison',
      bytes: text(
        '{"id": 1, "channel": "compare:export", "args": [{"comparison": {"models": [{"fileName": 5}]}, "format": "html"}]}',
      ),
      expect: 'answer',
    },
    {
      name: 'deeply nested JSON',
      bytes: text(`{"id": 1, "channel": "report:export", "args": [${'['.repeat(20000)}${']'.repeat(20000)}]}`),
      expect: 'answer',
    },
    {
      name: 'a binary frame',
      bytes: frame({ opcode: 2, payload: Buffer.from('{"id":1,"channel":"app:info","args":[]}') }),
      expect: 'answer',
    },
    { name: 'invalid UTF-8', bytes: text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), expect: 'close' },
    {
      name: 'RSV1 set without compression',
      bytes: frame({ opcode: 1, payload: Buffer.from('{}'), rsv: 4 }),
      expect: 'close',
    },
    { name: 'RSV2 and RSV3 set', bytes: frame({ opcode: 1, payload: Buffer.from('{}'), rsv: 3 }), expect: 'close' },
    {
      name: 'an unmasked client frame',
      bytes: frame({ opcode: 1, payload: Buffer.from('{}'), masked: false }),
      expect: 'close',
    },
    { name: 'unknown opcode 3', bytes: frame({ opcode: 3, payload: Buffer.from('x') }), expect: 'close' },
    { name: 'unknown control opcode 11', bytes: frame({ opcode: 11, payload: Buffer.alloc(0) }), expect: 'close' },
    { name: 'a close with code 1005 (reserved)', bytes: closeFrame(1005), expect: 'close' },
    { name: 'a close with code 999', bytes: closeFrame(999), expect: 'close' },
    { name: 'a close with a one-byte body', bytes: frame({ opcode: 8, payload: Buffer.from([3]) }), expect: 'close' },
    { name: 'a fragmented ping', bytes: frame({ opcode: 9, payload: Buffer.from('p'), fin: false }), expect: 'close' },
    { name: 'a ping over 125 bytes', bytes: frame({ opcode: 9, payload: Buffer.alloc(200) }), expect: 'close' },
    {
      name: 'a continuation with nothing to continue',
      bytes: frame({ opcode: 0, payload: Buffer.from('x') }),
      expect: 'close',
    },
    {
      name: 'a new message inside a fragmented one',
      bytes: Buffer.concat([frame({ opcode: 1, payload: Buffer.from('{'), fin: false }), text('{}')]),
      expect: 'close',
    },
    {
      name: 'a length with the top bit set',
      bytes: frame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: 1n << 63n }),
      expect: 'close',
    },
    { name: 'a message over the size limit', bytes: text(Buffer.alloc(maxMessageBytes + 1, 0x20)), expect: 'close' },
    {
      name: 'a declared length over the size limit',
      bytes: frame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: BigInt(maxMessageBytes) * 4n }),
      expect: 'close',
    },
  ];
}

/** Seeded random cases: garbage bytes, mutated good frames, and mutated good messages. */
export function randomCases(seed: number, count: number): WsCase[] {
  const rng = createRng(seed >>> 0);
  const int = (n: number) => Math.floor(rng() * n);
  const good = [
    '{"id":1,"channel":"app:info","args":[]}',
    '{"id":2,"channel":"model:open","args":["/etc/passwd"]}',
    '{"id":3,"channel":"profile:cancel","args":["x"]}',
  ];
  const cases: WsCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = int(3);
    if (kind === 0) {
      const bytes = Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)));
      cases.push({ name: `random bytes #${i}`, bytes, expect: 'either' });
    } else if (kind === 1) {
      const bytes = text(good[int(good.length)]!);
      for (let flips = 1 + int(3); flips > 0; flips--) bytes[int(bytes.length)] ^= 1 << int(8);
      cases.push({ name: `flipped frame #${i}`, bytes, expect: 'either' });
    } else {
      const message = Buffer.from(good[int(good.length)]!);
      for (let flips = 1 + int(4); flips > 0; flips--) message[int(message.length)] = int(128);
      cases.push({ name: `mutated message #${i}`, bytes: text(message), expect: 'either' });
    }
  }
  return cases;
}

/**
 * What the server did with one case, within `ms`. A frame whose header promises more bytes than
 * were sent is not malformed yet, only unfinished, and the server rightly waits for the rest: so a
 * silent server is sent enough padding to finish any frame, and must then answer or close.
 */
export async function sendCase(target: Target, c: WsCase, ms = 5000): Promise<'answered' | 'closed' | 'silent'> {
  const connection = await openRaw(target);
  connection.socket.write(c.bytes);
  let outcome = await waitForReply(connection, ms);
  if (outcome === 'silent' && !connection.socket.destroyed) {
    connection.socket.write(Buffer.alloc(256 * 1024));
    outcome = await waitForReply(connection, ms);
  }
  connection.socket.destroy();
  return outcome;
}

function waitForReply(connection: RawConnection, ms: number): Promise<'answered' | 'closed' | 'silent'> {
  return Promise.race([
    connection.closed.then(() => 'closed' as const),
    new Promise<'answered' | 'silent'>((resolve) => {
      const until = Date.now() + ms;
      const check = setInterval(() => {
        // Any data frame back (opcode 1) is the answer; a close frame (8) means the socket is closing.
        const data = Buffer.concat(connection.received);
        if (data.length >= 2 && (data[0]! & 0x0f) === 1) {
          clearInterval(check);
          resolve('answered');
        } else if (Date.now() > until) {
          clearInterval(check);
          resolve('silent');
        }
      }, 20);
    }),
  ]);
}

/** The text of the first data frame the server sent (unmasked, as servers send). */
export function firstText(connection: RawConnection): string | null {
  const data = Buffer.concat(connection.received);
  if (data.length < 2 || (data[0]! & 0x0f) !== 1) return null;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  return data.subarray(offset, offset + length).toString('utf8');
}
