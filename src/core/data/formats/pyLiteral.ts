/**
 * The 2014 Amazon metadata files (meta_*.json.gz) hold one Python dict literal
 * per line ({'asin': '...', 'title': "Tom's"}), not JSON; McAuley's own loader
 * uses eval(). This reads that literal subset (dict, list, tuple, str, number,
 * True/False/None) without eval.
 */

export class PyLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parsePyLiteral(s: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new PyLiteralError(`expected ${what} at character ${i + 1}`, i);
  };
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (s[i] === '}') return i++, o;
      for (;;) {
        const k = value();
        ws();
        if (s[i] !== ':') fail('":"');
        i++;
        o[String(k)] = value();
        ws();
        if (s[i] === ',') {
          i++;
          ws();
          if (s[i] === '}') return i++, o;
          continue;
        }
        if (s[i] === '}') return i++, o;
        fail('"," or "}"');
      }
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const a: unknown[] = [];
      ws();
      if (s[i] === close) return i++, a;
      for (;;) {
        a.push(value());
        ws();
        if (s[i] === ',') {
          i++;
          ws();
          if (s[i] === close) return i++, a;
          continue;
        }
        if (s[i] === close) return i++, a;
        fail(`"," or "${close}"`);
      }
    }
    if (c === "'" || c === '"') return str(c);
    if (s.startsWith('True', i)) return (i += 4), true;
    if (s.startsWith('False', i)) return (i += 5), false;
    if (s.startsWith('None', i)) return (i += 4), null;
    const m = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i, i + 40));
    if (m) return (i += m[0].length), Number(m[0]);
    return fail('a value');
  };
  const str = (q: string): string => {
    i++;
    let out = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) fail(`a closing ${q}`);
      i++;
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[i++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'x': out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16)); i += 2; break;
        case 'u': out += String.fromCharCode(parseInt(s.slice(i, i + 4), 16)); i += 4; break;
        case undefined: fail('an escaped character'); break;
        default: out += e;
      }
    }
  };
  const v = value();
  ws();
  if (i !== s.length) fail('the end of the line');
  return v;
}
