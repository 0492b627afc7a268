// ObjectStore over a local directory, laid out with the same keys as the S3 bucket.
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore } from '../ports.js';

const TMP = '.tmp';

function checkKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..') || key.startsWith(`${TMP}/`)) {
    throw new Error(`object store: invalid key ${JSON.stringify(key)}`);
  }
}

export class DirectoryObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  private path(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  // Readers must never see half a file, so every write goes to a temporary file first.
  private async staged(body: string): Promise<string> {
    const dir = join(this.root, TMP);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${process.pid}-${randomUUID()}`);
    await writeFile(tmp, body);
    return tmp;
  }

  async put(key: string, body: string): Promise<void> {
    const target = this.path(key);
    const tmp = await this.staged(body);
    await this.intoFolder(target, () => rename(tmp, target));
  }

  /** Runs `publish` with the target's folder present; a delete may remove an emptied folder
   *  between our mkdir and the publish (runs prune), so ENOENT gets one more mkdir. */
  private async intoFolder(target: string, publish: () => Promise<void>): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    try {
      await publish();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(target), { recursive: true });
      await publish();
    }
  }

  // link(2) fails with EEXIST when the target exists and publishes a complete file atomically,
  // which an `open(..., 'wx')` followed by a write would not (a reader could see it empty).
  async putIfAbsent(key: string, body: string): Promise<boolean> {
    const target = this.path(key);
    const tmp = await this.staged(body);
    try {
      await this.intoFolder(target, () => link(tmp, target));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Walk only the deepest folder the prefix names, then filter by the rest of it.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? this.root : join(this.root, ...prefix.slice(0, cut).split('/').filter(Boolean));
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw err;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          if (dir === this.root && e.name === TMP) continue;
          await walk(full);
        } else {
          const key = relative(this.root, full).split(sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    await walk(base);
    return out.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
    // Folders exist only for their keys (S3 has none): drop the ones this delete emptied.
    let dir = dirname(this.path(key));
    while (dir.startsWith(this.root + sep)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): the folders above are not empty either
      }
      dir = dirname(dir);
    }
  }
}
