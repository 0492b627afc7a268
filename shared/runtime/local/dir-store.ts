// ObjectStore over a local directory, laid out with the same keys as the S3 bucket.
//
// The calls are synchronous on purpose. A run writes and reads a few small objects per load
// and per batch (thousands for a config with thousands of models), and through the thread pool
// each small-file call cost 4 to 10 times the CPU of the direct call (measured: a write, link
// and unlink 200-400 us against 50 us). The objects are JSON the caller has just serialised or
// will parse, synchronously, which costs more than the write or read itself, so the event loop
// is blocked no longer than it already was.
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore } from '../ports.js';

const TMP = '.tmp';
/** The store's one empty file, in TMP (which lists skip): see createEmpty. */
const EMPTY = 'empty';

function checkKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..') || key.startsWith(`${TMP}/`)) {
    throw new Error(`object store: invalid key ${JSON.stringify(key)}`);
  }
}

export class DirectoryObjectStore implements ObjectStore {
  private empty?: string;

  constructor(readonly root: string) {}

  private path(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<string | undefined> {
    const file = this.path(key);
    try {
      // A missing key is common (every load asks whether its snapshot exists), and the error a
      // failed open throws costs several times this check.
      if (!statSync(file, { throwIfNoEntry: false })) return undefined;
      return readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  // Readers must never see half a file, so every write goes to a temporary file first.
  // Folders are made only when a write finds them missing: a mkdir before every write was a
  // third of the store's cost on a run with thousands of small objects.
  private staged(body: string): string {
    const dir = join(this.root, TMP);
    const tmp = join(dir, `${process.pid}-${randomUUID()}`);
    try {
      writeFileSync(tmp, body);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, body);
    }
    return tmp;
  }

  async put(key: string, body: string): Promise<void> {
    const target = this.path(key);
    const tmp = this.staged(body);
    this.intoFolder(target, () => renameSync(tmp, target));
  }

  /** Runs `publish`, making the target's folder when it is missing; a delete may remove an
   *  emptied folder between our mkdir and the publish (runs prune), so ENOENT gets one more. */
  private intoFolder(target: string, publish: () => void): void {
    for (let attempt = 0; ; attempt++) {
      try {
        publish();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 2) throw err;
        mkdirSync(dirname(target), { recursive: true });
      }
    }
  }

  // link(2) fails with EEXIST when the target exists and publishes a complete file atomically,
  // which an `open(..., 'wx')` followed by a write would not (a reader could see it empty).
  async putIfAbsent(key: string, body: string): Promise<boolean> {
    const target = this.path(key);
    // An empty object (a fan-in marker) cannot be seen half-written: created in place, one
    // system call instead of a temporary file, a link and an unlink.
    if (body === '') return this.createEmpty(target);
    const tmp = this.staged(body);
    try {
      this.intoFolder(target, () => linkSync(tmp, target));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone: nothing to clean up
      }
    }
  }

  /**
   * An empty object (a fan-in marker, one per load) is a hard link to the store's one empty
   * file: link(2) publishes it as atomically as any other putIfAbsent, and allocates no inode.
   * Creating a file was the largest cost of a run with thousands of loads (ext4 inode
   * allocation: 20 to 600 us of system time each, depending on what else the disk does).
   * Objects are never written in place (put renames over, delete unlinks), so every link stays
   * empty.
   */
  private createEmpty(target: string): boolean {
    for (let attempt = 0; ; attempt++) {
      try {
        const source = this.emptyFile(attempt > 0);
        this.intoFolder(target, () => linkSync(source, target));
        return true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return false;
        // EMLINK: the empty file has as many links as the file system allows (65,000 on ext4);
        // ENOENT: it was removed. Either way a fresh one replaces it.
        if ((code !== 'EMLINK' && code !== 'ENOENT') || attempt === 2) throw err;
      }
    }
  }

  /** The empty file's path, made (or replaced, when `fresh` or when it is not an empty file). */
  private emptyFile(fresh: boolean): string {
    if (this.empty !== undefined && !fresh) return this.empty;
    const file = join(this.root, TMP, EMPTY);
    const found = fresh ? undefined : statSync(file, { throwIfNoEntry: false });
    // Another process may replace it at any time; any empty file will do.
    if (!found?.isFile() || found.size !== 0) renameSync(this.staged(''), file);
    return (this.empty = file);
  }

  async list(prefix: string): Promise<string[]> {
    // A prefix names folders under the root, never above it (`runs/../../`).
    if (prefix.startsWith('/') || prefix.split('/').some((p) => p === '.' || p === '..')) {
      throw new Error(`object store: invalid prefix ${JSON.stringify(prefix)}`);
    }
    // Walk only the deepest folder the prefix names, then filter by the rest of it.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? this.root : join(this.root, ...prefix.slice(0, cut).split('/').filter(Boolean));
    const out: string[] = [];
    const walk = (dir: string, keyOf: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw err;
      }
      // Each folder's entries in order, a folder's name read with its "/": the walk then yields
      // the keys already sorted, and sorting short names is far cheaper than sorting whole keys
      // that share a long prefix (a fan-in lists a folder of 64 markers once per load).
      entries.sort((x, y) => {
        const a = x.isDirectory() ? `${x.name}/` : x.name;
        const b = y.isDirectory() ? `${y.name}/` : y.name;
        return a < b ? -1 : a > b ? 1 : 0;
      });
      for (const e of entries) {
        const key = keyOf + e.name;
        if (e.isDirectory()) {
          if (dir === this.root && e.name === TMP) continue;
          walk(join(dir, e.name), `${key}/`);
        } else if (key.startsWith(prefix)) {
          out.push(key);
        }
      }
    };
    walk(base, relative(this.root, base).split(sep).filter(Boolean).map((p) => `${p}/`).join(''));
    return out;
  }

  async delete(key: string): Promise<void> {
    rmSync(this.path(key), { force: true });
    // Folders exist only for their keys (S3 has none): drop the ones this delete emptied.
    let dir = dirname(this.path(key));
    while (dir.startsWith(this.root + sep)) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty (or already gone): the folders above are not empty either
      }
      dir = dirname(dir);
    }
  }
}
