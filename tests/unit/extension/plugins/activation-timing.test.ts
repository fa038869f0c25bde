/** `gaissa:activate` holds the sum of our plugins' activations, not the span between them. */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { timedActivation } from '../../../../extension/plugins/activation-timing';
import { TIMING } from '../../../../extension/shared/timing';

describe('timedActivation', () => {
  it('passes the services through and records the sum of the activations', () => {
    let clock = 1000;
    const now = jest.spyOn(performance, 'now').mockImplementation(() => clock);
    const plugin = (id: string, ms: number): JupyterFrontEndPlugin<string> => ({
      id,
      activate: (_app, service: string) => {
        clock += ms;
        return `${id} got ${service}`;
      }
    });
    const first = timedActivation(plugin('first', 3));
    const second = timedActivation(plugin('second', 4));
    expect(first.id).toBe('first');
    expect(first.activate({} as never, 'a')).toBe('first got a');
    clock += 100; // other extensions' plugins
    expect(second.activate({} as never, 'b')).toBe('second got b');
    const entries = performance.getEntriesByName(TIMING.activate);
    expect(entries).toHaveLength(1);
    expect(entries[0].duration).toBe(7);
    now.mockRestore();
  });
});
