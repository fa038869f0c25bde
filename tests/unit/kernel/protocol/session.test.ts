import { KernelHandler, ProtocolSession } from '../../../../kernel/protocol/session';
import { decode, Message, Signer } from '../../../../kernel/protocol/wire';

const KEY = 'test-key';
const client = new Signer(KEY);
const turn = () => new Promise<void>(resolve => setImmediate(resolve));

function handler(overrides: Partial<KernelHandler> = {}): KernelHandler {
  return {
    kernelInfo: () => ({ status: 'ok' }) as ReturnType<KernelHandler['kernelInfo']>,
    execute: async (_request, _context) => ({
      status: 'ok',
      execution_count: 1,
      payload: [],
      user_expressions: {}
    }),
    complete: async () => ({
      status: 'ok',
      matches: [],
      cursor_start: 0,
      cursor_end: 0,
      metadata: {}
    }),
    inspect: async () => ({ status: 'ok', found: false, data: {}, metadata: {} }),
    isComplete: async () => ({ status: 'complete' }),
    history: () => ({ status: 'ok', history: [] }),
    commInfo: () => ({ status: 'ok', comms: {} }),
    commOpen: () => true,
    commMsg: () => undefined,
    commClose: () => undefined,
    shutdown: request => ({ status: 'ok', restart: request.restart }),
    flushOutput: () => undefined,
    ...overrides
  };
}

/** A session whose sent messages are decoded into `sent` as [socket, message]. */
function session(h: KernelHandler) {
  const sent: [string, Message][] = [];
  const log = jest.fn();
  const s = new ProtocolSession(KEY, 'hmac-sha256', h, log);
  s.attach(async (socket, frames) => {
    sent.push([socket, decode(frames, client)]);
  });
  return { s, sent, log };
}

/** A client's signed request with msg_id `id`, from identity `client`. */
function request(msgType: string, content: Record<string, unknown> = {}, id = msgType): Buffer[] {
  const header = {
    msg_id: id,
    msg_type: msgType,
    session: 's',
    username: 'u',
    date: '',
    version: '5.3'
  };
  return signedFrames([JSON.stringify(header), '{}', '{}', JSON.stringify(content)]);
}

function signedFrames(parts: string[]): Buffer[] {
  const signed = parts.map(p => Buffer.from(p));
  return [
    Buffer.from('client'),
    Buffer.from('<IDS|MSG>'),
    Buffer.from(client.sign(signed)),
    ...signed
  ];
}

