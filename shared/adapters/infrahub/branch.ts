// Which branch a run reads and writes, and creating it when the config allows.
import { AdapterError } from '../../errors.js';
import { SYSTEM, type InfrahubClient } from './client.js';

interface BranchRow {
  name: string;
  is_default?: boolean | null;
}

/** Resolves the branch to use; its existence is checked against the server's branch list. */
export async function ensureBranch(
  client: InfrahubClient,
  wanted: string | undefined,
  createBranch: boolean,
): Promise<{ branch: string; isDefault: boolean; created: boolean }> {
  // The branch list is read on the default endpoint, which also proves the credentials work.
  const data = await client.query<{ Branch: BranchRow[] }>('query Branches { Branch { name is_default } }', {}, undefined);
  const branches = data.Branch ?? [];
  const defaultName = branches.find((b) => b.is_default)?.name ?? 'main';
  const name = wanted ?? defaultName;
  const found = branches.find((b) => b.name === name);
  if (found) return { branch: name, isDefault: name === defaultName, created: false };
  if (!createBranch) {
    throw new AdapterError(SYSTEM, `branch "${name}" does not exist (set create_branch: true to create it)`, 404);
  }
  const res = await client.execute<{ BranchCreate?: { ok?: boolean } | null }>(
    'mutation CreateBranch($name: String!) { BranchCreate(data: { name: $name }) { ok object { name } } }',
    { name },
    undefined,
  );
  // Another run may have created it between the list and the create.
  const raced = res.errors.some((e) => /already exist/i.test(e.message));
  if (!res.data?.BranchCreate?.ok && !raced) {
    throw new AdapterError(
      SYSTEM,
      `cannot create branch "${name}": ${res.errors.map((e) => e.message).join('; ') || 'no result'}`,
    );
  }
  return { branch: name, isDefault: false, created: !raced };
}
