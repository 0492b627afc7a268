// The `file` adapter: a sync with no server at all (exported data, tests, demos).
// Source side: raw objects in `<path>/<mapping>.json|.yaml|.yml` (a list of objects with `id`).
// Destination side: `<path>/<Kind>.json`, records in destination field names, references as the
// peer's key; `apply` writes the result back atomically.
import { randomUUID } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AdapterConfig } from '../../config/types.js';
import type { Change, ChangeResult } from '../../diff/types.js';
import { AdapterError, ConfigError } from '../../errors.js';
import { own, setOwn } from '../../own.js';
import type {
  AdapterContext,
  ApplyContext,
  LoadRequest,
  RawRecord,
  WritableAdapter,
} from '../types.js';

const EXTENSIONS = ['.json', '.yaml', '.yml'];
// Linux and macOS refuse to open a link with O_NOFOLLOW (ELOOP); where a platform lacks it
// (Windows), every file's real path is checked instead.
const NO_FOLLOW = constants.O_NOFOLLOW;
const OPEN_NO_FOLLOW = constants.O_RDONLY | (NO_FOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function createFileAdapter(config: AdapterConfig, ctx: AdapterContext): WritableAdapter {
  const raw = config.settings.path;
  if (typeof raw !== 'string' || raw === '') {
    throw new ConfigError(`${config.name}: the file adapter needs settings.path (a folder)`, {
      path: 'settings.path',
    });
  }
  const root = isAbsolute(raw) ? raw : resolve(ctx.configDir, raw);
  return new FileAdapter(config.name, root);
}

class FileAdapter implements WritableAdapter {
  readonly system = 'file';
  // Batches of one stage may be applied concurrently; writes to one file must not interleave.
  private readonly locks = new Map<string, Promise<unknown>>();
  private realRoot?: string;

  constructor(
    readonly name: string,
    readonly root: string,
  ) {}

  async load(req: LoadRequest): Promise<RawRecord[]> {
    const records = await this.readList(req.path, req.side === 'source');
    const wanted = req.scope ? new Set(req.scope.ids.map(String)) : undefined;
    const out = wanted ? records.filter((r) => wanted.has(String(r.id))) : records;
    req.onProgress?.(out.length, out.length);
    return out;
  }

  async apply(changes: Change[], ctx: ApplyContext): Promise<ChangeResult[]> {
    const byModel = new Map<string, Change[]>();
    for (const c of changes) {
      const list = byModel.get(c.model) ?? [];
      list.push(c);
      byModel.set(c.model, list);
    }
    const results: ChangeResult[] = [];
    for (const [model, list] of byModel) {
      results.push(...(await this.withLock(model, () => this.applyModel(model, list, ctx))));
    }
    return results;
  }

  private async applyModel(model: string, changes: Change[], ctx: ApplyContext): Promise<ChangeResult[]> {
    const records = await this.readList(model, false);
    const byId = new Map(records.map((r, i) => [String(r.id), i]));
    const identifiers = own(ctx.models, model)?.identifiers ?? [];
    const keyOf = (r: RawRecord) => identifiers.map((f) => String(own(r, f) ?? '')).join('__');
    const byKey = new Map(records.map((r, i) => [keyOf(r), i]));
    const removed = new Set<number>();
    const results: ChangeResult[] = [];

    for (const change of changes) {
      const base = { changeId: change.id, action: change.action, model, key: change.key };
      const index =
        (change.destinationId !== undefined ? byId.get(change.destinationId) : undefined) ??
        byKey.get(change.key);
      if (change.action === 'delete') {
        // Deleting what is already gone counts as done: redelivery must be harmless.
        if (index !== undefined) removed.add(index);
        results.push({ ...base, status: 'applied', destinationId: change.destinationId });
        continue;
      }
      if (index !== undefined && !removed.has(index)) {
        const current = records[index] as RawRecord;
        // Field names are data: a field named `__proto__` is a field, not the prototype.
        for (const values of [change.ids, change.attrs]) for (const k of Object.keys(values)) setOwn(current, k, values[k]);
        results.push({ ...base, status: 'applied', destinationId: String(current.id) });
        continue;
      }
      if (change.action === 'update') {
        results.push({ ...base, status: 'failed', message: `${model} ${change.key} not found in ${this.fileFor(model)}` });
        continue;
      }
      const id = randomUUID();
      records.push({ id, ...change.ids, ...change.attrs });
      byKey.set(change.key, records.length - 1);
      results.push({ ...base, status: 'applied', destinationId: id });
    }

    const kept = records.filter((_, i) => !removed.has(i));
    await this.writeList(model, kept);
    return results;
  }

  private fileFor(name: string): string {
    return this.inside(name, '.json');
  }

  /**
   * The file for a mapping (source) or a kind (destination): a plain file name directly inside
   * `path`. A config is data someone else may have written, and `mapping: ../../../../etc/passwd`
   * must not read that file: no separator, no `..`, nothing that resolves elsewhere.
   */
  private inside(name: string, ext: string): string {
    const file = resolve(this.root, `${name}${ext}`);
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || dirname(file) !== this.root) {
      throw new ConfigError(
        `${this.name}: "${name}" is not a file name inside the adapter's path ${this.root}: a mapping or kind of the ` +
          `file adapter names a file directly in that folder (no "/", no "..")`,
        { path: 'schema_mapping' },
      );
    }
    return file;
  }

  /**
   * The text of the file for `name`, or undefined when there is none. A name has no separator
   * (inside()), so the file sits directly in `path` and only a symlink at it could lead
   * elsewhere: the file is opened without following links, and a link is followed only when
   * its real path is inside the real `path`. Only regular files are read (a FIFO or a device
   * would hang or never end; O_NONBLOCK keeps the open itself from waiting on a FIFO).
   *
   * Synchronous on purpose: a config with thousands of models reads thousands of small files,
   * and through the thread pool each read (open, stat, read, close) cost about 15 times the CPU
   * of the direct calls (measured: 180 us against 13 us). The text is parsed synchronously
   * right after, which blocks longer than reading it.
   */
  private readText(file: string, name: string): string | undefined {
    let fd: number;
    try {
      if (NO_FOLLOW === undefined && this.realInside(file, name) === undefined) return undefined;
      fd = openSync(file, OPEN_NO_FOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code !== 'ELOOP') throw err instanceof ConfigError ? err : new AdapterError('file', `cannot read ${file}: ${(err as Error).message}`);
      const real = this.realInside(file, name);
      if (real === undefined) return undefined;
      fd = openSync(real, OPEN_NO_FOLLOW);
    }
    try {
      if (!fstatSync(fd).isFile()) {
        throw new ConfigError(`${this.name}: ${file} (for "${name}") is not a regular file`, { path: 'schema_mapping' });
      }
      return readFileSync(fd, 'utf8');
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new AdapterError('file', `cannot read ${file}: ${(err as Error).message}`);
    } finally {
      closeSync(fd);
    }
  }

  /** The real path of `file` when it is inside the real `path` (undefined when it does not
   *  exist); a ConfigError when it resolves outside. */
  private realInside(file: string, name: string): string | undefined {
    this.realRoot ??= realpathSync(this.root);
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      return undefined;
    }
    if (!real.startsWith(this.realRoot + sep)) {
      throw new ConfigError(
        `${this.name}: ${file} (for "${name}") is a link to ${real}, outside the adapter's path ${this.realRoot}; refusing to read it`,
        { path: 'schema_mapping' },
      );
    }
    return real;
  }

  private async readList(name: string, mustExist: boolean): Promise<RawRecord[]> {
    for (const ext of EXTENSIONS) {
      const file = this.inside(name, ext);
      const text = this.readText(file, name);
      if (text === undefined) continue;
      let data: unknown;
      try {
        data = ext === '.json' ? JSON.parse(text) : parseYaml(text);
      } catch (err) {
        throw new AdapterError('file', `${file}: not valid ${ext.slice(1).toUpperCase()}: ${(err as Error).message}`);
      }
      if (!Array.isArray(data)) {
        throw new AdapterError('file', `${file}: expected a list of objects, got ${typeof data}`);
      }
      return data.map((item, i) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new AdapterError('file', `${file}: item ${i} is not an object`);
        }
        const rec = item as RawRecord;
        // Destination files written by hand may lack ids; a stable synthetic one keeps updates addressable.
        return rec.id === undefined || rec.id === null ? { ...rec, id: `${name}#${i}` } : rec;
      });
    }
    if (mustExist) {
      throw new AdapterError(
        'file',
        `no data for "${name}": expected ${EXTENSIONS.map((e) => this.inside(name, e)).join(' or ')}`,
      );
    }
    return [];
  }

  private async writeList(name: string, records: RawRecord[]): Promise<void> {
    const file = this.fileFor(name);
    await mkdir(this.root, { recursive: true });
    // The rename below replaces a link at `file` rather than writing through it, and `file`
    // is directly inside `path` (see inside()).
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(records, null, 2) + '\n');
    await rename(tmp, file);
  }

  private async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.locks.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  }
}
