// A partly estimated measurement never reads as plainly "measured" (issue #15): the text, line
// and HTML views say "partly measured" with the counter's share.
import {
  measurementHtml,
  measurementLine,
  measurementText
} from '../../../core/measurement-static-view';
import { provenanceText } from '../../../core/provenance';
import { partlyRecord, raplRecord, singleRecord, tampered } from './fixtures/measurement-records';

function row(text: string, label: string): string | undefined {
  const line = text.split('\n').find(l => l.trimStart().startsWith(label + ' '));
  return line?.trimStart().slice(label.length).trim();
}

describe('partly measured records', () => {
  it('has the coverage of its counter joules', () => {
    const record = partlyRecord();
    expect(record.coverage).toBeCloseTo(4 / 14, 12);
    expect(record.provenance).toBe('partly-measured');
  });

  it('says "partly measured (28 % counter)" in the text view, with the estimator constants', () => {
    const text = measurementText(partlyRecord());
    expect(row(text, 'Method')).toMatch(
      /^partly measured \(28 % counter\): a hardware counter measured 28 %/
    );
    expect(row(text, 'Components')).toBe(
      'CPU 6 J (RAPL for 25 %, rest estimated, whole machine) · GPU none · RAM 1 J (RAPL for 50 %, rest estimated, whole machine)'
    );
    expect(row(text, 'Load curve')).toBeDefined();
    expect(text).not.toMatch(/Method\s+measured/);
  });

  it('says it in the one-line view and the HTML view', () => {
    expect(measurementLine(partlyRecord())).toContain('(partly measured (28 % counter))');
    const html = measurementHtml(partlyRecord());
    expect(html).toContain('<strong>partly measured (28 % counter)');
  });

  it('keeps "measured" for records a counter measured in full, and "estimated" for none', () => {
    expect(row(measurementText(raplRecord()), 'Method')).toBe('measured (RAPL)');
    expect(measurementLine(singleRecord())).toContain('(estimated)');
  });

  it('reads records from before coverage by their estimated flag', () => {
    const { coverage: _c, provenance: _p, ...old } = raplRecord();
    expect(row(measurementText(old as never), 'Method')).toBe('measured (RAPL)');
  });

  it('does not believe a full coverage that the record itself contradicts', () => {
    const forged = tampered({ coverage: 1, provenance: 'measured', estimated: true });
    expect(measurementLine(forged)).toContain('(estimated)');
  });

  it('never shows 0 % or 100 % for a partial share', () => {
    expect(provenanceText(0.999)).toBe('partly measured (99 % counter)');
    expect(provenanceText(0.001)).toBe('partly measured (<1 % counter)');
    expect(provenanceText(1)).toBe('measured');
    expect(provenanceText(0)).toBe('estimated');
  });
});
