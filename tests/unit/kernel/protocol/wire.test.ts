/**
 * Jupyter wire protocol: framing, HMAC-SHA256 over exactly header/parent/metadata/content, and the
 * refusal of anything malformed or forged — without ever putting the expected signature in an error.
 */
import { createHmac } from 'node:crypto';
import {
  decode,
  encode,
  Message,
  newHeader,
  PROTOCOL_VERSION,
  Signer,
  WireError
} from '../../../../kernel/protocol/wire';

const KEY = 'a0b1c2d3-e4f5-4678-9abc-def012345678';
const DELIM = '<IDS|MSG>';
const signer = new Signer(KEY);

function hmac(key: string, parts: Buffer[]): string {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');

/** Frames as a client would build them, signed with `key` (or with `signature` verbatim). */
function clientFrames(
  opts: {
    key?: string;
    signature?: string;
    identities?: Buffer[];
    header?: Buffer;
    parent?: Buffer;
    metadata?: Buffer;
    content?: Buffer;
    buffers?: Buffer[];
  } = {}
): Buffer[] {
  const signed = [
    opts.header ??
      json({
        msg_id: 'm-1',
        session: 's-1',
        username: 'user',
        date: '2024-01-01T00:00:00.000Z',
        msg_type: 'execute_request',
        version: '5.3'
      }),
    opts.parent ?? json({}),
    opts.metadata ?? json({}),
    opts.content ?? json({ code: '1+1', silent: false })
  ];
  const signature = opts.signature ?? hmac(opts.key ?? KEY, signed);
  return [
    ...(opts.identities ?? [Buffer.from('client-id')]),
    Buffer.from(DELIM),
    Buffer.from(signature),
    ...signed,
    ...(opts.buffers ?? [])
  ];
}

/** Runs `fn`, expects a WireError, and returns it. */
function wireError(fn: () => unknown): WireError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as Error).name).toBe('WireError');
    return e as WireError;
  }
  throw new Error('expected a WireError, nothing was thrown');
}

/** The error must not hand out the digest the kernel expected, nor any hex run that long. */
function expectNoSignatureLeak(err: Error, expected: string): void {
  expect(expected).toMatch(/^[0-9a-f]{64}$/);
  for (const text of [err.message, String(err), err.stack ?? '']) {
    expect(text).not.toContain(expected);
    expect(text.toLowerCase()).not.toContain(expected.slice(0, 16));
    expect(text).not.toMatch(/[0-9a-f]{32}/i);
  }
}

