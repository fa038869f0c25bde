/** A mining run in words: the facts, and the malformed cards listed up to fifty. */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { MiningSummary } from '../../../../kernel/hf/mine-cards';
import { miningHtml, miningText } from '../../../../kernel/hf/mining-report';

function summary(malformed: number): MiningSummary {
  return {
    source: 'folder /cards',
    cardsRead: 80,
    reporting: 20,
    reportingRate: 0.25,
    withoutCard: 0,
    malformed: Array.from({ length: malformed }, (_, i) => ({ modelId: `m/${i}`, reason: 'bad' })),
    distribution: { count: 20, min: 0.1, p20: 1, p40: 2, p60: 3, p80: 4, max: 5000 }
  };
}

describe('miningText and miningHtml', () => {
  test('say the rate, the percentiles and the output file', () => {
    const out = join(tmpdir(), 'pop.csv');
    const text = miningText(summary(0), out);
    expect(text).toMatch(/Reporting CO2e\s+20 \(25 % of cards read\)/);
    expect(text).toMatch(/CO2e 20\/40\/60\/80 %\s+1 g \/ 2 g \/ 3 g \/ 4 g/);
    expect(text).toMatch(/CO2e max\s+5,000 g/);
    // The output file is named on the Population CSV line.
    expect(text.split('\n').find(l => l.includes('Population CSV'))).toContain(out);
    expect(text).not.toContain('Malformed cards:');
    expect(miningHtml(summary(0), '<svg/>')).not.toContain('<details>');
  });

  test('list fifty malformed cards and count the rest', () => {
    const text = miningText(summary(53));
    expect(text).toContain('  m/49: bad');
    expect(text).not.toContain('m/50:');
    expect(text).toContain('... and 3 more');
    const html = miningHtml(summary(53), '<svg/>');
    expect(html.match(/<li><code>/g)).toHaveLength(50);
    expect(html).toContain('Malformed cards (53)');
  });
});