/** A request whose header nests `depth` arrays, signed correctly. */
function deepRequest(msgType: string, depth: number): Buffer[] {
  const header = `{"msg_id":"deep","msg_type":"${msgType}","session":"s","username":"u","date":"","version":"5.3","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return signedFrames([header, '{}', '{}', '{"code":"1"}']);
}

const summary = (sent: [string, Message][]) =>
  sent.map(([socket, m]) =>
    m.header.msg_type === 'status'
      ? `${socket} ${m.content.execution_state} ${m.parent_header.msg_id}`
      : `${socket} ${m.header.msg_type} ${m.parent_header.msg_id}`
  );

describe('ProtocolSession', () => {
  test('answers a shell request between busy and idle, signed, to its sender', async () => {
    const { s, sent } = session(handler());
    s.receive('shell', request('kernel_info_request'));
    await turn();
    expect(summary(sent)).toEqual([
      'iopub busy kernel_info_request',
      'shell kernel_info_reply kernel_info_request',
      'iopub idle kernel_info_request'
    ]);
    expect(sent[1][1].identities.map(String)).toEqual(['client']);
  });

  test('drops a forged message without a word on iopub', async () => {
    const { s, sent, log } = session(handler());
    const frames = request('execute_request', { code: '1' });
    frames[2] = Buffer.from('0'.repeat(64));
    s.receive('shell', frames);
    await turn();
    expect(sent).toEqual([]);
    expect(log).toHaveBeenCalledWith('dropped a message: bad signature');
  });

  test('a signed request whose header nests 5,000 levels is dropped; the shell answers the next', async () => {
    const execute = jest.fn(handler().execute);
    const { s, sent, log } = session(handler({ execute }));
    expect(() =>
      JSON.stringify(decode(deepRequest('execute_request', 5000), client).header)
    ).toThrow(RangeError);
    s.receive('shell', deepRequest('execute_request', 5000));
    s.receive('shell', request('execute_request', { code: '2' }, 'next'));
    for (let i = 0; i < 3; i++) await turn();
    expect(execute).toHaveBeenCalledTimes(1);
    expect(summary(sent)).toEqual([
      'iopub busy next',
      'shell execute_reply next',
      'iopub idle next'
    ]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^dropped a message: /));
  });

  test('a reply that cannot be encoded is logged, the request still ends idle and the shell goes on', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const { s, sent, log } = session(
      handler({
        complete: async () => ({
          status: 'ok',
          matches: [],
          cursor_start: 0,
          cursor_end: 0,
          metadata: cyclic
        })
      })
    );
    s.receive('shell', request('complete_request', { code: 'x', cursor_pos: 1 }));
    s.receive('shell', request('is_complete_request', { code: 'x' }));
    for (let i = 0; i < 3; i++) await turn();
    expect(summary(sent)).toEqual([
      'iopub busy complete_request',
      'iopub idle complete_request',
      'iopub busy is_complete_request',
      'shell is_complete_reply is_complete_request',
      'iopub idle is_complete_request'
    ]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^could not encode complete_reply/));
  });

  test('a handler that throws gets an error reply and idle', async () => {
    const { s, sent } = session(
      handler({
        inspect: async () => {
          throw new TypeError('no inspection');
        }
      })
    );
    s.receive('shell', request('inspect_request', { code: 'x', cursor_pos: 1 }));
    await turn();
    expect(summary(sent)).toEqual([
      'iopub busy inspect_request',
      'shell inspect_reply inspect_request',
      'iopub idle inspect_request'
    ]);
    expect(sent[1][1].content).toMatchObject({ status: 'error', ename: 'TypeError' });
  });

  test('a failed cell aborts the execute requests queued behind it', async () => {
    const { s, sent } = session(
      handler({
        execute: async request =>
          request.code === 'fail'
            ? { status: 'error', execution_count: 3, ename: 'E', evalue: 'v', traceback: [] }
            : { status: 'ok', execution_count: 4, payload: [], user_expressions: {} }
      })
    );
    s.receive('shell', request('execute_request', { code: 'fail' }, 'a'));
    s.receive('shell', request('execute_request', { code: 'later' }, 'b'));
    for (let i = 0; i < 3; i++) await turn();
    expect(summary(sent)).toEqual([
      'iopub busy a',
      'shell execute_reply a',
      'iopub busy b',
      'shell execute_reply b',
      'iopub idle b',
      'iopub idle a'
    ]);
    expect(sent[3][1].content).toEqual({ status: 'aborted', execution_count: 3 });
  });

  test('interrupt_request on control stops a shell request waiting for its runner', async () => {
    const warmUp = new Promise<string>(() => undefined);
    let waited: string | null | undefined;
    const { s, sent } = session(
      handler({
        execute: async (_request, context) => {
          waited = await s.unlessInterrupted(context, warmUp);
          return { status: 'ok', execution_count: 1, payload: [], user_expressions: {} };
        }
      })
    );
    s.receive('shell', request('execute_request', { code: 'x' }, 'cell'));
    await turn();
    s.receive('control', request('interrupt_request', {}, 'stop'));
    for (let i = 0; i < 3; i++) await turn();
    expect(waited).toBeNull();
    expect(summary(sent)).toContain('control interrupt_reply stop');
    expect(summary(sent)).toContain('shell execute_reply cell');
  });
});
