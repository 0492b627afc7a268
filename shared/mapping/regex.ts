// Python `re` patterns as JavaScript RegExps, for the `regex` filter (re.match semantics:
// anchored at the start only). Handled: named groups `(?P<n>...)` and `(?P=n)`, `\A`, `\Z`,
// Python's `$` (end, or before a final newline), leading global flags `(?i)`, `(?m)`, `(?s)`.
// Not handled: Unicode-aware `\w`/`\d` (ASCII here), `(?x)` verbose patterns.

export class RegexTranslateError extends Error {
  override readonly name = 'RegexTranslateError';
}

export function pythonRegex(pattern: string): RegExp {
  let src = pattern;
  let flags = 'y';
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    const f = lead[1] as string;
    if (f.includes('x') || f.includes('L')) throw new RegexTranslateError(`flag (?${f}) is not supported`);
    if (f.includes('i')) flags += 'i';
    if (f.includes('m')) flags += 'm';
    if (f.includes('s')) flags += 's';
    src = src.slice(lead[0].length);
  }
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += `\\${src[++i]}`;
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const close = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, close)}>`;
      i = close;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new RegexTranslateError((e as Error).message);
  }
}