describe('Signer', () => {
  test('signs with HMAC-SHA256 over the frames in order, as lowercase hex', () => {
    const frames = [json({ a: 1 }), json({}), json({}), json({ b: 'é' })];
    const sig = signer.sign(frames);
    expect(sig).toBe(hmac(KEY, frames));
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    // Order matters: the same frames in another order give another digest.
    expect(signer.sign([...frames].reverse())).not.toBe(sig);
  });

  test('a known HMAC-SHA256 test vector (RFC 4231 case 2)', () => {
    const s = new Signer('Jefe');
    expect(s.sign([Buffer.from('what do ya want '), Buffer.from('for nothing?')])).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    );
  });

  test('verify accepts the right digest and rejects others of any length', () => {
    const frames = [json({ x: 1 }), json({}), json({}), json({})];
    const good = signer.sign(frames);
    expect(signer.verify(good, frames)).toBe(true);
    expect(signer.verify(good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'), frames)).toBe(false);
    expect(signer.verify(good.slice(0, 63), frames)).toBe(false);
    expect(signer.verify(good + '0', frames)).toBe(false);
    expect(signer.verify('', frames)).toBe(false);
    expect(signer.verify(new Signer('other').sign(frames), frames)).toBe(false);
  });

  test('an empty key disables signing: empty signature out, anything accepted', () => {
    const off = new Signer('');
    expect(off.enabled).toBe(false);
    expect(signer.enabled).toBe(true);
    expect(off.sign([json({})])).toBe('');
    expect(off.verify('', [json({})])).toBe(true);
  });

  test('refuses a signature scheme other than hmac-sha256', () => {
    expect(() => new Signer(KEY, 'hmac-md5')).toThrow(/unsupported signature scheme hmac-md5/);
    expect(() => new Signer(KEY, 'hmac-sha256')).not.toThrow();
  });
});

describe('encode', () => {
  const parent: Message = decode(clientFrames(), signer);

  test('frames: identities, delimiter, signature, four JSON parts, buffers', () => {
    const buf = Buffer.from([0, 1, 2, 255]);
    const frames = encode(
      {
        msgType: 'execute_reply',
        content: { status: 'ok', execution_count: 3 },
        parent,
        metadata: { started: 'now' },
        buffers: [buf]
      },
      'kernel-session',
      signer
    );
    expect(frames).toHaveLength(1 + 1 + 1 + 4 + 1);
    expect(frames[0].toString()).toBe('client-id');
    expect(frames[1].toString()).toBe(DELIM);
    const header = JSON.parse(frames[3].toString());
    expect(header).toMatchObject({
      msg_type: 'execute_reply',
      session: 'kernel-session',
      username: 'gaissa',
      version: PROTOCOL_VERSION
    });
    expect(header.msg_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(header.date).toISOString()).toBe(header.date);
    expect(JSON.parse(frames[4].toString())).toEqual(parent.header);
    expect(JSON.parse(frames[5].toString())).toEqual({ started: 'now' });
    expect(JSON.parse(frames[6].toString())).toEqual({ status: 'ok', execution_count: 3 });
    expect(frames[7].equals(buf)).toBe(true);
  });

  test('the signature is the HMAC of exactly header, parent, metadata and content', () => {
    const frames = encode(
      {
        msgType: 'display_data',
        content: { data: { 'text/plain': 'ü 😀' } },
        parent,
        identities: [Buffer.from('a'), Buffer.from('b')],
        buffers: [Buffer.from('not signed')]
      },
      'sess',
      signer
    );
    const d = frames.findIndex(f => f.toString() === DELIM);
    expect(d).toBe(2);
    expect(frames[d + 1].toString()).toBe(hmac(KEY, frames.slice(d + 2, d + 6)));
    // Not over identities nor buffers: a digest including them differs.
    expect(frames[d + 1].toString()).not.toBe(hmac(KEY, frames.slice(d + 2)));
    expect(frames[d + 1].toString()).not.toBe(hmac(KEY, frames.slice(0, d + 6)));
  });

  test('identities: explicit ones win over the parent, none without either', () => {
    const explicit = encode(
      { msgType: 'status', content: {}, parent, identities: [Buffer.from('topic')] },
      's',
      signer
    );
    expect(explicit[0].toString()).toBe('topic');
    expect(explicit[1].toString()).toBe(DELIM);
    const bare = encode({ msgType: 'status', content: { execution_state: 'idle' } }, 's', signer);
    expect(bare[0].toString()).toBe(DELIM);
    expect(JSON.parse(bare[3].toString())).toEqual({});
    expect(JSON.parse(bare[4].toString())).toEqual({});
  });

  test('with an empty key the signature frame is empty', () => {
    const frames = encode({ msgType: 'status', content: {} }, 's', new Signer(''));
    expect(frames[1]).toHaveLength(0);
  });

  test('newHeader gives fresh ids and the protocol version', () => {
    const a = newHeader('kernel_info_reply', 'S');
    const b = newHeader('kernel_info_reply', 'S');
    expect(a.msg_id).not.toBe(b.msg_id);
    expect(a).toMatchObject({ msg_type: 'kernel_info_reply', session: 'S', version: '5.3' });
  });
});

describe('decode', () => {
  test('round trip encode → decode keeps every part, identities and buffers', () => {
    const ids = [Buffer.from([0, 0x80, 0xff, 0x10]), Buffer.from('second-id')];
    const bufs = [Buffer.from([1, 2, 3]), Buffer.alloc(0), Buffer.from('x'.repeat(1000))];
    const parentHeader = newHeader('execute_request', 'client');
    const content = { code: 'const s = "é😀\\u0000";', nested: { a: [1, null, true] } };
    const frames = encode(
      {
        msgType: 'execute_request',
        content,
        metadata: { deletedCells: [] },
        identities: ids,
        buffers: bufs,
        parent: {
          identities: [],
          header: parentHeader,
          parent_header: {},
          metadata: {},
          content: {},
          buffers: []
        }
      },
      'client',
      signer
    );
    const msg = decode(frames, signer);
    expect(msg.identities).toHaveLength(2);
    expect(msg.identities[0].equals(ids[0])).toBe(true);
    expect(msg.identities[1].equals(ids[1])).toBe(true);
    expect(msg.header.msg_type).toBe('execute_request');
    expect(msg.header.session).toBe('client');
    expect(msg.parent_header).toEqual(parentHeader);
    expect(msg.metadata).toEqual({ deletedCells: [] });
    expect(msg.content).toEqual(content);
    expect(msg.buffers).toHaveLength(3);
    msg.buffers.forEach((b, i) => expect(b.equals(bufs[i])).toBe(true));
  });

  test('decodes a client-built message with no identities and no buffers', () => {
    const msg = decode(clientFrames({ identities: [] }), signer);
    expect(msg.identities).toEqual([]);
    expect(msg.buffers).toEqual([]);
    expect(msg.header.msg_id).toBe('m-1');
    expect(msg.content).toEqual({ code: '1+1', silent: false });
  });

  test('a reply decodes with the request as parent and its identities as routing', () => {
    const request = decode(clientFrames(), signer);
    const reply = decode(
      encode({ msgType: 'x_reply', content: {}, parent: request }, 'k', signer),
      signer
    );
    expect(reply.parent_header).toEqual(request.header);
    expect(reply.identities.map(b => b.toString())).toEqual(['client-id']);
  });

  test('with signing disabled, any signature is accepted', () => {
    const msg = decode(clientFrames({ signature: '' }), new Signer(''));
    expect(msg.header.msg_type).toBe('execute_request');
  });
});

describe('signature rejection', () => {
  const signedParts = (frames: Buffer[]) => {
    const d = frames.findIndex(f => f.toString() === DELIM);
    return frames.slice(d + 2, d + 6);
  };

  test('a message signed with a wrong key', () => {
    const frames = clientFrames({ key: 'not-the-key' });
    const err = wireError(() => decode(frames, signer));
    expect(err.message).toBe('bad signature');
    expectNoSignatureLeak(err, hmac(KEY, signedParts(frames)));
  });

  test('an empty signature', () => {
    const frames = clientFrames({ signature: '' });
    const err = wireError(() => decode(frames, signer));
    expect(err.message).toBe('missing signature');
    expectNoSignatureLeak(err, hmac(KEY, signedParts(frames)));
  });

  test('a signature of the wrong length or not hex', () => {
    const good = hmac(KEY, signedParts(clientFrames()));
    for (const sig of [good.slice(0, 32), good + good, 'zz'.repeat(32), good.toUpperCase()]) {
      const err = wireError(() => decode(clientFrames({ signature: sig }), signer));
      expect(err.message).toBe('bad signature');
      expectNoSignatureLeak(err, good);
    }
  });

  test('tampered content (and each other signed part) after signing', () => {
    const original = clientFrames();
    const d = original.findIndex(f => f.toString() === DELIM);
    for (const part of [0, 1, 2, 3]) {
      const frames = [...original];
      const tampered = JSON.parse(frames[d + 2 + part].toString());
      tampered.injected = 'while(true){}';
      frames[d + 2 + part] = json(tampered);
      const err = wireError(() => decode(frames, signer));
      expect(err.message).toBe('bad signature');
      expectNoSignatureLeak(err, hmac(KEY, signedParts(frames)));
    }
    // Identities and buffers are not signed: changing them is not a forgery.
    const rerouted = [Buffer.from('other-id'), ...original.slice(1), Buffer.from('extra')];
    const msg = decode(rerouted, signer);
    expect(msg.identities[0].toString()).toBe('other-id');
    expect(msg.buffers.map(b => b.toString())).toEqual(['extra']);
  });

  test('truncated frames', () => {
    const frames = clientFrames();
    for (let keep = 2; keep < frames.length; keep++) {
      const err = wireError(() => decode(frames.slice(0, keep), signer));
      expect(err.message).toBe('too few frames');
    }
    wireError(() => decode([], signer));
  });

  test('missing delimiter', () => {
    const frames = clientFrames().filter(f => f.toString() !== DELIM);
    const err = wireError(() => decode(frames, signer));
    expect(err.message).toMatch(/missing <IDS\|MSG> delimiter/);
    // A near miss is not a delimiter either.
    const near = clientFrames().map(f => (f.toString() === DELIM ? Buffer.from('<IDS|MSG >') : f));
    expect(wireError(() => decode(near, signer)).message).toMatch(/delimiter/);
  });

  test('a correctly signed non-JSON header', () => {
    const frames = clientFrames({ header: Buffer.from('{not json') });
    const err = wireError(() => decode(frames, signer));
    expect(err.message).toBe('header is not valid JSON');
    expectNoSignatureLeak(err, hmac(KEY, signedParts(frames)));
  });

  test('a correctly signed header that is JSON but not an object', () => {
    for (const header of ['[1,2]', 'null', '"execute_request"', '42']) {
      const err = wireError(() => decode(clientFrames({ header: Buffer.from(header) }), signer));
      expect(err.message).toBe('header is not a JSON object');
    }
  });

  test('a correctly signed header without msg_type (or msg_id)', () => {
    const noType = clientFrames({ header: json({ msg_id: 'x', session: 's' }) });
    expect(wireError(() => decode(noType, signer)).message).toBe('header lacks msg_type or msg_id');
    const badType = clientFrames({ header: json({ msg_id: 'x', msg_type: 7 }) });
    expect(wireError(() => decode(badType, signer)).message).toBe(
      'header lacks msg_type or msg_id'
    );
    const noId = clientFrames({ header: json({ msg_type: 'kernel_info_request' }) });
    expect(wireError(() => decode(noId, signer)).message).toBe('header lacks msg_type or msg_id');
  });

  test('non-JSON parent, metadata or content are refused and named', () => {
    expect(
      wireError(() => decode(clientFrames({ parent: Buffer.from('x') }), signer)).message
    ).toBe('parent_header is not valid JSON');
    expect(
      wireError(() => decode(clientFrames({ metadata: Buffer.from('[]') }), signer)).message
    ).toBe('metadata is not a JSON object');
    expect(
      wireError(() => decode(clientFrames({ content: Buffer.from('') }), signer)).message
    ).toBe('content is not valid JSON');
  });

  test('the signature is checked before anything is parsed', () => {
    // A forged, malformed header reports the signature, not the JSON problem.
    const frames = clientFrames({ header: Buffer.from('{not json'), key: 'wrong' });
    expect(wireError(() => decode(frames, signer)).message).toBe('bad signature');
  });
});
