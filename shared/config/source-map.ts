// Maps a path inside the parsed config (['schema_mapping', 3, 'filters', 0]) back to the line and
// column of the YAML text it came from, so every message can point at the spot to edit.
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node } from 'yaml';

export type ConfigPath = readonly (string | number)[];

export interface SourcePosition {
  line: number;
  column: number;
}

/** `schema_mapping[3].filters[0].operation`; odd keys are quoted so the path stays readable. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** The YAML text, to place characters inside a string value (charAt). */
    private readonly text?: string,
  ) {}

  /**
   * Position of character `offset` of the string value at `path`, when the YAML writes that
   * value character for character: plain, quoted without escapes, or a literal block (`|`).
   * Undefined otherwise.
   */
  charAt(path: ConfigPath, offset: number): SourcePosition | undefined {
    const found = this.walk(path);
    const node = found.node;
    if (!found.complete || !isScalar(node) || typeof node.value !== 'string' || !node.range || this.text === undefined) return undefined;
    const value = node.value;
    const raw = this.text.slice(node.range[0], node.range[1]);
    let at: number | undefined;
    switch (node.type) {
      case Scalar.PLAIN:
        if (raw === value) at = offset;
        break;
      case Scalar.QUOTE_DOUBLE:
      case Scalar.QUOTE_SINGLE: {
        const q = node.type === Scalar.QUOTE_DOUBLE ? '"' : "'";
        if (raw === `${q}${value}${q}`) at = 1 + offset;
        break;
      }
      case Scalar.BLOCK_LITERAL:
        at = blockOffset(raw, value, offset);
        break;
      default:
        break;
    }
    if (at === undefined) return undefined;
    const { line, col } = this.lines.linePos(node.range[0] + at);
    return { line, column: col };
  }

  /** Position of the value at `path`, or of its deepest existing ancestor when it is missing. */
  valueAt(path: ConfigPath): SourcePosition | undefined {
    return this.position(this.walk(path).node);
  }

  /**
   * Position of the key that introduces `path` (for "unknown key" messages); falls back to the
   * value for sequence items, which have no key.
   */
  keyAt(path: ConfigPath): SourcePosition | undefined {
    const found = this.walk(path);
    return this.position(found.complete && found.key ? found.key : found.node);
  }

  /**
   * Keys written twice in one mapping. PyYAML (upstream) keeps the last silently; we keep the
   * last too but say so, since the first one is usually the value the user meant to edit.
   */
  duplicateKeys(): ConfigPath[] {
    const found: ConfigPath[] = [];
    const visit = (node: unknown, path: ConfigPath): void => {
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = keyText(pair.key);
          if (key === undefined) continue;
          if (seen.has(key)) found.push([...path, key]);
          seen.add(key);
          visit(pair.value, [...path, key]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i]));
      }
    };
    visit(this.doc.contents, []);
    return found;
  }

  private walk(path: ConfigPath): { node: Node | undefined; key: Node | undefined; complete: boolean } {
    let node: Node | undefined = this.resolve(this.doc.contents ?? undefined);
    let key: Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        // The last matching pair wins, as it does in the parsed data when keys repeat.
        const pair = [...node.items].reverse().find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) return { node, key, complete: false };
        key = isScalar(pair.key) ? pair.key : undefined;
        const next = this.resolve(pair.value ?? undefined);
        if (!next) return { node: key ?? node, key, complete: false };
        node = next;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = this.resolve(node.items[segment] ?? undefined);
        if (!item) return { node, key, complete: false };
        node = item;
        key = undefined;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  private resolve(value: unknown): Node | undefined {
    if (isAlias(value)) return this.resolve(value.resolve(this.doc));
    if (isMap(value) || isSeq(value) || isScalar(value)) return value;
    return undefined;
  }

  private position(node: Node | undefined): SourcePosition | undefined {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** Where character `offset` of a literal block's value is in the block's source (header line,
 *  then every line indented alike), or undefined when the lines do not line up. */
function blockOffset(raw: string, value: string, offset: number): number | undefined {
  const rawLines = raw.split('\n');
  const valueLines = value.split('\n');
  const header = (rawLines[0] as string).length + 1;
  const firstContent = rawLines.slice(1).find((l) => l.trim() !== '');
  if (firstContent === undefined) return undefined;
  const indent = firstContent.length - firstContent.trimStart().length;
  let at = header;
  let left = offset;
  for (let k = 0; k < valueLines.length; k++) {
    const line = valueLines[k] as string;
    const rawLine = rawLines[k + 1];
    if (rawLine === undefined || (line !== '' && rawLine.slice(indent) !== line)) return undefined;
    if (left <= line.length) return at + (line === '' ? 0 : indent) + left;
    left -= line.length + 1;
    at += rawLine.length + 1;
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
