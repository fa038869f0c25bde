/** The `text/plain` view of a label, for terminals, nbconvert and frontends without our renderer. */
import { formatMetric, formatQuantity } from './quantity-format';
import { METRICS, MetricName, PHASE_METRICS, isPhase } from './metrics';
import { labelMethodText } from './provenance';
import { LabelRecord } from './record';
import { basisTitle } from './svg';

export function labelText(record: LabelRecord): string {
  const lines = [
    `GAISSA energy label ${record.rating} — ${record.model.name} (${record.phase}, ${labelMethodText(record)}, ${basisTitle(record)})`
  ];
  for (const name of isPhase(record.phase) ? PHASE_METRICS[record.phase] : []) {
    const m = record.metrics[name as MetricName];
    if (!m) continue;
    const title = METRICS[name].title.padEnd(16);
    lines.push(`  ${m.rating}  ${title} ${formatMetric(name, m.value)}  (index ${m.index})`);
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
