// Where a real peer keeps its working data (virtualenv, database files, secrets, logs): the
// peer's own variable when set, else <PEERS_DIR>/<name>, PEERS_DIR defaulting to .peers/ in the
// repository (git-ignored). Same rule as the peers' up.sh.
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export function peerDir(name: string, override: string | undefined): string {
  if (override) return resolve(override);
  return join(resolve(process.env.PEERS_DIR || join(REPO, '.peers')), name);
}
