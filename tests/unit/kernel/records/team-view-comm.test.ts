// The gaissa.team comm through the kernel's CommManager: a fetch is answered with the view, a
// refresh during a read is answered once more after it, anything off the schema closes the comm.
import Ajv from 'ajv';
import schema from '../../../../schema/team-view-comm.schema.json';
import { CommManager } from '../../../../kernel/comms';
import { failedView, teamViewTarget } from '../../../../kernel/records/team-view-comm';
import type { TeamView } from '../../../../kernel/records/team-view';
import { TEAM_VIEW_COMM_TARGET } from '../../../../core/mime-types';

const view = (n: number) => ({ type: 'team-view', runs: n }) as unknown as TeamView;

function setup(read: () => Promise<TeamView>) {
  const published: Array<{ msgType: string; content: Record<string, unknown> }> = [];
  const manager = new CommManager((msgType, content) => published.push({ msgType, content }));
  manager.registerTarget(TEAM_VIEW_COMM_TARGET, teamViewTarget(read));
  const data = () => published.filter(p => p.msgType === 'comm_msg').map(p => p.content.data);
  return { manager, published, data };
}

const settle = () => new Promise(r => setTimeout(r, 0));

describe('the gaissa.team comm', () => {
  it('answers the opening fetch and each refresh with a fresh read', async () => {
    let reads = 0;
    const { manager, data } = setup(async () => view(++reads));
    manager.handleOpen('c', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 1 });
    await settle();
    manager.handleMessage('c', { type: 'fetch', protocol: 1 });
    await settle();
    expect(data()).toEqual([view(1), view(2)]);
  });

  it('answers asks made during a read with one more read, not one each', async () => {
    const pending: Array<() => void> = [];
    let reads = 0;
    const { manager, data } = setup(
      () => new Promise(resolve => pending.push(() => resolve(view(++reads))))
    );
    manager.handleOpen('c', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 1 });
    manager.handleMessage('c', { type: 'fetch', protocol: 1 });
    manager.handleMessage('c', { type: 'fetch', protocol: 1 });
    pending.shift()!();
    await settle();
    pending.shift()!();
    await settle();
    expect(pending).toEqual([]);
    expect(data()).toEqual([view(1), view(2)]);
  });

  it('closes a comm opened without a valid fetch, and ignores invalid messages', async () => {
    let reads = 0;
    const { manager, published, data } = setup(async () => view(++reads));
    manager.handleOpen('bad', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 2 });
    expect(published).toEqual([
      {
        msgType: 'comm_close',
        content: { comm_id: 'bad', data: { error: 'expected a fetch message of protocol 1' } }
      }
    ]);
    manager.handleOpen('c', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 1 });
    manager.handleMessage('c', { type: 'fetch', protocol: 1, extra: '<img>' });
    await settle();
    expect(data()).toEqual([view(1)]);
  });

  it('sends nothing to a comm the frontend closed during the read', async () => {
    let finish = () => undefined as void;
    const { manager, data } = setup(() => new Promise(r => (finish = () => r(view(1)))));
    manager.handleOpen('c', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 1 });
    manager.handleClose('c', {});
    finish();
    await settle();
    expect(data()).toEqual([]);
  });
});

describe('a read that throws', () => {
  const validView = new Ajv({ allowUnionTypes: true }).compile(schema);

  it.each([
    ['rejects', () => Promise.reject(new Error('read http://ann:s3cret@m/ failed'))],
    [
      'throws before it starts',
      () => {
        throw new Error("Cannot find module './team-view'");
      }
    ]
  ])('%s: answers an unreachable view saying why, and answers the next ask', async (_, fail) => {
    let reads = 0;
    const { manager, data } = setup(() => (++reads === 1 ? fail() : Promise.resolve(view(2))));
    manager.handleOpen('c', TEAM_VIEW_COMM_TARGET, { type: 'fetch', protocol: 1 });
    await settle();
    const [failed] = data() as TeamView[];
    expect(validView(failed)).toBe(true);
    expect(failed).toMatchObject({ type: 'team-view', status: 'unreachable', runs: 0 });
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(/failed|Cannot find module/);
    expect(failed.errors[0]).not.toContain('s3cret');
    manager.handleMessage('c', { type: 'fetch', protocol: 1 });
    await settle();
    expect(data()[1]).toEqual(view(2));
  });

  it('bounds the error text', () => {
    expect(failedView('x'.repeat(5000)).errors[0]).toHaveLength(1000);
  });
});
