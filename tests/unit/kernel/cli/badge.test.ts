/** `gaissa badge`: a label record as a Markdown / HTML / SVG badge, run through the real CLI. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { formatQuantity } from '../../../../core/label/quantity-format';
import { XmlElement, parseXml } from '../../fixtures/xml-wellformed';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-badge-'));
  cwd = process.cwd();
  // Paths in the snippet are relative to the current folder, as where a README is.
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

/** Issues a real label record with `gaissa label --out`, then lets a test alter it. */
async function labelFile(
  name = 'label.json',
  change: (record: Record<string, unknown>) => void = () => undefined
): Promise<{ path: string; record: Record<string, unknown> }> {
  writeFileSync(
    'request.json',
    JSON.stringify({
      phase: 'inference',
      population: 'fixed',
      method: 'measured',
      model: { name: 'mnist-mlp' },
      metrics: { energyPerInferenceJ: 0.8, latencyMs: 18, modelSizeMB: 90, accuracy: 0.77 },
      sci: {
        energyKWh: 0.002,
        carbonIntensity: 56,
        functionalUnits: 1000,
        functionalUnit: 'inference'
      }
    })
  );
  const issued = await gaissa(['label', '--json', 'request.json', '--out', name]);
  expect(issued.code).toBe(0);
  const record = JSON.parse(readFileSync(name, 'utf8'));
  change(record);
  writeFileSync(name, JSON.stringify(record));
  return { path: name, record };
}

/** Splits `[![ALT](IMAGE)](LINK)`; ALT may hold only backslash-escaped brackets. */
function parseMarkdown(line: string): { alt: string; image: string; link: string } {
  const m = /^\[!\[((?:\\.|[^\\[\]])*)\]\(([^\s()<>]+)\)\]\(([^\s()<>]+)\)\n$/.exec(line);
  if (!m) throw new Error(`not a linked Markdown image: ${JSON.stringify(line)}`);
  return { alt: m[1].replace(/\\(.)/g, '$1'), image: m[2], link: m[3] };
}

/** Reads back a shields.io static badge URL: caption, message and colour ('--' is '-'). */
function parseShields(url: string): { caption: string; message: string; colour: string } {
  const prefix = 'https://img.shields.io/badge/';
  expect(url.startsWith(prefix)).toBe(true);
  const parts = url
    .slice(prefix.length)
    .split(/(?<!-)-(?!-)/)
    .map(p => decodeURIComponent(p).replace(/--/g, '-').replace(/__/g, '_'));
  expect(parts).toHaveLength(3);
  return { caption: parts[0], message: parts[1], colour: parts[2] };
}

