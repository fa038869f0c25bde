/** Model cards from the Hub, against a fake Hub served by the test on 127.0.0.1. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CardFile } from '../../../../kernel/hf/card-source';
import { HubError, hubCards, hubEndpoint } from '../../../../kernel/hf/hub-cards';
import { FakeHub, startFakeHub } from '../fixtures/fake-hub';
import { card } from '../fixtures/model-cards';

async function all(cards: AsyncIterable<CardFile>): Promise<CardFile[]> {
  const out: CardFile[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

let hub: FakeHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const models = [
  { id: 'acme/one', downloads: 120, likes: 3, createdAt: '2022-01-05T10:00:00.000Z' },
  { id: 'acme/kg', downloads: -5, likes: '7', createdAt: 'yesterday' },
  { id: 'acme/gone' },
  { id: 'acme/bad' },
  { id: '../../etc/passwd' },
  { modelId: 'legacy-name' }
];
const cards = {
  'acme/one': card('co2_eq_emissions: 10'),
  'acme/kg': card('co2_eq_emissions:\n  emissions: 2\n  emissions_unit: kg'),
  'acme/bad': card('co2_eq_emissions: abc'),
  'legacy-name': card('co2_eq_emissions: 1')
};

describe('hubCards', () => {
  test('lists the models tagged co2_eq_emissions and fetches each README in order', async () => {
    hub = await startFakeHub({ models, cards });
    const got = await all(hubCards({ endpoint: hub.endpoint, limit: 50 }));
    expect(got.map(c => c.modelId)).toEqual([
      'acme/one',
      'acme/kg',
      'acme/gone',
      'acme/bad',
      '../../etc/passwd',
      'legacy-name'
    ]);
    expect(got[0]).toEqual({
      modelId: 'acme/one',
      readme: cards['acme/one'],
      downloads: 120,
      likes: 3,
      createdAt: '2022-01-05'
    });
    // Figures that are not counts, and a date that is not one, are left out.
    expect([got[1].downloads, got[1].likes, got[1].createdAt]).toEqual([
      undefined,
      undefined,
      undefined
    ]);
    expect(got[2].readme).toEqual({ error: 'README.md not served (HTTP 404)' });
    expect(got[3].readme).toBe(cards['acme/bad']);
    // An id that could walk the URL elsewhere is never requested.
    expect(got[4].readme).toEqual({ error: 'the listing gives no valid id' });
    expect(hub.requests.some(r => r.includes('etc'))).toBe(false);
    const listing = new URL(hub.requests[0], hub.endpoint);
    expect(listing.pathname).toBe('/api/models');
    expect(listing.searchParams.get('filter')).toBe('co2_eq_emissions');
    expect(listing.searchParams.get('limit')).toBe('50');
    expect(hub.requests).toContain('/acme/one/raw/main/README.md');
  });

  test('a card too large, or one that stalls, is listed as unreadable; the run goes on', async () => {
    const big = card('co2_eq_emissions: 1', 'x'.repeat(5 * 2 ** 20));
    hub = await startFakeHub({
      models: [{ id: 'acme/big' }, { id: 'acme/one' }],
      cards: { 'acme/big': big, 'acme/one': cards['acme/one'] }
    });
    const got = await all(hubCards({ endpoint: hub.endpoint, limit: 5 }));
    expect(got[0].readme).toEqual({ error: 'README.md is larger than 4 MiB' });
    expect(got[1].readme).toBe(cards['acme/one']);

    // A server that sends the headers of a README and then nothing more.
    const stalling = createServer((req, res) => {
      if (req.url?.startsWith('/api/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ id: 'acme/slow' }]));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('---\n');
    });
    await new Promise<void>(done => stalling.listen(0, '127.0.0.1', done));
    const { port } = stalling.address() as AddressInfo;
    try {
      const slow = await all(hubCards({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 300 }));
      expect(slow[0].readme).toEqual({
        error: 'README.md could not be read: no answer within 0.3 s'
      });
    } finally {
      stalling.closeAllConnections();
      await new Promise(done => stalling.close(done));
    }
  });

  test('follows the Link header to the next page, up to the limit', async () => {
    hub = await startFakeHub({ models, cards, pageSize: 2 });
    const got = await all(hubCards({ endpoint: hub.endpoint, limit: 3 }));
    expect(got.map(c => c.modelId)).toEqual(['acme/one', 'acme/kg', 'acme/gone']);
    expect(hub.requests.filter(r => r.startsWith('/api/models'))).toHaveLength(2);
  });

  test('a next page on another origin is not followed', async () => {
    const server = createServer((_req, res) => {
      res
        .writeHead(200, {
          'content-type': 'application/json',
          link: '<http://example.invalid/api/models?p=2>; rel="next"'
        })
        .end(JSON.stringify([{ id: 'a/b' }]));
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const got = await all(hubCards({ endpoint, limit: 10 }));
      expect(got.map(c => c.modelId)).toEqual(['a/b']);
    } finally {
      await new Promise(done => server.close(done));
    }
  });

  test('a listing answered with an error is a HubError naming the status', async () => {
    hub = await startFakeHub({ models, cards, listingStatus: 503 });
    const run = all(hubCards({ endpoint: hub.endpoint }));
    await expect(run).rejects.toThrow(HubError);
    await expect(all(hubCards({ endpoint: hub.endpoint }))).rejects.toThrow(/HTTP 503/);
  });

  test('a Hub that cannot be reached is a HubError saying so', async () => {
    hub = await startFakeHub({ models, cards });
    const endpoint = hub.endpoint;
    await hub.close();
    hub = undefined;
    await expect(all(hubCards({ endpoint }))).rejects.toThrow(
      /^cannot reach http:\/\/127\.0\.0\.1:\d+: /
    );
  });

  test('a Hub that does not answer times out', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(all(hubCards({ endpoint, timeoutMs: 200 }))).rejects.toThrow(
        /no answer within 0.2 s/
      );
    } finally {
      server.closeAllConnections();
      await new Promise(done => server.close(done));
    }
  });

  test('a bad limit names the field', async () => {
    await expect(all(hubCards({ endpoint: 'http://127.0.0.1:1', limit: 0 }))).rejects.toThrow(
      /^limit: /
    );
  });
});

describe('hubEndpoint', () => {
  test('the option, else HF_ENDPOINT, else huggingface.co; no trailing slash', () => {
    expect(hubEndpoint('http://localhost:8080/', {})).toBe('http://localhost:8080');
    expect(hubEndpoint(undefined, { HF_ENDPOINT: 'https://mirror.example/hf/' })).toBe(
      'https://mirror.example/hf'
    );
    expect(hubEndpoint(undefined, {})).toBe('https://huggingface.co');
  });

  test('anything but an http(s) URL names `endpoint`', () => {
    expect(() => hubEndpoint('file:///etc', {})).toThrow(/^endpoint: must be an http\(s\) URL/);
    expect(() => hubEndpoint('not a url', {})).toThrow(/^endpoint: "not a url" is not a URL/);
  });
});
