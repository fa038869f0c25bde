/**
 * NVIDIA GPUs through `nvidia-smi --query-gpu`. Energy comes from the driver's total energy
 * counter where nvidia-smi offers the `total_energy_consumption` field (mJ since the driver
 * loaded, Volta and newer); many drivers answer "not a valid field to query" for it, and then
 * power samples are integrated over time. A machine without the tool or a GPU is not an error:
 * the probe says why and the GPU component stays empty.
 *
 * Field names: `nvidia-smi --help-query-gpu`. On Ampere and newer `power.draw` is a one-second
 * average; `power.draw.instant`, where the driver has it, is the instantaneous figure we prefer.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const DEFAULT_NVIDIA_SMI = 'nvidia-smi';
const BASE_FIELDS = ['index', 'name', 'power.draw'];

export interface NvidiaOptions {
  /** Path or command name; default $GAISSA_NVIDIA_SMI, else `nvidia-smi` looked up on PATH. */
  binary?: string;
  /** Environment for the child (tests put a fake nvidia-smi first on PATH). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface NvidiaGpuSample {
  index: number;
  name: string;
  /** W; null when the GPU reports N/A. */
  powerW: number | null;
  /** Driver energy counter, mJ; null when not queried or N/A. */
  energyMJ: number | null;
}

export interface NvidiaProbe {
  available: boolean;
  reason?: string;
  binary: string;
  /** The --query-gpu fields that work with this driver. */
  fields: string[];
  /** True when every GPU reports the energy counter. */
  energyCounter: boolean;
  gpus: NvidiaGpuSample[];
}

export function resolveNvidiaBinary(options: NvidiaOptions = {}): string {
  return (
    options.binary ??
    options.env?.GAISSA_NVIDIA_SMI ??
    process.env.GAISSA_NVIDIA_SMI ??
    DEFAULT_NVIDIA_SMI
  );
}

interface RunResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], options: NvidiaOptions): Promise<RunResult> {
  return new Promise(resolve => {
    execFile(
      binary,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 10_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? ((error as NodeJS.ErrnoException).code ?? 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      }
    );
  });
}

/** A value from `--format=csv,noheader,nounits`: "[N/A]", "[Not Supported]" and the like are null. */
function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

/** Parse query output; `fields` is the list passed to --query-gpu, in that order. */
export function parseNvidiaCsv(text: string, fields: readonly string[]): NvidiaGpuSample[] {
  const at = (name: string) => fields.indexOf(name);
  const gpus: NvidiaGpuSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    // Fields are separated by ", "; only the name could hold a comma, so count from both ends.
    const parts = line.split(',').map(p => p.trim());
    const extra = parts.length - fields.length;
    if (extra < 0) continue;
    const nameAt = at('name');
    const cells =
      extra > 0 && nameAt >= 0
        ? [
            ...parts.slice(0, nameAt),
            parts.slice(nameAt, nameAt + extra + 1).join(', '),
            ...parts.slice(nameAt + extra + 1)
          ]
        : parts;
    const index = parseNumber(cells[at('index')]);
    if (index === null) continue;
    const instant =
      at('power.draw.instant') >= 0 ? parseNumber(cells[at('power.draw.instant')]) : null;
    gpus.push({
      index,
      name: nameAt >= 0 ? cells[nameAt] : `GPU ${index}`,
      powerW: instant ?? parseNumber(cells[at('power.draw')]),
      energyMJ:
        at('total_energy_consumption') >= 0
          ? parseNumber(cells[at('total_energy_consumption')])
          : null
    });
  }
  return gpus;
}

function firstLine(result: RunResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
}

/** Which GPUs exist and which fields this driver answers; never rejects. */
export async function probeNvidia(options: NvidiaOptions = {}): Promise<NvidiaProbe> {
  const binary = resolveNvidiaBinary(options);
  const unavailable = (reason: string): NvidiaProbe => ({
    available: false,
    reason,
    binary,
    fields: [],
    energyCounter: false,
    gpus: []
  });
  const help = await run(binary, ['--help-query-gpu'], options);
  if (help.code === 'ENOENT')
    return unavailable(`${binary} not found (no NVIDIA driver installed)`);
  if (help.code === 'EACCES') return unavailable(`${binary} is not executable`);
  const knows = (field: string) => help.stdout.includes(`"${field}"`);
  const optional = [
    ...(knows('power.draw.instant') ? ['power.draw.instant'] : []),
    ...(knows('total_energy_consumption') ? ['total_energy_consumption'] : [])
  ];
  const attempts =
    optional.length > 0 ? [[...BASE_FIELDS, ...optional], BASE_FIELDS] : [BASE_FIELDS];
  let last: RunResult | undefined;
  for (const fields of attempts) {
    last = await run(
      binary,
      [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'],
      options
    );
    if (last.code !== 0) continue;
    const gpus = parseNvidiaCsv(last.stdout, fields);
    if (gpus.length === 0) return unavailable('nvidia-smi lists no GPU');
    return {
      available: true,
      binary,
      fields,
      energyCounter:
        fields.includes('total_energy_consumption') && gpus.every(g => g.energyMJ !== null),
      gpus
    };
  }
  const message = last ? firstLine(last) : '';
  if (/no devices were found/i.test(message)) return unavailable('nvidia-smi found no GPU');
  return unavailable(`nvidia-smi failed: ${message || `exit ${String(last?.code)}`}`);
}

/**
 * A running `nvidia-smi --loop-ms` that reports each GPU's line as it comes. One long-lived child
 * (NVML initialised once) costs far less than a process per sample.
 */
export class NvidiaSampleStream {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buffer = '';
  /** Called when nvidia-smi ends without stop() having been called. */
  onUnexpectedExit: ((reason: string) => void) | null = null;

  constructor(
    private readonly probe: NvidiaProbe,
    private readonly intervalMs: number,
    private readonly onSample: (sample: NvidiaGpuSample, at: number) => void,
    private readonly options: NvidiaOptions = {},
    private readonly now: () => number = () => performance.timeOrigin + performance.now()
  ) {}

  start(): void {
    if (this.child || !this.probe.available) return;
    const child = spawn(
      this.probe.binary,
      [
        `--query-gpu=${this.probe.fields.join(',')}`,
        '--format=csv,noheader,nounits',
        `--loop-ms=${Math.max(1, Math.round(this.intervalMs))}`
      ],
      { env: this.options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] }
    );
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.receive(chunk));
    child.stderr.resume();
    const ended = (reason: string) => {
      if (this.child !== child) return;
      this.child = null;
      this.onUnexpectedExit?.(reason);
    };
    child.on('error', e => ended(e.message));
    child.on('exit', (code, signal) => ended(`exit ${signal ?? code}`));
  }

  private receive(chunk: string): void {
    const at = this.now();
    this.buffer += chunk;
    const end = this.buffer.lastIndexOf('\n');
    if (end < 0) return;
    const complete = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 1);
    for (const sample of parseNvidiaCsv(complete, this.probe.fields)) this.onSample(sample, at);
  }

  get running(): boolean {
    return this.child !== null;
  }

  stop(): void {
    this.child?.kill('SIGTERM');
    this.child = null;
  }
}
