// Neutral network -> PeeringDB (API 2.x, `/api/<tag>`): the public networks (`net`) among the
// peering data's autonomous systems (our own AS is private), their organisations (`org`) and the
// exchanges (`ix`). Field lists follow the
// responses peeringdb-py records in its tests (tests/data/cache/*.json); see the stand-in's README.
import type { SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import type { Dataset } from './types.js';

export function renderPeeringdb(ds: Dataset): SourceDataset {
  const epoch = Date.parse(ds.epoch);
  const at = (n: number): string => new Date(epoch + n * 61_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const p = ds.peering;
  const nets = p.autonomousSystems.filter((a) => !a.affiliated);
  const t: Record<string, SourceRow[]> = {};
  t.org = nets.map((a, i) => ({
    id: i + 1, name: a.name, aka: '', name_long: '', website: `https://www.${a.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    social_media: [], notes: '', logo: null, address1: '', address2: '', city: '', country: '', state: '', zipcode: '', floor: '',
    suite: '', latitude: null, longitude: null, created: at(i), updated: at(i + 1), status: 'ok',
  }));
  t.net = nets.map((a, i) => ({
    id: i + 1, org_id: i + 1, name: a.name, aka: '', name_long: '', website: String(t.org?.[i]?.website ?? ''), social_media: [],
    asn: a.asn, looking_glass: '', route_server: '', irr_as_set: a.irrAsSet ?? '', info_type: a.description === 'Transit provider' ? 'NSP' : 'Content',
    info_prefixes4: a.ipv4MaxPrefixes, info_prefixes6: a.ipv6MaxPrefixes, info_traffic: '', info_ratio: 'Balanced',
    info_scope: 'Global', info_unicast: true, info_multicast: false, info_ipv6: true, info_never_via_route_servers: false,
    ix_count: 0, fac_count: 0, notes: a.comments, netixlan_updated: null, netfac_updated: null, poc_updated: null,
    policy_url: '', policy_general: 'Open', policy_locations: 'Not Required', policy_ratio: false, policy_contracts: 'Not Required',
    allow_ixp_update: false, status_dashboard: null, rir_status: 'ok', rir_status_updated: null,
    created: at(100 + i), updated: at(200 + i), status: 'ok',
  }));
  t.ix = p.internetExchanges.map((x, i) => ({
    id: i + 1, org_id: 1, name: x.name, aka: '', name_long: x.description, city: '', country: '', region_continent: 'Europe',
    media: 'Ethernet', notes: '', proto_unicast: true, proto_multicast: false, proto_ipv6: true, website: '', social_media: [],
    url_stats: '', tech_email: '', tech_phone: '', policy_email: '', policy_phone: '', sales_phone: '', sales_email: '',
    net_count: 0, fac_count: 0, ixf_net_count: 0, ixf_last_import: null, ixf_import_request: null,
    ixf_import_request_status: 'queued', service_level: 'Not Disclosed', terms: 'Not Disclosed', status_dashboard: null,
    created: at(300 + i), updated: at(400 + i), status: 'ok',
  }));
  return { kind: 'source-dataset', system: 'peeringdb', tables: t };
}
