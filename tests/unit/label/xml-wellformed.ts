/**
 * A small, strict XML well-formedness parser for tests (no DOM in jest's node environment):
 * elements must nest and close, attributes must be quoted and unique, text and attribute values
 * may hold no raw '<' and only the five predefined or numeric entity references.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: Array<XmlElement | string>;
}

const NAME = /[A-Za-z_:][\w:.-]*/y;
const ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function decode(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length;) {
    if (raw[i] === '<') throw new Error(`raw '<' in ${where}`);
    if (raw[i] !== '&') {
      out += raw[i++];
      continue;
    }
    ENTITY.lastIndex = i;
    const m = ENTITY.exec(raw);
    if (!m)
      throw new Error(
        `bad entity reference in ${where} at ${JSON.stringify(raw.slice(i, i + 12))}`
      );
    const e = m[1];
    out +=
      e === 'lt'
        ? '<'
        : e === 'gt'
          ? '>'
          : e === 'amp'
            ? '&'
            : e === 'quot'
              ? '"'
              : e === 'apos'
                ? "'"
                : String.fromCodePoint(
                    e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
                  );
    i += m[0].length;
  }
  return out;
}

export function parseXml(xml: string): XmlElement {
  let pos = 0;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml)) throw new Error('control character');
  const skipSpace = () => {
    while (pos < xml.length && /\s/.test(xml[pos])) pos++;
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`name expected at ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (xml[pos] !== '<') throw new Error(`'<' expected at ${pos}`);
    pos++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const before = pos;
      skipSpace();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`space expected before attribute at ${pos}`);
      const attr = name();
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr}`);
      skipSpace();
      if (xml[pos++] !== '=') throw new Error(`'=' expected after ${attr}`);
      skipSpace();
      const quote = xml[pos++];
      if (quote !== '"' && quote !== "'") throw new Error(`unquoted value of ${attr}`);
      const end = xml.indexOf(quote, pos);
      if (end === -1) throw new Error(`unterminated value of ${attr}`);
      el.attrs[attr] = decode(xml.slice(pos, end), `attribute ${attr}`);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= xml.length) throw new Error(`<${el.name}> not closed`);
      if (xml.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) throw new Error(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (xml[pos++] !== '>') throw new Error(`'>' expected after </${closing}`);
        return el;
      }
      if (xml[pos] === '<') {
        el.children.push(element());
        continue;
      }
      const next = xml.indexOf('<', pos);
      const end = next === -1 ? xml.length : next;
      el.children.push(decode(xml.slice(pos, end), `text of <${el.name}>`));
      pos = end;
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (pos !== xml.length) throw new Error('content after the root element');
  return root;
}

export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(c => (typeof c === 'string' ? [] : allElements(c)))];
}

export function textContent(el: XmlElement): string {
  return el.children.map(c => (typeof c === 'string' ? c : textContent(c))).join('');
}
