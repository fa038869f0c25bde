/** `%gaissa sinks` through the registry, with the kernel's measurement session in a temporary folder. */
import { createServer, type Server } from 'node:http';
import { gaissa } from '../../../../kernel/api';
import { measureMagics } from '../../../../kernel/magics/measure';
import { sinksMagic } from '../../../../kernel/magics/sinks';
import { measureSession } from '../../../../kernel/measure/current';
import { inTemporarySessionFolder, runLineMagics } from '../../fixtures/measure-session';
import { sampleRecord } from '../../fixtures/sample-record';

let refusing: Server;
let url: string;

beforeAll(async () => {
  // A Pushgateway that refuses every push, as a misconfigured one does.
  refusing = createServer((_, res) => res.writeHead(403).end('forbidden'));
  await new Promise<void>(resolve => refusing.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(refusing.address() as { port: number }).port}`;
});
afterAll(() => refusing.close());

inTemporarySessionFolder('gaissa-sinks-');
const magic = (line: string) => runLineMagics([...measureMagics, sinksMagic], line);

describe('%gaissa sinks', () => {
  it('says when no team server is set', async () => {
    expect(await magic('%gaissa sinks')).toContain('No team server');
    expect(gaissa.sinks()).toEqual([]);
  });

  it('names a record the server refused, after %gaissa config set names the server', async () => {
    await magic(`%gaissa config set pushgatewayUrl ${url}`);
    measureSession().sink.write(sampleRecord('m-1'));
    const text = await magic('%gaissa sinks flush');
    expect(text).toContain(
      `warning: Pushgateway at ${url}: refused the records (HTTP 403: forbidden), which are not retried`
    );
    expect(text).toContain(`Pushgateway at ${url}: 0 delivered, 0 waiting, 1 not yet pushed`);
    expect(text).toContain('not yet pushed: m-1: refused: HTTP 403: forbidden');
    expect(gaissa.sinks()[0].undelivered).toEqual([
      { id: 'm-1', reason: 'refused: HTTP 403: forbidden' }
    ]);
    // Said once: the next look has the status, not the warning again.
    expect(await magic('%gaissa sinks')).not.toContain('warning:');
  });
});
