// Source filters, with the semantics of infrahub-sync's FILTERS_OPERATIONS (infrahub_sync/
// __init__.py). The field is read from the raw record with getPath; all filters are ANDed.
//   ==, !=            Python equality (1 == 1.0, True == 1, "1" != 1)
//   > < >= <=         both sides through int() (truncates floats, parses "12", not "1.5")
//   in                `value and field in value`: an empty value lets nothing through
//   not in            `field not in value`
//   contains          `field and value in field`: a missing/empty field never passes
//   not contains      `field and value not in field`: a missing/empty field never passes either
//   is_empty          field is None or falsy ("", 0, false, [], {})
//   is_not_empty      the opposite
//   regex             re.match: anchored at the start, not at the end; run in linear time
//                     (regex.ts: what needs backtracking is refused when the config is loaded)
//   is_ip_within      netutils.ip.is_ip_within (see ip.ts)
// Where upstream raises (a missing field under `>`, a number under `contains`, None under
// `regex`), so do we (MappingError): dropping such records quietly could turn into deletes.
// Problems visible in the config alone (bad regex, bad prefix, a non-integer bound) are
// ConfigErrors raised when the filters are compiled.
import type { FilterConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { RawRecord } from '../adapters/types.js';
import { MappingError } from './errors.js';
import { IpParseError, parseIpSpan, spanWithin, type IpSpan } from './ip.js';
import { compilePath } from './paths.js';
import { PyError, pyEq, pyIn, pyInt, pyStr, truthy, typeName } from './python.js';
import { RegexTranslateError, pythonRegex, type PythonRegex } from './regex.js';

export type RecordPredicate = (raw: RawRecord) => boolean;

export interface FilterContext {
  model: string;
  /** Index of the schema_mapping entry, for error locations. */
  entryIndex?: number;
}

type Test = (field: unknown) => boolean;

function isContainer(v: unknown): boolean {
  return typeof v === 'string' || Array.isArray(v) || (typeof v === 'object' && v !== null);
}

function compileOne(f: FilterConfig, ctx: FilterContext, where: string): Test {
  const value = f.value;
  const bad = (why: string): ConfigError =>
    new ConfigError(`${ctx.model}: filter on '${f.field}' (${f.operation}): ${why}`, { path: where });
  switch (f.operation) {
    case '==':
      return (x) => pyEq(x, value);
    case '!=':
      return (x) => !pyEq(x, value);
    case '>':
    case '<':
    case '>=':
    case '<=': {
      let bound: number;
      try {
        bound = pyInt(value);
      } catch (e) {
        throw bad(`cannot convert ${pyStr(value)} to int (${(e as Error).message})`);
      }
      const op = f.operation;
      return (x) => {
        const n = pyInt(x);
        return op === '>' ? n > bound : op === '<' ? n < bound : op === '>=' ? n >= bound : n <= bound;
      };
    }
    case 'in':
      if (!truthy(value)) return () => false;
      if (!isContainer(value)) throw bad(`the value must be a list or a string, not ${typeName(value)}`);
      return (x) => pyIn(x, value);
    case 'not in':
      if (!isContainer(value)) throw bad(`the value must be a list or a string, not ${typeName(value)}`);
      return (x) => !pyIn(x, value);
    case 'contains':
      return (x) => truthy(x) && pyIn(value, x);
    case 'not contains':
      return (x) => truthy(x) && !pyIn(value, x);
    case 'is_empty':
      return (x) => !truthy(x);
    case 'is_not_empty':
      return (x) => truthy(x);
    case 'regex': {
      if (typeof value !== 'string') throw bad('the value must be a regular expression string');
      let re: PythonRegex;
      try {
        re = pythonRegex(value);
      } catch (e) {
        if (e instanceof RegexTranslateError) throw bad(`invalid regular expression: ${e.message}`);
        throw e;
      }
      return (x) => {
        if (typeof x !== 'string') throw new PyError(`expected string or bytes-like object, got '${typeName(x)}'`);
        return re.match(x);
      };
    }
    case 'is_ip_within': {
      const items = Array.isArray(value) ? value : [value];
      let spans: IpSpan[];
      try {
        spans = items.map((v) => {
          if (typeof v !== 'string') throw new IpParseError(`${pyStr(v)} is not a string`);
          return parseIpSpan(v);
        });
      } catch (e) {
        if (e instanceof IpParseError) throw bad(e.message);
        throw e;
      }
      return (x) => {
        if (typeof x !== 'string') throw new PyError(`expected an IP address string, got '${typeName(x)}'`);
        let span: IpSpan;
        try {
          span = parseIpSpan(x);
        } catch (e) {
          if (e instanceof IpParseError) throw new PyError(e.message);
          throw e;
        }
        return spans.some((s) => spanWithin(span, s));
      };
    }
    default:
      throw bad('unsupported operation');
  }
}

/** Source values can be long; a message quotes only their start. */
function shortText(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}... (${s.length} characters)` : s;
}

/** Compiles a schema_mapping entry's filters into one predicate on raw records. */
export function compileFilters(filters: readonly FilterConfig[], ctx: FilterContext = { model: '?' }): RecordPredicate {
  if (filters.length === 0) return () => true;
  const compiled = filters.map((f, i) => {
    const where = `schema_mapping[${ctx.entryIndex ?? '?'}].filters[${i}]`;
    return { f, where, get: compilePath(f.field), test: compileOne(f, ctx, where) };
  });
  return (raw) => {
    for (const c of compiled) {
      const x = c.get(raw);
      let ok: boolean;
      try {
        ok = c.test(x);
      } catch (e) {
        if (!(e instanceof PyError)) throw e;
        const id = raw.id === undefined ? undefined : String(raw.id);
        throw new MappingError(
          `${ctx.model}: filter '${c.f.field} ${c.f.operation} ${pyStr(c.f.value)}' (${c.where}) failed on record ${id ?? '(no id)'} ` +
            `where ${c.f.field} = ${shortText(pyStr(x))}: ${e.message}`,
          { model: ctx.model, field: c.f.field, localId: id, path: c.where },
          { cause: e },
        );
      }
      if (!ok) return false;
    }
    return true;
  };
}