describe('gaissa badge', () => {
  test('prints a Markdown badge: rating, method and SCI with units, in the rating colour, linked to the label', async () => {
    const { path, record } = await labelFile();
    const r = await gaissa(['badge', path]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const { alt, image, link } = parseMarkdown(r.stdout);
    const sci = (record.sci as { sciG: number }).sciG;
    // 0.002 kWh x 56 g/kWh over 1000 inferences = 0.112 mg per inference (no embodied part).
    expect(sci).toBeCloseTo(0.000112, 12);
    expect(record.rating).toBe('C');
    expect(parseShields(image)).toEqual({
      caption: 'energy label',
      message: `C · declared · SCI ${formatQuantity(sci, 'g CO2e')}/inference`,
      colour: 'ffd500'
    });
    expect(formatQuantity(sci, 'g CO2e')).toBe('112 µg CO2e');
    expect(alt).toBe(
      'GAISSA energy label C (inference, declared) for mnist-mlp, SCI 112 µg CO2e per inference'
    );
    expect(link).toBe('label.json');
    // Readable where it is pasted: only what could break the Markdown is escaped.
    expect(r.stdout.startsWith(`[![${alt}](https://img.shields.io/badge/`)).toBe(true);
  });

  test('each rating has its own colour, dark green A to red E', async () => {
    const colours: Record<string, string> = {};
    for (const rating of ['A', 'B', 'C', 'D', 'E']) {
      const { path } = await labelFile(`${rating}.json`, rec => (rec.rating = rating));
      const { image } = parseMarkdown((await gaissa(['badge', path])).stdout);
      const shield = parseShields(image);
      expect(shield.message.startsWith(`${rating} · declared · SCI`)).toBe(true);
      colours[rating] = shield.colour;
    }
    expect(colours).toEqual({
      A: '00843d',
      B: '5cb531',
      C: 'ffd500',
      D: 'f39200',
      E: 'd7191c'
    });
  });

  test('dashes and underscores in the message are doubled, as shields.io reads them', async () => {
    const { path } = await labelFile('unit.json', rec => {
      (rec.sci as { disclosure: { functionalUnit: string } }).disclosure.functionalUnit =
        'forward-pass_item';
    });
    const { image } = parseMarkdown((await gaissa(['badge', path])).stdout);
    expect(image).toBe(
      'https://img.shields.io/badge/energy%20label-C%20%C2%B7%20declared%20%C2%B7%20SCI%20112%20%C2%B5g%20CO2e%2Fforward--pass__item-ffd500'
    );
    expect(parseShields(image).message).toBe('C · declared · SCI 112 µg CO2e/forward-pass_item');
  });

  test('a label without SCI shows the rating and method alone', async () => {
    const { path } = await labelFile('training.json', rec => {
      delete rec.sci;
    });
    const { image, alt } = parseMarkdown((await gaissa(['badge', path])).stdout);
    expect(image).toBe('https://img.shields.io/badge/energy%20label-C%20%C2%B7%20declared-ffd500');
    expect(alt).toBe('GAISSA energy label C (inference, declared) for mnist-mlp');
  });

  test('--link sets the target; spaces and brackets in paths are percent-encoded', async () => {
    const { path } = await labelFile('my label (v2).json');
    const own = parseMarkdown((await gaissa(['badge', path])).stdout);
    expect(own.link).toBe('my%20label%20%28v2%29.json');
    const linked = await gaissa(['badge', path, '--link', 'https://example.org/labels/mnist.json']);
    expect(parseMarkdown(linked.stdout).link).toBe('https://example.org/labels/mnist.json');
  });

  test('a hostile model name cannot break out of the Markdown or the HTML', async () => {
    const name = 'x](javascript:a(1)) <img onerror=a(2)>[y'; // the 40 characters shown
    const { path } = await labelFile('hostile.json', rec => {
      (rec.model as { name: string }).name = name;
    });
    const md = await gaissa(['badge', path]);
    const { alt, link } = parseMarkdown(md.stdout); // throws if the structure broke
    expect(link).toBe('hostile.json');
    expect(alt).toContain(` for ${name}, SCI`);

    const html = await gaissa(['badge', path, '--html']);
    expect(html.code).toBe(0);
    const m = /^<a href="([^"<>]*)"><img src="([^"<>]*)" alt="([^"<>]*)"><\/a>\n$/.exec(
      html.stdout
    );
    expect(m).not.toBeNull();
    expect(m![1]).toBe('hostile.json');
    expect(
      m![2].startsWith(
        'https://img.shields.io/badge/energy%20label-C%20%C2%B7%20declared%20%C2%B7%20SCI'
      )
    ).toBe(true);
    expect(m![3]).toContain('x](javascript:a(1)) &lt;img onerror=a(2)&gt;[y');
  });

  test('--svg writes a self-contained badge SVG and uses it as the image', async () => {
    const { path } = await labelFile('hostile.json', rec => {
      (rec.model as { name: string }).name = 'a <b> & "c"';
    });
    const r = await gaissa(['badge', path, '--svg', 'badges/label.svg']);
    expect(r.code).toBe(0);
    expect(parseMarkdown(r.stdout).image).toBe('badges/label.svg');
    const svgText = readFileSync(join(dir, 'badges', 'label.svg'), 'utf8');
    const svg = parseXml(svgText); // well-formed despite the hostile name
    expect(svg.name).toBe('svg');
    const texts: string[] = [];
    const walk = (e: XmlElement) => {
      expect(['svg', 'title', 'rect', 'g', 'text']).toContain(e.name);
      for (const [k, v] of Object.entries(e.attrs)) {
        expect(k).not.toMatch(/^on|href/i); // no script, no link to fetch
        if (k !== 'xmlns') expect(v).not.toMatch(/url\(|https?:/);
      }
      for (const c of e.children) {
        if (typeof c === 'string') {
          if (e.name === 'text') texts.push(c);
        } else walk(c);
      }
    };
    walk(svg);
    expect(texts).toEqual(['energy label', 'C · declared · SCI 112 µg CO2e/inference']);
    expect(svg.attrs['aria-label']).toBe(
      'GAISSA energy label C (inference, declared) for a <b> & "c", SCI 112 µg CO2e per inference'
    );
    // The message half is painted in the rating's colour.
    const rects = svg.children.filter(
      (c): c is XmlElement => typeof c !== 'string' && c.name === 'rect'
    );
    expect(rects.map(rect => rect.attrs.fill)).toEqual(['#555555', '#ffd500']);
  });

  test('bad input exits 2 with a clear message and prints nothing', async () => {
    writeFileSync('broken.json', '{"format": ');
    const { path: bad } = await labelFile('bad.json', rec => (rec.rating = 'F'));
    const { path: extra } = await labelFile('extra.json', rec => (rec.colour = 'green'));
    const cases: Array<[string[], RegExp]> = [
      [['badge'], /badge needs exactly one LABEL\.json/],
      [['badge', 'a.json', 'b.json'], /badge needs exactly one LABEL\.json/],
      [['badge', 'missing.json'], /cannot read label missing\.json/],
      [['badge', 'broken.json'], /cannot read label broken\.json: .*JSON/],
      [['badge', bad], /rating: must be equal to one of the allowed values/],
      [['badge', extra], /label: must NOT have additional properties \(colour\)/],
      [['badge', bad, '--colour', 'red'], /Unknown option '--colour'/],
      [['badge', bad, '--link', ''], /--link is empty/]
    ];
    for (const [args, message] of cases) {
      const r = await gaissa(args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.startsWith('gaissa badge: ')).toBe(true);
    }
  });

  test('is listed by gaissa --help', async () => {
    const r = await gaissa(['--help']);
    expect(r.stdout).toMatch(/^ {2}badge +a Markdown \(or HTML\) badge of a label/m);
  });
});
