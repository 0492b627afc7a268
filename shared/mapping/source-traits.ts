// What a source adapter of infrahub-sync does differently from the others when it turns
// records into DiffSync models, by adapter name. Pure: the adapters (I/O) only supply data.
//
// - template: Jinja filters and globals the upstream adapter defines (ACI's `aci_device_name`,
//   Prometheus's `lookup()`), built from data the adapter stores with each model's snapshot
//   (Adapter.templateData), so the plan step can render them wherever it runs. Built without
//   data, they are the names only (config validation) and behave as on an empty source.
// - references: how a reference given as a plain value names its peer.
//   'key': the value is the peer's key (every other adapter).
//   'peer-identifiers' (ipfabricsync, upstream's build_mapping): the peer's key is built from
//   this record's columns named by the peer entry's identifier mappings (an IP Fabric row of
//   managed IPs names its interface by `hostname` and `intName`); a key no loaded peer has gives
//   no peer (upstream: None).
//   'verified' (slurpitsync): the value is the peer's key, and a record whose peer is not
//   loaded is left out (upstream skips it: "Slurpit data has no dependencies").
// - transformedFields: a transform whose `field` is a mapped field's name gives that field its
//   value, instead of the field's `mapping` path (aci: upstream does this for references only,
//   which is how the example's interfaces find their switch by `aci_device_name`; for the other
//   fields the example's buildings would be named "1" while its switches point at "MUC-1").
// - duplicates: records of one model with the same key. 'fail' (DiffSync's
//   ObjectAlreadyExists); 'first' (slurpitsync adds each and ignores the refusal); 'last'
//   (ipfabricsync's update_or_add_model_instance). Per-device tables (Slurp'it plannings, IP
//   Fabric's VRF detail) repeat a VLAN or VRF once per device that has it.
import { aciDeviceNameFilter } from './extensions/aci-device-name.js';
import { prometheusLookup } from './extensions/prometheus-lookup.js';
import { RecordBound, type CompileOptions } from './jinja/compile.js';
import { own, table } from '../own.js';

export type ReferenceMode = 'key' | 'peer-identifiers' | 'verified';
export type DuplicateMode = 'fail' | 'first' | 'last';

export interface SourceTraits {
  references: ReferenceMode;
  transformedFields?: boolean;
  duplicates: DuplicateMode;
  /** Filters and globals from the model's template data (undefined: names only). */
  template?(data: unknown): Pick<CompileOptions, 'filters' | 'globals'>;
}

const PLAIN: SourceTraits = { references: 'key', duplicates: 'fail' };

const TRAITS: Readonly<Record<string, SourceTraits>> = table<SourceTraits>({
  aci: { ...PLAIN, transformedFields: true, template: (data) => ({ filters: { aci_device_name: aciDeviceNameFilter(data) } }) },
  prometheus: {
    ...PLAIN,
    template: (data) => {
      const lookup = prometheusLookup(data);
      return { globals: { lookup: new RecordBound((rec) => lookup(rec)) } };
    },
  },
  ipfabricsync: { references: 'peer-identifiers', duplicates: 'last' },
  slurpitsync: { references: 'verified', duplicates: 'first' },
});

export function sourceTraits(adapter: string): SourceTraits {
  return own(TRAITS, adapter) ?? PLAIN;
}

/** The source adapter's template filters and globals for a model whose snapshot carries `data`. */
export function templateExtensions(adapter: string, data?: unknown): Pick<CompileOptions, 'filters' | 'globals'> {
  return sourceTraits(adapter).template?.(data) ?? {};
}
