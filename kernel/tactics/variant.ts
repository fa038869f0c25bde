/**
 * A variant: a model with the runtime settings it is meant to run with and the reports of the
 * tactics that made it. `gaissa.tactics.apply` returns one; `gaissa.compare` measures several.
 */
import type { TacticReport } from '../../core/tactics';
import { tacticReportHtml, tacticReportText } from '../../core/tactics-static-view';
import type { Displayable, MimeBundle } from '../display';
import type { OnnxModel } from '../onnx/onnx-model';
import type { RuntimeSettings } from './tactic';

export class Variant implements Displayable {
  constructor(
    /** Unique in a comparison: the tactic chain (`prune-structured:0.5+quantize-dynamic`) by default. */
    readonly name: string,
    readonly model: OnnxModel,
    readonly runtime: RuntimeSettings = {},
    readonly reports: readonly TacticReport[] = []
  ) {}

  /** Tactic specs applied in order; [] for an unchanged model. */
  get tactics(): string[] {
    return this.reports.map(r => r.spec);
  }

  /** Same variant under another name (e.g. to compare two settings of one tactic). */
  named(name: string): Variant {
    return new Variant(name, this.model, this.runtime, this.reports);
  }

  /** Writes the variant's model atomically; the files it was derived from are refused. */
  save(path: string): Promise<string> {
    return this.model.save(path);
  }

  toJSON(): { name: string; runtime: RuntimeSettings; reports: readonly TacticReport[] } {
    return { name: this.name, runtime: this.runtime, reports: this.reports };
  }

  toMimeBundle(): MimeBundle {
    const title = `Variant ${this.name} of ${this.model.name} (${this.model.sizeBytes.toLocaleString('en-US')} bytes)`;
    return {
      'text/plain': tacticReportText(this.reports, title),
      'text/html': tacticReportHtml(this.reports, title)
    };
  }
}
