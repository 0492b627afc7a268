// Normalising 100,000 raw records (3-level dotted paths, 2 transforms, a reference) must take
// at most 2 s. Prints records/s and peak RSS; exits 1 when over target.
import type { RawRecord } from '../../shared/adapters/types.js';
import type { SyncConfig } from '../../shared/config/types.js';
import { normaliseModel, type ReferenceIndex } from '../../shared/mapping/index.js';

const N = 100_000;
const TARGET_MS = 2000;

const config: SyncConfig = {
  name: 'bench',
  source: { name: 'netbox', settings: {} },
  destination: { name: 'infrahub', settings: {} },
  order: [],
  diffsync_flags: [],
  guardrails: { max_delete_percent: 100, allow_empty_source: true },
  schema_mapping: [
    {
      name: 'InfraDevice',
      mapping: 'dcim.devices',
      identifiers: ['name', 'site'],
      filters: [{ field: 'status.value', operation: '!=', value: 'decommissioning' }],
      transforms: [
        { field: 'name', expression: "{{ name.lower() if name else '' }}" },
        { field: 'serial_number', expression: "{{ serial.upper() if serial else '' }}" },
      ],
      fields: [
        { name: 'name', mapping: 'name', hasStatic: false },
        { name: 'site', mapping: 'site', reference: 'LocationSite', hasStatic: false },
        { name: 'region', mapping: 'site.region.name', hasStatic: false },
        { name: 'manufacturer', mapping: 'device_type.manufacturer.name', hasStatic: false },
        { name: 'model', mapping: 'device_type.model', hasStatic: false },
        { name: 'serial', mapping: 'serial_number', hasStatic: false },
        { name: 'status', mapping: 'status.value', hasStatic: false },
        { name: 'managed', static: true, hasStatic: true },
      ],
    },
  ],
};

const sites = 50;
const raws: RawRecord[] = [];
for (let i = 0; i < N; i++) {
  const s = i % sites;
  raws.push({
    id: i + 1,
    name: `DEVICE-${i}`,
    serial: i % 7 === 0 ? null : `sn${i.toString(36)}`,
    site: { id: s + 1, name: `site-${s}`, region: { id: 1000 + (s % 5), name: `region-${s % 5}` } },
    device_type: { id: 7, model: 'QFX5100', manufacturer: { id: 3, name: 'Juniper' } },
    status: { value: 'active', label: 'Active' },
    tags: [],
    custom_fields: { a: 1 },
  });
}
const refs: ReferenceIndex = new Map([['LocationSite', new Map(Array.from({ length: sites }, (_, s) => [String(s + 1), `site-${s}`]))]]);

(globalThis as { gc?: () => void }).gc?.();
const t0 = performance.now();
const r = normaliseModel(config, 'InfraDevice', 'source', [raws], refs);
const ms = performance.now() - t0;

if (r.records.length !== N || r.warnings.length !== 0) {
  console.log(`wrong result: ${r.records.length} records, ${r.warnings.length} warnings`);
  process.exit(1);
}
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`normalise: ${N} records in ${ms.toFixed(0)} ms = ${Math.round(N / (ms / 1000))} records/s; peak RSS ${rss.toFixed(0)} MiB (target <= ${TARGET_MS} ms)`);
process.exit(ms <= TARGET_MS ? 0 : 1);
