/**
 * @jest-environment jsdom
 *
 * The profile renderer: hottest lines first with their bars, each cell's code with its lines' bars
 * in place, energy elsewhere, the flame graph, the overhead; too-short and invalid payloads.
 */
import '../../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { PROFILE_MIME } from '../../../../../core/mime-types';
import { MIN_PROFILE_SAMPLES } from '../../../../../core/profile';
import { ProfileRenderer } from '../../../../../extension/outputs/profile/renderer';
import * as view from '../../../../../extension/outputs/profile/view';
import { build, profile, window } from '../../../core/fixtures/profile';

const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

test('hottest lines come first, each with a bar as wide as its share', () => {
  const node = view.renderProfile(build());
  expect(node.classList.contains('gaissa-profile')).toBe(true);
  const rows = [...node.querySelectorAll('.gaissa-profile-hot tbody tr')];
  expect(rows.map(r => text(r.querySelector('code')))).toEqual([
    'while (n--) spin();',
    'hot(9);',
    'for (;;) a++;'
  ]);
  const widths = rows.map(
    r => (r.querySelector('.gaissa-profile-bar-fill') as HTMLElement).style.width
  );
  expect(widths).toEqual(['33.33%', '17.5%', '11.67%']);
  expect(text(node.querySelector('.gaissa-profile-headline'))).toBe(
    'Energy profile: 240 mJ over 12 ms, measured (rapl); 12 samples every 1000 µs'
  );
});

test("each cell's code is shown in order, with the energy of each line in place", () => {
  const node = view.renderProfile(build());
  const cells = [...node.querySelectorAll('.gaissa-profile-cell')];
  expect(cells.map(c => text(c.querySelector('figcaption')))).toEqual(['Cell [4]', 'Cell [5]']);
  const lines = [...cells[1].querySelectorAll('.gaissa-profile-code-line')].map(line =>
    [...line.children].map(c => c.textContent)
  );
  expect(lines).toEqual([
    ['1', '', '', 'let a = 0;'],
    ['2', '', '11.7 %', 'for (;;) a++;'],
    ['3', '', '17.5 %', 'hot(9);']
  ]);
});

test('the flame graph draws callees under their caller, as wide as their energy', () => {
  const node = view.renderProfile(build());
  const frames = [...node.querySelectorAll<HTMLElement>('.gaissa-profile-frame')];
  expect(frames.map(f => [f.title, f.style.left, f.style.width, f.style.top])).toEqual([
    ['cell [5]: 210 mJ (87.5 %)', '0%', '87.5%', '0px'],
    ['hot [4] line 1: 80 mJ (33.3 %)', '0%', '33.333%', '20px'],
    ['stringify index.js: 60 mJ (25.0 %)', '33.333%', '25%', '20px']
  ]);
  expect(frames[2].classList.contains('gaissa-profile-frame-library')).toBe(true);
  expect(text(node.querySelector('.gaissa-profile-other'))).toContain(
    'library and built-in code called from cell [5]'
  );
  expect(text(node.querySelector('.gaissa-profile-overhead'))).toContain(
    'Profiling overhead: +4.0 % time while sampling'
  );
});

test('a too-short profile says so and shows no lines', () => {
  const n = MIN_PROFILE_SAMPLES - 1;
  const node = view.renderProfile(
    build({ ...profile, samples: Array(n).fill(2), timeDeltas: Array(n).fill(10) }, window)
  );
  expect(text(node.querySelector('.gaissa-profile-too-short'))).toMatch(/too short to attribute/);
  expect(node.querySelector('.gaissa-profile-hot, .gaissa-profile-frame')).toBeNull();
});

test('the renderer shows the view in a gaissa-profile root, and refuses an invalid payload', async () => {
  const renderer = new ProfileRenderer(PROFILE_MIME, async () => view);
  Widget.attach(renderer, document.body);
  const model = (payload: unknown): IRenderMime.IMimeModel => ({
    trusted: false,
    data: { [PROFILE_MIME]: payload as never },
    metadata: {},
    setData: () => undefined
  });
  await renderer.renderModel(model(build()));
  expect(renderer.node.querySelector('.gaissa-profile .gaissa-profile-hot')).not.toBeNull();
  await renderer.renderModel(model({ ...build(), method: 'measured' }));
  expect(text(renderer.node.querySelector('.gaissa-profile-invalid'))).toMatch(
    /Invalid GAISSA energy profile.*\/method/
  );
  renderer.dispose();
});
