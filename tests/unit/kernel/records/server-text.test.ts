import { printable, readServerText } from '../../../../kernel/records/server-text';

describe('readServerText', () => {
  it('reads only the start of an endless body', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1000));
    const endless = new ReadableStream<Uint8Array>({ pull: c => c.enqueue(chunk) });
    const text = await readServerText(new Response(endless, { status: 500 }), 4096);
    expect(text).toBe('x'.repeat(4096));
  });

  it('reads a short body whole, and an empty one as nothing', async () => {
    expect(await readServerText(new Response('busy', { status: 503 }))).toBe('busy');
    expect(await readServerText(new Response(null, { status: 503 }))).toBe('');
  });
});

describe('printable', () => {
  it('makes C0 and C1 control characters spaces, and keeps other text', () => {
    expect(printable('\u001b]0;owned\u0007red\r\nline\u009b2Jé €')).toBe(
      ' ]0;owned red line 2Jé €'
    );
  });
});
