/** text/plain view of a measurement record: readable, honest about estimates, robust to payloads. */
import fc from 'fast-check';
import type { MeasurementRecord } from '../../../core/measurement';
import { measurementText } from '../../../core/measurement-static-view';
import {
  anyFields,
  raplRecord,
  repeatedRecord,
  singleRecord,
  tampered
} from './fixtures/measurement-records';

/** The value on the line whose label is `label` (labels are padded, values follow two spaces). */
function row(text: string, label: string): string | undefined {
  const line = text
    .split('\n')
    .find(l => l.startsWith(`  ${label}  `) || l.startsWith(`  ${label} `));
  return line?.slice(label.length + 2).trim();
}

describe('an estimated single run', () => {
  const text = measurementText(singleRecord({ label: 'fit model' }));

  test('headline figures with readable units', () => {
    expect(text.split('\n')[0]).toBe('GAISSA measurement: fit model');
    expect(row(text, 'Energy')).toBe('3.5 J (4.2 J with PUE 1.2)');
    expect(row(text, 'Duration')).toBe('2 s');
    expect(row(text, 'Average power')).toBe('1.75 W');
    // 3.5 J = 9.72e-7 kWh; x 1.2 x 360 g/kWh = 4.2e-4 g, shown in µg with two digits.
    expect(row(text, 'CO2e')).toBe('420 µg CO2e');
    expect(row(text, 'Cost')).toBe('3.50e-7 EUR at 0.3 EUR/kWh');
  });

  test('says "estimated" plainly and lists the constants used', () => {
    expect(row(text, 'Method')).toMatch(/^estimated\b/);
    expect(row(text, 'CPU power')).toBe('TDP 8 W for Test CPU, "quoted" (default)');
    expect(row(text, 'Load curve')).toBe('0 % → ×0.12, 100 % → ×1.02 (Teads)');
    expect(row(text, 'RAM power')).toBe('0.3725 W/GB (Green Algorithms)');
    expect(row(text, 'Attribution')).toBe('by CPU time');
    expect(row(text, 'Why estimated')).toBe('CPU energy estimated: no powercap interface');
  });

  test('per-component split, region, intensity and PUE', () => {
    expect(row(text, 'Components')).toBe(
      'CPU 3 J (estimated, this process) · GPU none · RAM 500 mJ (estimated, this process)'
    );
    expect(row(text, 'Region')).toBe('Germany (DEU), 360 gCO2e/kWh (user override), PUE 1.2');
  });

  test('no repeat statistics, baseline or status for a plain successful run', () => {
    expect(text).not.toMatch(/Repeats|Idle baseline|Dynamic energy|Status/);
    expect(text).not.toMatch(/NaN|undefined|null|\[object/);
  });
});

describe('repeats and baseline', () => {
  const text = measurementText(repeatedRecord());

  test('per-run means with totals', () => {
    expect(row(text, 'Energy')).toBe('11 J per run (13.2 J with PUE 1.2); 55 J in total');
    expect(row(text, 'Duration')).toBe('2 s per run; 10 s in total');
    expect(row(text, 'Repeats')).toBe('5 runs after 2 warm-ups; per-run figures above are means');
  });

  test('mean ± sd and the 95 % confidence interval', () => {
    // sd of 10..13,9 is sqrt(2.5) = 1.58; CI half-width 2.776 x 1.58 / sqrt(5) = 1.96.
    expect(row(text, 'Energy per run')).toBe('11 J ± 1.58 J (sd), 95 % CI 9.04 J to 13 J');
    expect(row(text, 'Duration per run')).toBe('2 s ± 0 s (sd), 95 % CI 2 s to 2 s');
  });

  test('idle baseline and dynamic energy', () => {
    expect(row(text, 'Idle baseline')).toBe('1 W (2 J over 2 s)');
    expect(row(text, 'Dynamic energy')).toBe('9 J per run above idle');
  });
});

describe('a run measured by counters', () => {
  const text = measurementText(raplRecord());

  test('is called measured, names its meters, and never says estimated', () => {
    expect(row(text, 'Method')).toBe('measured (RAPL)');
    expect(row(text, 'Components')).toBe(
      'CPU 3 J (RAPL, whole machine) · GPU 7 J (NVIDIA counters, device) · RAM 1 J (RAPL, whole machine)'
    );
    expect(row(text, 'GPU 0')).toBe('NVIDIA H100 80GB HBM3: 7 J (energy counter)');
    expect(text).not.toMatch(/estimat|CPU power|Load curve/i);
  });

  test('a record whose flag says estimated is shown as estimated whatever its method says', () => {
    const r = { ...raplRecord(), estimated: true };
    expect(row(measurementText(r), 'Method')).toMatch(/^estimated/);
  });
});

describe('status', () => {
  test('an error shows its name and message with the figures it used', () => {
    const text = measurementText(
      singleRecord({ status: 'error', error: { name: 'TypeError', message: 'x is undefined' } })
    );
    expect(text.split('\n')[1]).toBe(
      '  Status         error (TypeError: x is undefined); the figures cover the work done before it'
    );
    expect(row(text, 'Energy')).toMatch(/^3\.5 J/);
  });

  test('an interruption says so', () => {
    const text = measurementText(singleRecord({ status: 'interrupted' }));
    expect(row(text, 'Status')).toBe('interrupted; the figures cover the work done until then');
  });
});

describe('readable units', () => {
  const energy = (energyJ: number) => row(measurementText(tampered({ energyJ, pue: 1 })), 'Energy');
  const co2 = (co2eG: number) => row(measurementText(tampered({ co2eG })), 'CO2e');
  const time = (durationS: number) => row(measurementText(tampered({ durationS })), 'Duration');

  test('energy in µJ, mJ, J, kJ, Wh, kWh and MWh', () => {
    expect(energy(2.5e-5)).toBe('25 µJ');
    expect(energy(0.0123)).toBe('12.3 mJ');
    expect(energy(0.99996)).toBe('1 J');
    expect(energy(999.96)).toBe('1 kJ');
    expect(energy(2000)).toBe('2 kJ');
    expect(energy(45_600)).toBe('12.7 Wh');
    expect(energy(3.6e6)).toBe('1 kWh');
    expect(energy(7.2e9)).toBe('2 MWh');
    expect(energy(0)).toBe('0 J');
  });

  test('CO2e in grams to two significant digits, µg below a milligram, kg and t above', () => {
    expect(co2(0.0014)).toBe('0.0014 g CO2e');
    expect(co2(0.00099996)).toBe('0.001 g CO2e');
    expect(co2(0.00056)).toBe('560 µg CO2e');
    expect(co2(0.4286)).toBe('0.43 g CO2e');
    expect(co2(12.34)).toBe('12 g CO2e');
    expect(co2(123.4)).toBe('123 g CO2e');
    expect(co2(1234)).toBe('1.2 kg CO2e');
    expect(co2(2.5e6)).toBe('2.5 t CO2e');
  });

  test('durations in µs, ms and s, then minutes and hours', () => {
    expect(time(3e-6)).toBe('3 µs');
    expect(time(0.0123)).toBe('12.3 ms');
    expect(time(59.99)).toBe('1 min 0 s');
    expect(time(75)).toBe('1 min 15 s');
    expect(time(3725)).toBe('1 h 2 min');
  });
});

describe('untrusted payloads', () => {
  test('a multi-line label cannot forge rows, and terminal controls are dropped', () => {
    const text = measurementText(
      singleRecord({
        label: 'x\n  Method         measured (RAPL)\u2028\u001b[2J\u202Egnp.exe'
      })
    );
    expect(text.split('\n').filter(l => l.startsWith('  Method '))).toHaveLength(1);
    expect(row(text, 'Method')).toMatch(/^estimated/);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u001b\u202E\u2028]/);
  });

  test('non-finite and wrong-typed numbers read n/a', () => {
    const text = measurementText(
      tampered({
        energyJ: NaN,
        durationS: '2',
        powerW: Infinity,
        co2eG: null,
        pue: 'high',
        carbonIntensityGPerKWh: { valueOf: () => 1 },
        cost: '1',
        repeat: { n: 3, warmup: 'x', energyJ: { mean: NaN, sd: 'y', ci95: 5 }, durationS: null },
        components: { cpu: { energyJ: -Infinity, method: 'estimate' }, gpu: 7 },
        baseline: { powerW: 'w' },
        dynamicEnergyJ: '3'
      })
    );
    expect(row(text, 'Energy')).toBe('n/a per run; 3.5 J in total');
    expect(row(text, 'Duration')).toBe('n/a per run; 2 s in total');
    expect(row(text, 'Average power')).toBe('n/a');
    expect(row(text, 'CO2e')).toBe('n/a per run; 420 µg CO2e in total');
    expect(row(text, 'Cost')).toMatch(/^n\/a per run/);
    expect(row(text, 'Energy per run')).toBe('n/a ± n/a (sd), 95 % CI n/a');
    expect(row(text, 'Idle baseline')).toBe('n/a (n/a over n/a)');
    expect(row(text, 'Dynamic energy')).toBe('n/a per run above idle');
    expect(row(text, 'Region')).toMatch(/n\/a gCO2e\/kWh .*PUE n\/a$/);
    expect(text).not.toMatch(/NaN|Infinity|undefined|\[object/);
  });

  test('not a record at all: every figure n/a, no crash', () => {
    for (const junk of [null, undefined, 42, 'record', [], {}]) {
      const text = measurementText(junk as unknown as MeasurementRecord);
      expect(text.split('\n')[0]).toBe('GAISSA measurement');
      expect(row(text, 'Energy')).toBe('n/a');
      expect(row(text, 'Method')).toBe('unknown');
      expect(text).not.toMatch(/NaN|undefined|\[object/);
    }
  });

  test('prototype keys in enum fields are not taken for meters', () => {
    const text = measurementText(
      tampered({
        method: '__proto__',
        estimated: false,
        components: {
          cpu: { energyJ: 1, method: 'constructor', scope: 'toString' },
          gpu: { energyJ: 0, method: null, scope: null },
          ram: { energyJ: 1, method: 'hasOwnProperty', scope: null }
        }
      })
    );
    expect(row(text, 'Method')).toBe('unknown');
    expect(row(text, 'Components')).toBe(
      'CPU 1 J (unknown method) · GPU none · RAM 1 J (unknown method)'
    );
  });
});

test('property: any field values give aligned rows, no terminal controls and no NaN', () => {
  fc.assert(
    fc.property(anyFields, fields => {
      const lines = measurementText(tampered(fields)).split('\n');
      expect(lines[0]).toMatch(/^GAISSA measurement/);
      // Payload text never starts a line of its own: every row is one of ours.
      for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}[A-Z][\w0-9 ]* {2}/);
      const text = lines.join('\n');
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(text).not.toMatch(/NaN|undefined|Infinity|\[object/);
    }),
    { numRuns: 300 }
  );
});

test('GPU rows: a bad index is left out, and non-object entries are skipped', () => {
  const text = measurementText(
    tampered({ gpus: [{ index: -1, name: 'A100', energyJ: 2, source: 'power' }, 'junk', null] })
  );
  expect(row(text, 'GPU')).toBe('A100: 2 J (power samples)');
  expect(text.split('\n').filter(l => l.startsWith('  GPU'))).toHaveLength(1);
});
