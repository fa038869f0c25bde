/**
 * @jest-environment jsdom
 *
 * The tactics comparison's DOM: a real gaissa.compare payload and a training one, through
 * validation, to the table, the markers, the notes and the chart's placeholder.
 */
import { validateTacticsPayload } from '../../../../../extension/outputs/tactics/validation';
import { renderTactics, TACTICS_CLASS } from '../../../../../extension/outputs/tactics/view';
import { inferencePayload, trainingPayload } from '../../fixtures/tactics-payload';

function headers(node: HTMLElement): string[] {
  return [...node.querySelectorAll('thead th')].map(th => th.textContent ?? '');
}

function row(node: HTMLElement, name: string): HTMLTableRowElement {
  const found = [...node.querySelectorAll<HTMLTableRowElement>('tbody tr')].find(
    tr => tr.querySelector('.gaissa-tactics-variant')?.textContent === name
  );
  if (!found) throw new Error(`no row ${name}`);
  return found;
}

describe('tactics view', () => {
  it('accepts the payload gaissa.compare writes', () => {
    expect(validateTacticsPayload(inferencePayload()).ok).toBe(true);
    expect(validateTacticsPayload(trainingPayload()).ok).toBe(true);
  });

  it('shows every variant with energy, latency, throughput, size, quality and deltas', () => {
    const { node, chart } = renderTactics(inferencePayload());
    expect(node.classList.contains(TACTICS_CLASS)).toBe(true);
    expect(node.getAttribute('data-phase')).toBe('inference');
    expect(headers(node)).toEqual([
      'Variant',
      'Energy / inference',
      'Latency p50 / p95',
      'Throughput',
      'Size raw / gzip',
      'Agreement',
      'Notes'
    ]);
    expect(node.querySelectorAll('tbody tr')).toHaveLength(4);
    const int8 = row(node, 'quantize-dynamic');
    const cells = [...int8.querySelectorAll('td')].map(td => td.textContent ?? '');
    expect(cells[0]).toMatch(/^143 µJ \(est\.\)-66 %$/);
    expect(cells[1]).toContain(' ms / ');
    expect(cells[3]).toMatch(/^240 kB \/ 239 kB-75 %$/);
    expect(cells[4]).toBe('99.61 %-0.39 pts');
    // Energy and size down, quality down: the tones say which way is better.
    const tones = [...int8.querySelectorAll('.gaissa-tactics-delta')].map(d =>
      d.getAttribute('data-tone')
    );
    expect(tones).toEqual(['better', 'better', 'better', 'better', 'worse']);
    // The baseline row has no deltas.
    expect(row(node, 'mlp-784-256-128-10').querySelectorAll('.gaissa-tactics-delta')).toHaveLength(
      0
    );
    expect(chart?.host.classList.contains('gaissa-tactics-chart')).toBe(true);
  });

  // Issue #15: a comparison row whose energy a counter measured only in part says so.
  it('marks a partly measured variant with its counter share, and a measured one not at all', () => {
    const payload = inferencePayload();
    payload.variants[1] = { ...payload.variants[1], method: 'partly-measured', coverage: 0.7 };
    payload.variants[2] = { ...payload.variants[2], method: 'measured', coverage: 1 };
    expect(validateTacticsPayload(payload).ok).toBe(true);
    const { node } = renderTactics(payload);
    const badges = (name: string) =>
      [...row(node, name).querySelectorAll('.gaissa-tactics-badge')].map(b => b.textContent);
    const partly = payload.variants[1].name;
    expect(badges(partly)).toContain('partly measured (70 % counter)');
    expect(row(node, partly).textContent).toContain('(partly measured, 70 % counter)');
    expect(badges(payload.variants[2].name)).not.toContain('estimated');
    // A "measured" row that says a counter measured only half of it is not shown as measured.
    payload.variants[2] = { ...payload.variants[2], method: 'measured', coverage: 0.5 };
    const again = renderTactics(payload).node;
    expect(row(again, payload.variants[2].name).textContent).toContain('partly measured');
  });

  it('marks baseline, recommended, Pareto and over-budget variants in words', () => {
    const { node } = renderTactics(inferencePayload());
    const badges = (name: string) =>
      [...row(node, name).querySelectorAll('.gaissa-tactics-badge')].map(b => b.textContent);
    expect(badges('mlp-784-256-128-10')).toEqual(['baseline', 'estimated']);
    expect(badges('quantize-dynamic')).toEqual(['★ recommended', 'Pareto', 'estimated']);
    expect(badges('fp16')).toEqual(['Pareto', 'estimated']);
    expect(badges('prune-structured:0.5')).toEqual(['over budget', 'estimated']);
    expect(row(node, 'quantize-dynamic').getAttribute('data-recommended')).toBe('');
    expect(node.querySelector('.gaissa-tactics-recommendation')?.textContent).toMatch(
      /^Recommended: quantize-dynamic\. quantize-dynamic uses 65\.5 % less energy/
    );
  });

  it("shows each variant's honest notes (fp16: size, not speed)", () => {
    const { node } = renderTactics(inferencePayload());
    const notes = row(node, 'fp16').querySelector('.gaissa-tactics-notes')?.textContent ?? '';
    expect(notes).toContain('float16 weights take half the bytes');
    expect(notes).toContain('expect no speed-up');
    expect(row(node, 'prune-structured:0.5').textContent).toContain('outside the accuracy budget');
  });

  it('lists operators left as is in a collapsed list', () => {
    const payload = inferencePayload();
    payload.variants[1].leftAsIs = ['Conv conv1: no integer kernel'];
    const { node } = renderTactics(payload);
    const details = row(node, 'quantize-dynamic').querySelector('details');
    expect(details?.querySelector('summary')?.textContent).toBe('1 operator left as is');
    expect(details?.textContent).toContain('Conv conv1: no integer kernel');
  });

  it('labels the chart for screen readers and the table for keyboards', () => {
    const { node, chart } = renderTactics(inferencePayload());
    expect(chart?.host.getAttribute('role')).toBe('img');
    expect(chart?.host.getAttribute('aria-label')).toBe(
      'Scatter chart of energy per inference (J) against agreement for 4 variants. ' +
        'Pareto front: quantize-dynamic, fp16. Recommended: quantize-dynamic. ' +
        'The table above lists the same figures.'
    );
    expect(node.querySelector('.gaissa-tactics-scroll')?.getAttribute('tabindex')).toBe('0');
    for (const th of node.querySelectorAll('thead th'))
      expect(th.getAttribute('scope')).toBe('col');
    for (const th of node.querySelectorAll('tbody th'))
      expect(th.getAttribute('scope')).toBe('row');
  });

  it('shows a training comparison: energy per run and duration, no inference columns', () => {
    const { node, chart } = renderTactics(trainingPayload());
    expect(node.getAttribute('data-phase')).toBe('training');
    expect(node.querySelector('.gaissa-tactics-title')?.textContent).toBe(
      'Training tactics compared'
    );
    expect(headers(node)).toEqual(['Variant', 'Energy / run', 'Duration', 'Accuracy', 'Notes']);
    const cells = [...row(node, 'early stopping').querySelectorAll('td')].map(td => td.textContent);
    expect(cells.slice(0, 3)).toEqual(['2.3 kJ (est.)-57 %', '2 min 11 s', '97.10 %-0.40 pts']);
    expect(chart?.payload.phase).toBe('training');
    expect(chart?.host.getAttribute('aria-label')).toContain('energy per training run (J)');
  });

  it('keeps the run details out of the way, but there', () => {
    const { node } = renderTactics(inferencePayload());
    const details = node.querySelector('.gaissa-tactics-provenance') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('Region');
    expect(details.textContent).toContain('FRA');
  });
});

