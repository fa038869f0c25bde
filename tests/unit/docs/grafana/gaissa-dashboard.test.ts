// The Grafana dashboard in docs/ parses, and reads only what the Pushgateway sink pushes: its
// metrics, and its labels (plus the job and instance the Pushgateway adds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUSH_METRICS } from '../../../../kernel/records/pushgateway-sink';

const PUSHED_LABELS = [
  'user',
  'server',
  'notebook',
  'kernel_id',
  'method',
  'component',
  'job',
  'instance'
];

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string; refId: string }>;
}

interface Variable {
  name: string;
  type: string;
  definition?: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
}

const dashboard = JSON.parse(
  readFileSync(join(__dirname, '../../../../docs/grafana/gaissa-dashboard.json'), 'utf8')
) as {
  uid: string;
  panels: Panel[];
  templating: { list: Variable[] };
};

/** Every PromQL expression: the panels' and the template variables'. */
const expressions = [
  ...dashboard.panels.flatMap(p => (p.targets ?? []).map(t => t.expr)),
  ...dashboard.templating.list.flatMap(v => (v.definition ? [v.definition] : []))
];

describe('docs/grafana/gaissa-dashboard.json', () => {
  it('has the panels the team asks for, each with a query', () => {
    expect(dashboard.uid).toBe('gaissa-team-energy');
    const titles = dashboard.panels.map(p => p.title).join('\n');
    expect(titles).toMatch(/Power per user/);
    expect(titles).toMatch(/Energy per notebook/);
    expect(titles).toMatch(/Measured vs estimated/);
    for (const panel of dashboard.panels) expect(panel.targets?.length).toBeGreaterThan(0);
  });

  it('reads only the metrics the Pushgateway sink pushes, and each of them', () => {
    const used = new Set(expressions.flatMap(e => e.match(/\bgaissa_\w+/g) ?? []));
    expect([...used].sort()).toEqual(Object.values(PUSH_METRICS).sort());
  });

  it('groups and filters by pushed labels only', () => {
    const labels = expressions.flatMap(e => [
      ...[...e.matchAll(/\bby \(([^)]*)\)/g)].flatMap(m => m[1].split(',').map(s => s.trim())),
      ...[...e.matchAll(/(\w+)\s*(?:=~|!~|!=|=)\s*"/g)].map(m => m[1]),
      ...[...e.matchAll(/label_values\(\w+, (\w+)\)/g)].map(m => m[1])
    ]);
    expect(labels.length).toBeGreaterThan(5);
    for (const label of labels) expect(PUSHED_LABELS).toContain(label);
  });

  it('has user, server and notebook filters, each many-valued with All', () => {
    const filters = dashboard.templating.list.filter(v => v.type === 'query');
    expect(filters.map(v => v.name)).toEqual(['user', 'server', 'notebook']);
    for (const v of filters) {
      expect(v).toMatchObject({ multi: true, includeAll: true, allValue: '.*' });
      // The values offered are the pushed label's own.
      expect(v.definition).toBe(`label_values(gaissa_energy_joules_total, ${v.name})`);
    }
  });

  it('filters every panel query by each of them', () => {
    const queries = dashboard.panels.flatMap(p => (p.targets ?? []).map(t => t.expr));
    expect(queries.length).toBeGreaterThan(0);
    for (const expr of queries) {
      for (const name of ['user', 'server', 'notebook'])
        expect(expr).toContain(`${name}=~"$${name}"`);
    }
  });
});
