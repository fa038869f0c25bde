/** The text and HTML views of a profile, for viewers without the extension; payloads are untrusted. */
import { profileHtml, profileText } from '../../../core/profile-static-view';
import { MIN_PROFILE_SAMPLES } from '../../../core/profile';
import { build, profile, window } from './fixtures/profile';

test('the text view lists the hottest lines first, then elsewhere, functions and the overhead', () => {
  const text = profileText(build());
  const lines = text.split('\n');
  expect(lines[0]).toBe('Energy profile: 240 mJ over 12.0 ms, measured; 12 samples every 1000 µs');
  expect(lines.slice(1, 5)).toEqual([
    'Hottest lines:',
    '   33.3 %      80 mJ  [4] line 2     while (n--) spin();',
    '   17.5 %      42 mJ  [5] line 3     hot(9);',
    '   11.7 %      28 mJ  [5] line 2     for (;;) a++;'
  ]);
  expect(text).toContain('   25.0 %      60 mJ  library and built-in code called from cell [5]');
  expect(text).toContain('    210 mJ /     70 mJ  cell [5]');
  expect(text).toContain(
    'Profiling overhead: +4.0 % time while sampling, 3.0 ms to start and read the profiler'
  );
});

test('an estimate reads estimated, whatever coverage it claims', () => {
  const text = profileText({ ...build(), method: 'estimate', coverage: 1 });
  expect(text.split('\n')[0]).toContain(', estimated;');
});

test('a too-short profile says so, with no lines', () => {
  const n = MIN_PROFILE_SAMPLES - 1;
  const record = build(
    { ...profile, samples: Array(n).fill(2), timeDeltas: Array(n).fill(10) },
    { ...window, durationS: 0.0001 }
  );
  const text = profileText(record);
  expect(text).toMatch(
    /No lines: the cell's code ran for 9 profiler samples at 1000 µs .* too short to attribute/
  );
  expect(text).not.toContain('Hottest lines');
  expect(profileHtml(record)).toContain('too short to attribute');
});

test('the HTML view escapes payload strings and takes none into an attribute', () => {
  const record = JSON.parse(JSON.stringify(build()));
  record.lines[0].text = '<img src=x onerror=alert(1)>';
  record.functions[0].name = '"><script>alert(1)</script>';
  record.other[0].label = 'x\n  999.0 %  forged row';
  const html = profileHtml(record);
  expect(html).not.toMatch(/<img|<script/);
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toMatch(/<[a-z]+ [^>]*(on\w+|href|src)=/i);
  expect(profileText(record)).not.toContain('\n  999.0 %');
});

test('numbers that are not numbers read n/a', () => {
  const record = JSON.parse(JSON.stringify(build()));
  record.lines[0].energyJ = 'lots';
  record.lines[0].share = 7;
  record.totalEnergyJ = null;
  const text = profileText(record);
  expect(text).toContain('Energy profile: n/a over');
  expect(text).toContain('      n/a        n/a  [4] line 2');
});
