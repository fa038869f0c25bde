// Which kernel the team view reads through, and what it makes of the kernel's answers: the active
// notebook's GAISSA kernel first, else one of its own, shut down when no longer used; an answer
// off the schema is refused, not shown.
import {
  ANSWER_TIMEOUT_MS,
  TeamViewSource,
  type KernelSource,
  type TeamKernel,
  type TeamViewState
} from '../../../../../extension/plugins/team-view/team-view-connection';
import { HOSTILE, sampleTeamView } from '../../fixtures/team-view';

class FakeComm {
  opened: unknown[] = [];
  sent: unknown[] = [];
  isDisposed = false;
  onMsg: (msg: { content: { data: unknown } }) => void = () => undefined;
  onClose: (msg: unknown) => void = () => undefined;
  constructor(readonly targetName: string) {}
  open(data: unknown) {
    this.opened.push(data);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  // As JupyterLab's CommHandler: closing calls onClose at once.
  close() {
    this.isDisposed = true;
    this.onClose({});
  }
  receive(data: unknown) {
    this.onMsg({ content: { data } });
  }
}

class FakeKernel {
  status = 'idle';
  isDisposed = false;
  readonly comms: FakeComm[] = [];
  constructor(readonly id: string) {}
  createComm(target: string) {
    const comm = new FakeComm(target);
    this.comms.push(comm);
    return comm;
  }
  get comm() {
    return this.comms[this.comms.length - 1];
  }
}

/** Every view made, closed after each test so that no answer timer outlives it. */
const views: TeamViewSource[] = [];
afterEach(() => views.splice(0).forEach(v => v.dispose()));

function setup(active: FakeKernel | null = null) {
  const kernels = {
    active: active as FakeKernel | null,
    started: [] as FakeKernel[],
    shutDown: [] as string[],
    failStart: null as Error | null
  };
  const source: KernelSource = {
    active: () => kernels.active as unknown as TeamKernel | null,
    start: async () => {
      if (kernels.failStart) throw kernels.failStart;
      const k = new FakeKernel(`own-${kernels.started.length + 1}`);
      kernels.started.push(k);
      return k as unknown as TeamKernel;
    },
    shutdown: async k => {
      kernels.shutDown.push((k as unknown as FakeKernel).id);
    }
  };
  const states: TeamViewState[] = [];
  const view = new TeamViewSource(source, s => states.push(s));
  views.push(view);
  return { kernels, view, states, last: () => states[states.length - 1] };
}

const FETCH = { type: 'fetch', protocol: 1 };

describe('TeamViewSource', () => {
  it("reads through the active notebook's GAISSA kernel, and shows its valid answer", async () => {
    const notebook = new FakeKernel('nb');
    const { kernels, view, last } = setup(notebook);
    await view.refresh();
    expect(kernels.started).toEqual([]);
    expect(notebook.comm.targetName).toBe('gaissa.team');
    expect(notebook.comm.opened).toEqual([FETCH]);
    expect(last()).toEqual({ kind: 'connecting', detail: 'Reading the team server…' });
    notebook.comm.receive(sampleTeamView());
    expect(last()).toEqual({ kind: 'view', view: sampleTeamView(), refreshing: false });
    await view.refresh();
    expect(notebook.comms).toHaveLength(1);
    expect(notebook.comm.sent).toEqual([FETCH]);
    expect(last()).toEqual({ kind: 'view', view: sampleTeamView(), refreshing: true });
  });

  it('starts a kernel of its own when no GAISSA notebook is active, and shuts it down when closed', async () => {
    const { kernels, view } = setup();
    await view.refresh();
    await view.refresh();
    expect(kernels.started.map(k => k.id)).toEqual(['own-1']);
    expect(kernels.started[0].comm.sent).toEqual([FETCH]);
    view.dispose();
    expect(kernels.shutDown).toEqual(['own-1']);
    expect(kernels.started[0].comm.isDisposed).toBe(true);
  });

  it('starts one kernel however often it is asked while that one starts, and asks it once up', async () => {
    const { kernels, view } = setup();
    await Promise.all([view.refresh(), view.refresh(), view.refresh()]);
    expect(kernels.started.map(k => k.id)).toEqual(['own-1']);
    expect(kernels.started[0].comms).toHaveLength(1);
    expect(kernels.started[0].comm.opened).toEqual([FETCH]);
  });

  it('shuts down a kernel that comes up after the view was closed', async () => {
    const { kernels, view } = setup();
    const refreshed = view.refresh();
    view.dispose();
    await refreshed;
    expect(kernels.shutDown).toEqual(['own-1']);
    expect(kernels.started[0].comms).toHaveLength(0);
  });

  it("moves to a GAISSA notebook's kernel once one is active, shutting its own down", async () => {
    const { kernels, view } = setup();
    await view.refresh();
    const notebook = new FakeKernel('nb');
    kernels.active = notebook;
    await view.refresh();
    expect(kernels.shutDown).toEqual(['own-1']);
    expect(notebook.comm.opened).toEqual([FETCH]);
    view.dispose();
    expect(kernels.shutDown).toEqual(['own-1']);
  });

  it('refuses an answer off the schema or with a negative energy, and shows none of it', async () => {
    const notebook = new FakeKernel('nb');
    const { view, last } = setup(notebook);
    await view.refresh();
    notebook.comm.receive({ ...sampleTeamView(), extra: HOSTILE });
    expect(last()).toMatchObject({ kind: 'failed' });
    expect((last() as { reason: string }).reason).toMatch(/^The kernel's answer was refused: /);
    const negative = sampleTeamView();
    negative.totals.perUser[0].energyJ = -1;
    notebook.comm.receive(negative);
    expect(last().kind).toBe('failed');
    notebook.comm.receive({ ...sampleTeamView(), fetchedAt: '1' });
    expect(last().kind).toBe('failed');
  });

  it('says so when the kernel closes the comm (no such target) or none can start', async () => {
    const notebook = new FakeKernel('nb');
    const { view, kernels, last } = setup(notebook);
    await view.refresh();
    notebook.comm.onClose({});
    expect(last()).toEqual({
      kind: 'failed',
      reason: 'This kernel has no team view: it is a GAISSA kernel older than this extension.'
    });
    kernels.active = null;
    notebook.status = 'dead';
    kernels.failStart = new Error('No such kernel named gaissa');
    await view.refresh();
    expect(last()).toEqual({
      kind: 'failed',
      reason: 'No GAISSA kernel could be started (No such kernel named gaissa).'
    });
  });

  it('shows no refusal when it closes the comm itself on moving to another kernel', async () => {
    const { kernels, view, states } = setup();
    await view.refresh();
    kernels.active = new FakeKernel('nb');
    await view.refresh();
    view.dispose();
    expect(states.filter(s => s.kind === 'failed')).toEqual([]);
  });

  describe('a kernel that does not answer', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('is said so after a while, and a refresh asks again', async () => {
      const notebook = new FakeKernel('nb');
      const { view, last } = setup(notebook);
      await view.refresh();
      jest.advanceTimersByTime(ANSWER_TIMEOUT_MS - 1);
      expect(last().kind).toBe('connecting');
      jest.advanceTimersByTime(1);
      expect(last()).toMatchObject({ kind: 'failed' });
      expect((last() as { reason: string }).reason).toMatch(
        /^The kernel did not answer within 45 s/
      );
      await view.refresh();
      expect(notebook.comm.sent).toEqual([FETCH]);
      expect(last().kind).toBe('connecting');
      notebook.comm.receive(sampleTeamView());
      jest.advanceTimersByTime(ANSWER_TIMEOUT_MS);
      expect(last()).toEqual({ kind: 'view', view: sampleTeamView(), refreshing: false });
    });

    it('stops waiting once the view is closed', async () => {
      const { view, states } = setup(new FakeKernel('nb'));
      await view.refresh();
      view.dispose();
      jest.advanceTimersByTime(ANSWER_TIMEOUT_MS);
      expect(states.filter(s => s.kind === 'failed')).toEqual([]);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
