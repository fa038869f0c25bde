/**
 * Jupyter wire protocol (messaging spec 5.3): framing and HMAC-SHA256 signatures.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const PROTOCOL_VERSION = '5.3';
const DELIMITER = '<IDS|MSG>';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  subshell_id?: string | null;
}

export interface Message<C = Record<string, any>> {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, any>;
  content: C;
  buffers: Buffer[];
}

/** Why an incoming frame list was refused; logged, never the expected signature. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export class Signer {
  private readonly key: Buffer;

  constructor(
    key: string,
    private readonly scheme = 'hmac-sha256'
  ) {
    if (key && scheme !== 'hmac-sha256') throw new Error(`unsupported signature scheme ${scheme}`);
    this.key = Buffer.from(key, 'utf8');
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(frames: Buffer[]): string {
    if (!this.enabled) return '';
    const hmac = createHmac('sha256', this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest('hex');
  }

  /** Constant-time check, so response timing leaks nothing about the expected digest. */
  verify(signature: string, frames: Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    // Lengths differ only for a malformed signature; compare against itself to keep timing flat.
    if (given.length !== expected.length) {
      timingSafeEqual(expected, expected);
      return false;
    }
    return timingSafeEqual(given, expected);
  }
}

function parseJsonFrame(frame: Buffer, name: string): any {
  try {
    const value = JSON.parse(frame.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new WireError(`${name} is not a JSON object`);
    }
    return value;
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`${name} is not valid JSON`);
  }
}

/** Parses and authenticates a multipart message; throws WireError for anything malformed or forged. */
export function decode(frames: Buffer[], signer: Signer): Message {
  const i = frames.findIndex(
    f => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER
  );
  if (i < 0) throw new WireError('missing <IDS|MSG> delimiter');
  if (frames.length < i + 6) throw new WireError('too few frames');
  const signature = frames[i + 1].toString('latin1');
  const signed = frames.slice(i + 2, i + 6);
  if (!signer.verify(signature, signed)) {
    throw new WireError(signature ? 'bad signature' : 'missing signature');
  }
  const header = parseJsonFrame(signed[0], 'header');
  if (typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new WireError('header lacks msg_type or msg_id');
  }
  return {
    identities: frames.slice(0, i),
    header,
    parent_header: parseJsonFrame(signed[1], 'parent_header'),
    metadata: parseJsonFrame(signed[2], 'metadata'),
    content: parseJsonFrame(signed[3], 'content'),
    buffers: frames.slice(i + 6)
  };
}

export interface Outgoing {
  msgType: string;
  content: Record<string, any>;
  parent?: Message;
  metadata?: Record<string, any>;
  identities?: Buffer[];
  buffers?: Buffer[];
}

export function newHeader(msgType: string, session: string): Header {
  return {
    msg_id: randomUUID(),
    session,
    username: 'gaissa',
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION
  };
}

/** Builds the frames of an outgoing message, signed, replying to `parent` when given. */
export function encode(out: Outgoing, session: string, signer: Signer): Buffer[] {
  const header = newHeader(out.msgType, session);
  const parentHeader = out.parent?.header ?? {};
  const signed = [header, parentHeader, out.metadata ?? {}, out.content].map(part =>
    Buffer.from(JSON.stringify(part), 'utf8')
  );
  return [
    ...(out.identities ?? out.parent?.identities ?? []),
    Buffer.from(DELIMITER, 'latin1'),
    Buffer.from(signer.sign(signed), 'latin1'),
    ...signed,
    ...(out.buffers ?? [])
  ];
}
