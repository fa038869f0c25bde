// One reading of a record's coverage for every reader (issue #15): a record whose top-level flags
// say "measured" while its components say a counter measured only part of the joules reads as
// partly measured everywhere (text, line, HTML views and the CSV row), never as measured.
import {
  measurementHtml,
  measurementLine,
  measurementText
} from '../../../core/measurement-static-view';
import { coverageOfRecord, provenanceOf } from '../../../core/provenance';
import { emissionsCsvCells } from '../../../kernel/records/emissions-csv';
import { raplRecord } from './fixtures/measurement-records';

/** The reviewer's record: no coverage, estimated false, method rapl, CPU counted for half. */
function hostile(): Record<string, unknown> {
  const { coverage: _c, provenance: _p, ...old } = raplRecord();
  return {
    ...old,
    components: {
      ...old.components,
      cpu: { energyJ: 3, method: 'rapl', scope: 'machine', coverage: 0.5 }
    }
  };
}

describe('coverageOfRecord', () => {
  it('is the smaller of the record’s claim and its components’ energy-weighted coverage', () => {
    // CPU 3 J half counted, GPU 7 J and RAM 1 J counted: 9.5 of 11 J.
    expect(coverageOfRecord(hostile())).toBeCloseTo(9.5 / 11, 12);
    expect(coverageOfRecord({ ...hostile(), coverage: 0.2, estimated: true })).toBe(0.2);
    expect(coverageOfRecord(raplRecord())).toBe(1);
  });

  it('counts no joule of a component that names the estimator or an unknown method', () => {
    const r = raplRecord();
    const forged = {
      ...r,
      components: { ...r.components, gpu: { ...r.components.gpu, method: 'estimate' } }
    };
    expect(coverageOfRecord(forged)).toBeCloseTo(4 / 11, 12);
    const unknown = {
      ...r,
      components: { ...r.components, gpu: { ...r.components.gpu, method: 'magic' } }
    };
    expect(coverageOfRecord(unknown)).toBeCloseTo(4 / 11, 12);
  });

  it('falls back to the record’s own claim when it carries no components (a summary)', () => {
    expect(coverageOfRecord({ estimated: false, method: 'rapl' })).toBe(1);
    expect(coverageOfRecord({ estimated: false, method: 'rapl', coverage: 0.4 })).toBe(0.4);
  });
});

describe('every view reads the hostile record as partly measured', () => {
  it('text, line and HTML', () => {
    const r = hostile() as never;
    expect(measurementText(r)).toMatch(/Method\s+partly measured \(86 % counter\)/);
    expect(measurementText(r)).not.toMatch(/Method\s+measured/);
    expect(measurementLine(r)).toContain('(partly measured (86 % counter))');
    expect(measurementHtml(r)).toContain('partly measured (86 % counter)');
  });

  it('the CSV row', () => {
    const cells = emissionsCsvCells(hostile() as never);
    expect(cells.gaissa_coverage).toBeCloseTo(9.5 / 11, 12);
    expect(cells.gaissa_provenance).toBe(provenanceOf(9.5 / 11));
    expect(cells.gaissa_provenance).toBe('partly-measured');
  });
});