describe('tactics validation', () => {
  it.each([
    ['not an object', 'comparison'],
    ['null', null],
    ['no variants', { ...inferencePayload(), variants: [] }],
    ['another schema version', { ...inferencePayload(), schemaVersion: 2 }],
    ['an unknown phase', { ...inferencePayload(), phase: 'deployment' }]
  ])('refuses %s with a short, safe error', (_, payload) => {
    const { node, chart } = renderTactics(payload);
    expect(chart).toBeNull();
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.classList.contains('gaissa-tactics-invalid')).toBe(true);
    expect(node.textContent).toContain('Invalid GAISSA tactics comparison');
    expect(node.querySelectorAll('li').length).toBeGreaterThan(0);
    expect(node.querySelectorAll('li').length).toBeLessThanOrEqual(3);
  });

  it('refuses a variant without any energy figure', () => {
    const payload = inferencePayload() as unknown as { variants: Record<string, unknown>[] };
    delete payload.variants[2].energyPerInferenceJ;
    expect(validateTacticsPayload(payload).ok).toBe(false);
  });

  it('refuses names the schema cannot check: duplicates, a baseline naming no variant', () => {
    const twice = inferencePayload();
    twice.variants[2].name = twice.variants[1].name;
    expect(validateTacticsPayload(twice)).toEqual({
      ok: false,
      errors: ['/variants/2/name: appears twice']
    });
    const missing = inferencePayload();
    missing.baseline = 'nowhere';
    expect(validateTacticsPayload(missing)).toEqual({
      ok: false,
      errors: ['/baseline: names no variant']
    });
  });
});
