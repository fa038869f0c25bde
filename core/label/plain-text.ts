/** The `text/plain` view of a label, for terminals, nbconvert and frontends without our renderer. */
import { formatMetric, formatQuantity } from './quantity-format';
import { MetricName } from './metrics';
import { labelMethodText } from './provenance';
import {
  metricTitle,
  modelPercentile,
  standingPhrase,
  ratedAgainst,
  unratedFigures
} from './rated-against';
import { LabelRecord } from './record';
import { basisTitle, labelMetricNames } from './svg';

export function labelText(record: LabelRecord): string {
  const against = ratedAgainst(record);
  const header = `GAISSA energy label ${record.rating} — ${record.model.name} (${record.phase}, ${labelMethodText(record)}`;
  const lines = against
    ? [`${header})`, `  Rated against: ${against.title}`]
    : [`${header}, ${basisTitle(record)})`];
  if (against?.source) lines.push(`  Source: ${against.source}`);
  for (const name of labelMetricNames(record)) {
    const m = record.metrics[name as MetricName];
    if (!m) continue;
    const title = metricTitle(name).padEnd(16);
    const percentile = modelPercentile(record, name);
    const standing = percentile === null ? '' : `, ${standingPhrase(percentile)}`;
    lines.push(
      `  ${m.rating}  ${title} ${formatMetric(name as MetricName, m.value)}  (index ${m.index}${standing})`
    );
  }
  for (const [name, value] of unratedFigures(record)) {
    lines.push(
      `  -  ${metricTitle(name).padEnd(16)} ${formatMetric(name as MetricName, value)}  (not rated)`
    );
  }
  if (record.sci) {
    const unit = record.sci.disclosure.functionalUnit;
    lines.push(
      `  SCI ${formatQuantity(record.sci.sciG, 'g CO2e')} per ${unit}` +
        ` (operational ${formatQuantity(record.sci.operationalG, 'g CO2e')},` +
        (record.sci.disclosure.embodied === 'included'
          ? ` embodied ${formatQuantity(record.sci.embodiedG, 'g CO2e')}; location-based)`
          : ' embodied not included; location-based)')
    );
  }
  lines.push(`  issued ${record.issued}`);
  return lines.join('\n');
}
