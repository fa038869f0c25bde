/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { LabelDirectory } from '../../../../../extension/outputs/label/label-directory';
import {
  LabelRenderer,
  labelRendererFactory
} from '../../../../../extension/outputs/label/renderer';
import * as view from '../../../../../extension/outputs/label/view';
import {
  KEY_1,
  SCRIPT,
  asPayload,
  outputMetadata,
  sampleLabel,
  trainingLabel
} from '../../fixtures/label-record';
import { LABEL_MIME } from '../../../../../core/mime-types';

function model(payload: unknown, metadata: Record<string, unknown> = {}): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: {
      [LABEL_MIME]: payload as never,
      'image/svg+xml': SCRIPT,
      'text/plain': 'a label'
    },
    metadata: metadata as never,
    setData: () => undefined
  };
}

afterEach(() => {
  document.body.textContent = '';
});

describe('LabelRenderer', () => {
  it('is a safe factory for the label mime type, ahead of the SVG and text fallbacks', () => {
    expect(labelRendererFactory.safe).toBe(true);
    expect(labelRendererFactory.mimeTypes).toEqual([LABEL_MIME]);
    // JupyterLab's SVG renderer ranks 80 and text/plain 120: lower wins.
    expect(labelRendererFactory.defaultRank).toBeLessThan(80);
    expect(labelRendererFactory.createRenderer({ mimeType: LABEL_MIME } as never)).toBeInstanceOf(
      LabelRenderer
    );
  });

  it('renders the card from the payload, never from the SVG fallback', async () => {
    const renderer = new LabelRenderer(LABEL_MIME, async () => view, new LabelDirectory());
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model(asPayload(sampleLabel()), outputMetadata(KEY_1)));
    const label = renderer.node.querySelector<HTMLElement>('.gaissa-label')!;
    expect(label).not.toBeNull();
    expect(label.dataset.key).toBe(KEY_1);
    expect(renderer.node.querySelectorAll('script')).toHaveLength(0);
    // A re-render replaces the card.
    await renderer.renderModel(model(asPayload(trainingLabel()), outputMetadata(KEY_1)));
    expect(renderer.node.querySelectorAll('.gaissa-label')).toHaveLength(1);
    expect(renderer.node.querySelector<HTMLElement>('.gaissa-label')!.dataset.phase).toBe(
      'training'
    );
    renderer.dispose();
  });

  it('shows an invalid payload as a short error', async () => {
    const renderer = new LabelRenderer(LABEL_MIME, async () => view, new LabelDirectory());
    await renderer.renderModel(model({ format: 'gaissa.label', model: { name: SCRIPT } }));
    expect(renderer.node.querySelector('.gaissa-label-invalid')).not.toBeNull();
    expect(renderer.node.querySelectorAll('img, script')).toHaveLength(0);
  });

  it('offers the phase switch from the labels of the notebook it sits in', async () => {
    const directory = new LabelDirectory();
    const notebook = document.createElement('div');
    document.body.appendChild(notebook);
    let records = [asPayload(sampleLabel())];
    const unregister = directory.add({
      contains: node => notebook.contains(node),
      records: () => records
    });
    const renderer = new LabelRenderer(LABEL_MIME, async () => view, directory);
    Widget.attach(renderer, notebook);
    await renderer.renderModel(model(asPayload(sampleLabel()), outputMetadata(KEY_1)));
    const training = () =>
      renderer.node.querySelector<HTMLInputElement>('input[type=radio][value=training]')!;
    expect(training().disabled).toBe(true);

    records = [asPayload(sampleLabel()), asPayload(trainingLabel())];
    directory.notify();
    expect(training().disabled).toBe(false);

    // Outside that notebook, no sibling.
    unregister();
    expect(training().disabled).toBe(true);
    renderer.dispose();
  });

  it('stops listening once disposed', async () => {
    const directory = new LabelDirectory();
    const renderer = new LabelRenderer(LABEL_MIME, async () => view, directory);
    await renderer.renderModel(model(asPayload(sampleLabel())));
    renderer.dispose();
    expect(() => directory.notify()).not.toThrow();
    // A render that finishes after disposal leaves nothing behind.
    const late = new LabelRenderer(LABEL_MIME, async () => view, directory);
    const pending = late.renderModel(model(asPayload(sampleLabel())));
    late.dispose();
    await pending;
    expect(late.node.querySelector('.gaissa-label')).toBeNull();
  });
});
