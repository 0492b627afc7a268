import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startInfrahubStandin } from '../../standins/infrahub/index.js';
import { loadConfigFile } from '../../../shared/config/index.js';
import { buildLoadRequests } from '../../../shared/mapping/index.js';
import { Ctx, TOKEN, create, failed, makeAdapter } from './helpers.js';

// The upstream Infrahub-to-Peering-Manager example: `name` is the Infrahub kind and field, `mapping`
// the Peering Manager endpoint and field. The schemas are upstream's (tests/fixtures/infrahub-schema/NOTICE.md).
const REF = fileURLToPath(new URL('../../fixtures/infrahub-schema/infrahub', import.meta.url));
const SCHEMAS = [`${REF}/base`, `${REF}/examples/extension_peering_manager.yml`];
const CONFIG = fileURLToPath(new URL('../../fixtures/config/examples/infrahub_to_peering-manager/config.yml', import.meta.url));

describe('Infrahub as the source of an Infrahub-to-X config', () => {
  it('reads each Infrahub field by name and returns it at the path the mapping reads', async () => {
    const standin = await startInfrahubStandin({ schema: SCHEMAS, token: TOKEN });
    try {
      const adapter = makeAdapter(standin.url);
      const seeded = await adapter.apply(
        [
          create('InfraBGPCommunity', 'no-export', { name: 'no-export' }, { label: 'No Export', description: 'well known', value: '65535:65281', community_type: 'egress' }),
        ],
        new Ctx(),
      );
      expect(failed(seeded)).toEqual([]);
      const { config } = await loadConfigFile(CONFIG);
      const [req] = buildLoadRequests(config, 'InfraBGPCommunity', 'source');
      expect(req?.path).toBe('peering/communities');
      const records = await adapter.load(req!);
      expect(records).toHaveLength(1);
      // Peering Manager's slug <- Infrahub name, name <- label, type <- community_type.
      expect(records[0]).toMatchObject({ slug: 'no-export', name: 'No Export', description: 'well known', value: '65535:65281', type: 'egress' });
    } finally {
      await standin.stop();
    }
  });
});
