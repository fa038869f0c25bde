/**
 * The relay for real: a child process in its own process group starts it (relay child and its
 * count file), and the test sends SIGINT to that group as Jupyter does (killpg).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigintCounter } from '../../../../kernel/execution/sigint-relay';

const RELAY = join(__dirname, '..', '..', '..', '..', 'kernel', 'execution', 'sigint-relay.ts');

/** The kernel's side: commands over IPC, and how many SIGINTs its own listener saw. */
const KERNEL_SIDE = `
require.extensions['.ts'] = (module, file) => module._compile(
  require(${JSON.stringify(require.resolve('typescript'))}).transpileModule(require('fs').readFileSync(file, 'utf8'), {
    compilerOptions: { module: 1, target: 9 } }).outputText, file);
const { startSigintRelay } = require(${JSON.stringify(RELAY)});
let own = 0;
process.on('SIGINT', () => own++);
const relayed = [];
const relay = startSigintRelay(n => relayed.push(n), p => process.send({ problem: p }));
const up = setInterval(() => { if (relay.up) { clearInterval(up); process.send({ up: true }); } }, 10);
process.on('message', m => {
  if (m.cmd === 'running') relay.running(m.n);
  if (m.cmd === 'taken') relay.taken(m.n);
  if (m.cmd === 'report') process.send({ own, relayed, signals: relay.signals(), repeats: relay.repeats() });
  if (m.cmd === 'busy') {
    // Holds the thread as a cell would: no listener, message or timer runs meanwhile.
    process.send({ busy: true });
    const end = Date.now() + 10000;
    while (relay.signals() === 0 && Date.now() < end) {}
    process.send({ sawWhileBusy: relay.signals() });
  }
  if (m.cmd === 'stop') { relay.close(); process.disconnect(); }
});
`;

let dir: string;
let child: ChildProcess;
const inbox: Record<string, unknown>[] = [];

function next(key: string, ms = 20_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no ${key} from the child`)), ms);
    const look = (): void => {
      const i = inbox.findIndex(m => key in m);
      if (i >= 0) {
        clearTimeout(deadline);
        resolve(inbox.splice(i, 1)[0]);
      } else setTimeout(look, 5);
    };
    look();
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const interruptGroup = () => process.kill(-child.pid!, 'SIGINT');
const report = async () => {
  child.send({ cmd: 'report' });
  return (await next('own')) as {
    own: number;
    relayed: number[];
    signals: number;
    repeats: number;
  };
};

describe('the relay', () => {
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gaissa-relay-'));
    const script = join(dir, 'kernel-side.js');
    writeFileSync(script, KERNEL_SIDE);
    inbox.length = 0;
    child = fork(script, [], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', m => inbox.push(m as Record<string, unknown>));
    await next('up');
  }, 30_000);

  afterEach(async () => {
    if (child.connected) child.send({ cmd: 'stop' });
    await sleep(50);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a SIGINT is counted where the kernel reads it while its thread is held', async () => {
    child.send({ cmd: 'busy' });
    await next('busy');
    await sleep(100);
    interruptGroup();
    expect((await next('sawWhileBusy')).sawWhileBusy).toBe(1);
    // Once the thread is free, the relayed number arrives as a message too.
    await sleep(200);
    expect((await report()).relayed).toEqual([1]);
  }, 30_000);

  test('a signal the running cell has not taken is sent again, until it is taken', async () => {
    child.send({ cmd: 'running', n: 7 });
    interruptGroup();
    await sleep(700);
    const before = await report();
    // The group's signal, then the relay's repeats (one per 100 ms tick from the second on).
    expect(before.own).toBeGreaterThanOrEqual(2);
    expect(before.signals).toBe(1);
    // Each repeat is counted, so the kernel can tell it from a signal sent to it alone.
    expect(before.repeats).toBe(before.own - 1);
    child.send({ cmd: 'taken', n: 1 });
    await sleep(300);
    const settled = (await report()).own;
    await sleep(500);
    expect((await report()).own).toBe(settled);
  }, 30_000);

  test('the count file is gone from disk once the relay listens', () => {
    const left = readdirSync(tmpdir()).filter(f => f.startsWith(`gaissa-sigint-${child.pid}-`));
    expect(left).toEqual([]);
  });

  test('no repeat while no cell runs: the signal is left to the kernel to take', async () => {
    child.send({ cmd: 'running', n: 0 });
    interruptGroup();
    await sleep(700);
    const r = await report();
    expect(r.own).toBe(1);
    expect(r.relayed).toEqual([1]);
    expect(r.repeats).toBe(0);
  }, 30_000);
});

describe('SigintCounter', () => {
  test('while the relay runs, only its numbers count, each once', () => {
    const taken: number[] = [];
    const counter = new SigintCounter(
      () => true,
      n => taken.push(n)
    );
    expect(counter.seenByKernel()).toBe(false);
    expect(counter.relayed(1)).toBe(true);
    expect(counter.relayed(1)).toBe(false);
    expect(counter.relayed(3)).toBe(true);
    expect(counter.taken).toBe(3);
    expect(taken).toEqual([1, 3]);
  });

  test('without the relay, the signals the kernel sees count', () => {
    const counter = new SigintCounter(() => false);
    expect(counter.seenByKernel()).toBe(true);
    expect(counter.seenByKernel()).toBe(true);
    expect(counter.taken).toBe(2);
  });
});
