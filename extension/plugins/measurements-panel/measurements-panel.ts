/**
 * The side panel listing the current notebook's measurements, from its outputs and from
 * `cell.metadata.gaissa` (outputs may have been cleared). Sortable by any column; activating a
 * row selects its cell.
 */
import { Widget } from '@lumino/widgets';
import { boltIcon } from '../../shared/bolt-icon';
import { formatCost, formatDuration } from '../../outputs/measurement/format';
import {
  readCellMetadata,
  summarizeMeasurement,
  type MeasurementSummary
} from '../../outputs/measurement/summary';
import { append, clear, el } from '../../shared/safe-dom';
import { formatCo2e, formatEnergy, formatPower } from '../../../core/format';
import { provenanceText } from '../../../core/provenance';

export const PANEL_ID = 'gaissa-measurements';

export interface CellMeasurements {
  /** `cell.metadata.gaissa` as found. */
  metadata: unknown;
  /** The payload of every measurement output in the cell, as found. */
  payloads: unknown[];
}

export interface MeasurementRow {
  /** 0-based position of the cell in the notebook. */
  cellIndex: number;
  source: 'output' | 'metadata';
  summary: MeasurementSummary;
}

/** Every valid measurement of the notebook, in cell order; hostile entries are skipped. */
export function collectRows(cells: readonly CellMeasurements[]): MeasurementRow[] {
  const rows: MeasurementRow[] = [];
  cells.forEach((cell, cellIndex) => {
    const seen = new Set<string>();
    for (const payload of cell.payloads) {
      const summary = summarizeMeasurement(payload);
      if (summary && !seen.has(summary.id)) {
        seen.add(summary.id);
        rows.push({ cellIndex, source: 'output', summary });
      }
    }
    const stored = readCellMetadata(cell.metadata);
    if (stored && !seen.has(stored.lastMeasurement.id)) {
      rows.push({ cellIndex, source: 'metadata', summary: stored.lastMeasurement });
    }
  });
  return rows;
}

export type SortKey =
  'cell' | 'label' | 'energy' | 'duration' | 'power' | 'co2e' | 'cost' | 'method' | 'time';

interface Column {
  key: SortKey;
  title: string;
  value: (row: MeasurementRow) => number | string;
  text: (row: MeasurementRow) => string;
}

const COLUMNS: readonly Column[] = [
  { key: 'cell', title: 'Cell', value: r => r.cellIndex, text: r => `[${r.cellIndex + 1}]` },
  {
    key: 'label',
    title: 'Label',
    value: r => r.summary.label ?? '',
    text: r => r.summary.label ?? ''
  },
  {
    key: 'energy',
    title: 'Energy',
    value: r => r.summary.energyJ,
    text: r => formatEnergy(r.summary.energyJ)
  },
  {
    key: 'duration',
    title: 'Duration',
    value: r => r.summary.durationS,
    text: r => formatDuration(r.summary.durationS)
  },
  {
    key: 'power',
    title: 'Power',
    value: r => r.summary.powerW,
    text: r => formatPower(r.summary.powerW)
  },
  {
    key: 'co2e',
    title: 'CO2e',
    value: r => r.summary.co2eG,
    text: r => formatCo2e(r.summary.co2eG)
  },
  {
    key: 'cost',
    title: 'Cost',
    value: r => r.summary.cost ?? -1,
    text: r => (r.summary.cost === null ? '–' : formatCost(r.summary.cost, r.summary.currency))
  },
  {
    key: 'method',
    title: 'Method',
    // Sorted by the counter's share; shown as measured / partly measured (NN % counter) / estimated.
    value: r => r.summary.coverage,
    text: r => provenanceText(r.summary.coverage)
  },
  {
    key: 'time',
    title: 'When',
    value: r => r.summary.endedAt,
    text: r => r.summary.endedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')
  }
];

export function sortRows(
  rows: readonly MeasurementRow[],
  key: SortKey,
  ascending: boolean
): MeasurementRow[] {
  const column = COLUMNS.find(c => c.key === key) ?? COLUMNS[0];
  const sign = ascending ? 1 : -1;
  // Stable: equal values keep notebook order.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = column.value(a.row);
      const y = column.value(b.row);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? sign * order : a.i - b.i;
    })
    .map(({ row }) => row);
}

export class MeasurementsPanel extends Widget {
  private rows: MeasurementRow[] = [];
  private notebookName = '';
  private sortKey: SortKey = 'cell';
  private ascending = true;

  constructor(private readonly onActivateRow: (row: MeasurementRow) => void) {
    super();
    this.id = PANEL_ID;
    this.addClass('gaissa-measurements-panel');
    this.title.caption = 'GAISSA measurements';
    this.title.label = 'Energy';
    this.render();
  }

  setRows(notebookName: string, rows: MeasurementRow[]): void {
    this.notebookName = notebookName;
    this.rows = rows;
    this.render();
  }

  sortBy(key: SortKey): void {
    this.ascending = this.sortKey === key ? !this.ascending : true;
    this.sortKey = key;
    this.render();
  }

  private render(): void {
    clear(this.node);
    append(
      this.node,
      el(
        'h3',
        { className: 'gaissa-measurements-heading' },
        boltIcon(),
        ' Measurements',
        this.notebookName
          ? el('span', { className: 'gaissa-measurements-notebook' }, ` in ${this.notebookName}`)
          : null
      )
    );
    if (this.rows.length === 0) {
      append(
        this.node,
        el(
          'p',
          { className: 'gaissa-measurements-empty' },
          this.notebookName
            ? 'No measurements in this notebook yet. Run a cell that starts with %%gaissa measure.'
            : 'Open a notebook to list its measurements.'
        )
      );
      return;
    }
    const header = el(
      'tr',
      {},
      ...COLUMNS.map(column => {
        const active = column.key === this.sortKey;
        const button = el(
          'button',
          { className: 'gaissa-measurements-sort', attrs: { type: 'button' } },
          column.title,
          active ? (this.ascending ? ' ▲' : ' ▼') : ''
        );
        button.addEventListener('click', () => this.sortBy(column.key));
        return el(
          'th',
          {
            attrs: {
              scope: 'col',
              'aria-sort': active ? (this.ascending ? 'ascending' : 'descending') : 'none'
            }
          },
          button
        );
      })
    );
    const body = sortRows(this.rows, this.sortKey, this.ascending).map(row => {
      const tr = el(
        'tr',
        {
          className: 'gaissa-measurements-row',
          attrs: { tabindex: 0, 'data-source': row.source, title: 'Go to the cell' }
        },
        ...COLUMNS.map(column => el('td', {}, column.text(row)))
      );
      tr.addEventListener('click', () => this.onActivateRow(row));
      tr.addEventListener('keydown', event => {
        if (event.key === 'Enter') this.onActivateRow(row);
      });
      return tr;
    });
    append(
      this.node,
      el(
        'table',
        { className: 'gaissa-measurements-table' },
        el('thead', {}, header),
        el('tbody', {}, ...body)
      )
    );
  }
}
