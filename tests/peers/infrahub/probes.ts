// Raw requests that pin down how an Infrahub answers the cases the adapter and the stand-in
// must agree on (uniqueness refusals, empty relationships, display labels, IPAM identity,
// lineage, /api/info). Each probe runs against any server (the real one of up.sh, or the
// stand-in) and records request, HTTP status and body; check.ts compares the two servers'
// records, record-facts.ts saves the real server's as fixtures. Names carry a per-run suffix
// because the real server keeps what earlier runs wrote.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { call, graphql, type Peer, type PeerResponse } from './peer-env.js';
import { pyTitle } from '../../../shared/mapping/python.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas/infra.yml', import.meta.url));

export interface Exchange {
  request: { method: string; path: string; query?: string; variables?: Record<string, unknown> };
  status: number;
  body: unknown;
}

export type ProbeRecord = Record<string, Exchange>;

/** A probe step's answer: the exchange plus quick access to the data. */
interface Answer extends Exchange {
  data: Record<string, unknown> | null;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

class Recorder {
  readonly record: ProbeRecord = {};
  /** Ids this run created, with a readable name, so answers compare across servers. */
  readonly names = new Map<string, string>();
  /** The probes' own branch: what they write (duplicate prefixes on purpose) stays out of main. */
  branch: string | undefined;
  constructor(
    readonly peer: Peer,
    readonly s: string,
  ) {}

  async gql(step: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
    const res: PeerResponse = await graphql(this.peer, query, variables, this.branch);
    return this.keep(step, { method: 'POST', path: this.branch ? `/graphql/${this.branch}` : '/graphql', query, variables }, res);
  }

  async rest(step: string, path: string): Promise<Answer> {
    const res = await call(this.peer, 'GET', path);
    return this.keep(step, { method: 'GET', path }, res);
  }

  private keep(step: string, request: Exchange['request'], res: PeerResponse): Answer {
    const ex: Exchange = { request, status: res.status, body: res.body };
    this.record[step] = ex;
    const body = (res.body ?? {}) as { data?: Record<string, unknown> | null; errors?: Answer['errors'] };
    return { ...ex, data: body.data ?? null, errors: body.errors ?? [] };
  }

  /** The id a create answered (`data.<mutation>.object.id`), remembered under `name`. */
  id(a: Answer, mutation: string, name: string): string {
    const id = ((a.data?.[mutation] as { object?: { id?: string } } | null)?.object?.id ?? '') as string;
    if (!id) throw new Error(`${mutation} for ${name} failed: ${JSON.stringify(a.body).slice(0, 600)}`);
    this.names.set(id, name);
    return id;
  }
}

interface SchemaKind {
  kind?: string;
  namespace: string;
  name: string;
  human_friendly_id?: string[] | null;
  default_filter?: string | null;
  uniqueness_constraints?: string[][] | null;
  display_labels?: string[] | null;
  display_label?: string | null;
  inherit_from?: string[];
  attributes?: { name: string; unique?: boolean; read_only?: boolean; optional?: boolean }[];
}

/** What the compiled schema says about identity, per kind of configs/schemas and the core kinds syncs touch. */
export function identitySummary(schemaBody: unknown): Record<string, unknown> {
  const body = schemaBody as { nodes?: SchemaKind[]; generics?: SchemaKind[] };
  const wanted = new Set<string>(['BuiltinTag', 'CoreAccount', 'CoreAccountGroup', 'CoreGenericAccount', 'BuiltinIPPrefix', 'BuiltinIPAddress', 'BuiltinIPNamespace', 'IpamNamespace']);
  const text = readFileSync(SCHEMAS, 'utf8');
  for (const m of text.matchAll(/^ {2}- name: (\w+)[^\n]*\n {4}namespace: (\w+)/gm)) wanted.add(`${m[2]}${m[1]}`);
  const out: Record<string, unknown> = {};
  for (const [section, list] of [['node', body.nodes ?? []], ['generic', body.generics ?? []]] as const) {
    for (const k of list) {
      const kind = k.kind ?? `${k.namespace}${k.name}`;
      if (!wanted.has(kind)) continue;
      out[kind] = {
        section,
        inherit_from: k.inherit_from ?? [],
        human_friendly_id: k.human_friendly_id ?? null,
        default_filter: k.default_filter ?? null,
        uniqueness_constraints: k.uniqueness_constraints ?? null,
        display_labels: k.display_labels ?? null,
        display_label: k.display_label ?? null,
        unique_attributes: (k.attributes ?? []).filter((a) => a.unique).map((a) => a.name),
        read_only_attributes: (k.attributes ?? []).filter((a) => a.read_only).map((a) => a.name),
      };
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const OK_ID = '{ ok object { id } }';

/** Ids and timestamps out, names in: what two servers' answers to the same probe share. The
 *  run's suffix becomes `<s>` (`<S>` where a label title-cased it). */
export function normalise(record: ProbeRecord, names: Map<string, string>, s: string): ProbeRecord {
  const sTitled = pyTitle(s);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (uuid.test(v)) return names.has(v) ? `<${names.get(v)}>` : '<id>';
      if (key === 'updated_at' || key === '_updated_at') return '<time>';
      return v.replaceAll(s, '<s>').replaceAll(sTitled, '<S>').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (m) => (names.has(m) ? `<${names.get(m)}>` : '<id>'));
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(record) as ProbeRecord;
}

/** Runs every probe; `s` makes this run's names unique. */
export async function runProbes(peer: Peer, s: string): Promise<{ record: ProbeRecord; names: Map<string, string> }> {
  const r = new Recorder(peer, s);
  const branch = `probes${s}`;
  try {
    const made = await graphql(peer, 'mutation($n: String!) { BranchCreate(data: {name: $n}) { ok } }', { n: branch });
    if (!(made.body as { data?: { BranchCreate?: { ok?: boolean } | null } | null }).data?.BranchCreate?.ok) throw new Error(`creating branch ${branch}: ${JSON.stringify(made.body).slice(0, 300)}`);
    r.branch = branch;
    await probeAll(r, s);
  } catch (err) {
    // What was recorded up to the failure is kept; the failure is one more record.
    r.record.aborted = { request: { method: '-', path: '-' }, status: 0, body: err instanceof Error ? err.message : String(err) };
  } finally {
    if (r.branch) await graphql(peer, 'mutation($n: String) { BranchDelete(data: {name: $n}) { ok } }', { n: branch });
  }
  return { record: r.record, names: r.names };
}

async function probeAll(r: Recorder, s: string): Promise<void> {

  // g. what the server says it is
  await r.rest('info', '/api/info');

  // b. the schema as the server compiled it (generics' constraints, hfid, default filter)
  await r.rest('schema', '/api/schema?branch=main');

  // Fixtures a device needs.
  const org = r.id(await r.gql('setup.org', `mutation($d: OrganizationGenericCreateInput!) { OrganizationGenericCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `org${s}` } } }), 'OrganizationGenericCreate', 'org');
  const orgLabelled = r.id(
    await r.gql('setup.orgLabelled', `mutation($d: OrganizationGenericCreateInput!) { OrganizationGenericCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `orgl${s}` }, label: { value: `Org L${s}` } } }),
    'OrganizationGenericCreate',
    'orgLabelled',
  );
  const role = r.id(await r.gql('setup.role', `mutation($d: RoleGenericCreateInput!) { RoleGenericCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `role${s}` } } }), 'RoleGenericCreate', 'role');
  const loc = r.id(await r.gql('setup.location', `mutation($d: LocationGenericCreateInput!) { LocationGenericCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `loc${s}` } } }), 'LocationGenericCreate', 'location');
  const dt = r.id(
    await r.gql('setup.deviceType', `mutation($d: ChoiceDeviceTypeCreateInput!) { ChoiceDeviceTypeCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `dt${s}` }, manufacturer: { id: org } } }),
    'ChoiceDeviceTypeCreate',
    'deviceType',
  );
  const dev = r.id(
    await r.gql('setup.device', `mutation($d: InfraDeviceCreateInput!) { InfraDeviceCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `dev${s}` }, location: { id: loc }, model: { id: dt } } }),
    'InfraDeviceCreate',
    'device',
  );

  // a. a second interface / front port with the same device and name
  const ifData = { device: { id: dev }, name: { value: 'eth0' } };
  r.id(await r.gql('uniqueness.interfaceCreate1', `mutation($d: InfraInterfaceL2L3CreateInput!) { InfraInterfaceL2L3Create(data: $d) ${OK_ID} }`, { d: ifData }), 'InfraInterfaceL2L3Create', 'eth0');
  await r.gql('uniqueness.interfaceCreate2', `mutation($d: InfraInterfaceL2L3CreateInput!) { InfraInterfaceL2L3Create(data: $d) ${OK_ID} }`, { d: ifData });
  await r.gql('uniqueness.interfaceUpsert', `mutation($d: InfraInterfaceL2L3UpsertInput!) { InfraInterfaceL2L3Upsert(data: $d) ${OK_ID} }`, { d: { ...ifData, description: { value: 'upserted' } } });
  await r.gql('uniqueness.interfaceCount', `query($d: [ID]) { InfraInterfaceL2L3(device__ids: $d) { count edges { node { id name { value } description { value } } } } }`, { d: [dev] });
  const fpData = { device: { id: dev }, name: { value: 'fp1' } };
  r.id(await r.gql('uniqueness.frontPortCreate1', `mutation($d: InfraFrontPortCreateInput!) { InfraFrontPortCreate(data: $d) ${OK_ID} }`, { d: fpData }), 'InfraFrontPortCreate', 'fp1');
  await r.gql('uniqueness.frontPortCreate2', `mutation($d: InfraFrontPortCreateInput!) { InfraFrontPortCreate(data: $d) ${OK_ID} }`, { d: fpData });
  await r.gql('uniqueness.frontPortUpsert', `mutation($d: InfraFrontPortUpsertInput!) { InfraFrontPortUpsert(data: $d) ${OK_ID} }`, { d: fpData });
  // Two aliases in one request: the first applies, the second is refused.
  await r.gql(
    'uniqueness.aliasedPair',
    `mutation($a: InfraInterfaceL2L3CreateInput!, $b: InfraInterfaceL2L3CreateInput!) { m0: InfraInterfaceL2L3Create(data: $a) ${OK_ID} m1: InfraInterfaceL2L3Create(data: $b) ${OK_ID} }`,
    { a: { device: { id: dev }, name: { value: 'eth1' } }, b: { device: { id: dev }, name: { value: 'eth1' } } },
  );

  // c. empty cardinality-one relationships, and d. display labels through generics
  await r.gql(
    'emptyOne.interface',
    `query($d: [ID]) { InfraInterfaceL2L3(device__ids: $d, name__value: "eth0") { edges { node { id status { node { id } } role { node { id display_label } properties { is_protected } } device { node { id } } } } } }`,
    { d: [dev] },
  );
  await r.gql('displayLabel.organization', `query($ids: [ID]) { OrganizationGeneric(ids: $ids) { edges { node { id display_label __typename } } } }`, { ids: [org, orgLabelled] });
  await r.gql('displayLabel.role', `query($ids: [ID]) { RoleGeneric(ids: $ids) { edges { node { id display_label } } } }`, { ids: [role] });
  await r.gql('displayLabel.throughRelationship', `query($ids: [ID]) { ChoiceDeviceType(ids: $ids) { edges { node { id display_label manufacturer { node { id display_label } } } } } }`, { ids: [dt] });
  await r.gql('displayLabel.throughGenericInterface', `query($d: [ID]) { InfraInterface(device__ids: $d) { edges { node { id display_label __typename } } } }`, { d: [dev] });

  // e. IPAM identity within one namespace
  const ns = r.id(await r.gql('ipam.namespace', `mutation($d: NautobotNamespaceCreateInput!) { NautobotNamespaceCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `ns${s}` } } }), 'NautobotNamespaceCreate', 'namespace');
  const n = 1 + (parseInt(s.replace(/\D/g, '').slice(-4) || '0', 10) % 200);
  const prefix = { prefix: { value: `10.${n}.7.0/24` }, ip_namespace: { id: ns } };
  r.id(await r.gql('ipam.prefixCreate1', `mutation($d: InfraPrefixCreateInput!) { InfraPrefixCreate(data: $d) ${OK_ID} }`, { d: prefix }), 'InfraPrefixCreate', 'prefix');
  await r.gql('ipam.prefixCreate2', `mutation($d: InfraPrefixCreateInput!) { InfraPrefixCreate(data: $d) ${OK_ID} }`, { d: prefix });
  await r.gql('ipam.prefixUpsert', `mutation($d: InfraPrefixUpsertInput!) { InfraPrefixUpsert(data: $d) ${OK_ID} }`, { d: { ...prefix, description: { value: 'upserted' } } });
  const address = { address: { value: `10.${n}.7.9/24` }, ip_namespace: { id: ns } };
  r.id(await r.gql('ipam.addressCreate1', `mutation($d: InfraIPAddressCreateInput!) { InfraIPAddressCreate(data: $d) ${OK_ID} }`, { d: address }), 'InfraIPAddressCreate', 'address');
  await r.gql('ipam.addressCreate2', `mutation($d: InfraIPAddressCreateInput!) { InfraIPAddressCreate(data: $d) ${OK_ID} }`, { d: address });
  await r.gql('ipam.addressUpsert', `mutation($d: InfraIPAddressUpsertInput!) { InfraIPAddressUpsert(data: $d) ${OK_ID} }`, { d: { ...address, description: { value: 'upserted' } } });
  await r.gql(
    'ipam.addressByValueAndNamespaceIds',
    `query($a: String, $ns: [ID]) { InfraIPAddress(address__value: $a, ip_namespace__ids: $ns) { count edges { node { id address { value } description { value } ip_namespace { node { id } } ip_prefix { node { id } } } } } }`,
    { a: address.address.value, ns: [ns] },
  );
  await r.gql(
    'ipam.addressByValueAndNamespaceName',
    `query($a: String, $n: String) { InfraIPAddress(address__value: $a, ip_namespace__name__value: $n) { count edges { node { id } } } }`,
    { a: address.address.value, n: `ns${s}` },
  );
  await r.gql(
    'ipam.prefixByValueAndNamespaceIds',
    `query($p: String, $ns: [ID]) { InfraPrefix(prefix__value: $p, ip_namespace__ids: $ns) { count edges { node { id prefix { value } description { value } } } } }`,
    { p: prefix.prefix.value, ns: [ns] },
  );
  // The same address in the default namespace is another address.
  const inDefault = await r.gql('ipam.addressOtherNamespace', `mutation($d: InfraIPAddressCreateInput!) { InfraIPAddressCreate(data: $d) ${OK_ID} }`, { d: { address: address.address } });
  r.id(inDefault, 'InfraIPAddressCreate', 'addressDefaultNs');

  // f. lineage: accounts and groups, then properties written and read back
  await r.gql('lineage.accountLookupMissing', `query($n: String) { CoreAccount(name__value: $n) { count edges { node { id } } } }`, { n: `nosuch${s}` });
  const acct = r.id(
    await r.gql('lineage.accountCreate', `mutation($d: CoreAccountCreateInput!) { CoreAccountCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `src${s}` }, password: { value: `Pw-${s}-unused` }, account_type: { value: 'Script' } } }),
    'CoreAccountCreate',
    'account',
  );
  await r.gql('lineage.accountLookup', `query($n: String) { CoreAccount(name__value: $n) { count edges { node { id display_label hfid } } } }`, { n: `src${s}` });
  const group = r.id(
    await r.gql('lineage.groupCreate', `mutation($d: CoreAccountGroupCreateInput!) { CoreAccountGroupCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `grp${s}` } } }),
    'CoreAccountGroupCreate',
    'group',
  );
  await r.gql('lineage.groupLookupByHfid', `query($h: [String]) { CoreAccountGroup(hfid: $h) { count edges { node { id display_label hfid } } } }`, { h: [`grp${s}`] });
  await r.gql('lineage.groupLookupByName', `query($n: String) { CoreAccountGroup(name__value: $n) { count edges { node { id } } } }`, { n: `grp${s}` });

  const props = '{ is_protected source { id display_label __typename } owner { id display_label __typename } }';
  const locA = loc;
  const locB = r.id(await r.gql('lineage.locationB', `mutation($d: LocationGenericCreateInput!) { LocationGenericCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `locB${s}` } } }), 'LocationGenericCreate', 'locationB');
  const lin = { source: acct, owner: group, is_protected: true };
  const rel = { _relation__source: acct, _relation__owner: group, _relation__is_protected: true };
  const vlan = r.id(
    await r.gql('lineage.create', `mutation($d: InfraVLANCreateInput!) { InfraVLANCreate(data: $d) ${OK_ID} }`, {
      d: { name: { value: `vlan${s}`, ...lin }, vlan_id: { value: 100, ...lin }, organization: { id: org, ...rel }, locations: [{ id: locA, ...rel }] },
    }),
    'InfraVLANCreate',
    'vlan',
  );
  const readVlan = `query($ids: [ID]) { InfraVLAN(ids: $ids) { edges { node { id
    name { value ${props.slice(1, -1)} }
    vlan_id { value ${props.slice(1, -1)} }
    description { value ${props.slice(1, -1)} }
    organization { node { id } properties ${props} }
    locations { edges { node { id } properties ${props} } } } } } }`;
  await r.gql('lineage.readAfterCreate', readVlan, { ids: [vlan] });
  // An update that sends values only: do the properties stay?
  await r.gql('lineage.updateValueOnly', `mutation($d: InfraVLANUpdateInput!) { InfraVLANUpdate(data: $d) ${OK_ID} }`, {
    d: { id: vlan, vlan_id: { value: 101 }, organization: { id: org }, locations: [{ id: locA }, { id: locB }] },
  });
  await r.gql('lineage.readAfterValueOnlyUpdate', readVlan, { ids: [vlan] });
  // Properties alone, on an attribute and a relationship, without changing the value.
  await r.gql('lineage.updatePropertiesOnly', `mutation($d: InfraVLANUpdateInput!) { InfraVLANUpdate(data: $d) ${OK_ID} }`, {
    d: { id: vlan, vlan_id: { value: 101, source: group, owner: acct, is_protected: false }, description: { value: 'd', ...lin }, locations: [{ id: locA }, { id: locB, ...rel }] },
  });
  await r.gql('lineage.readAfterPropertiesUpdate', readVlan, { ids: [vlan] });
  // A protected value changed by the admin (neither source nor owner).
  await r.gql('lineage.updateProtectedByAdmin', `mutation($d: InfraVLANUpdateInput!) { InfraVLANUpdate(data: $d) ${OK_ID} }`, { d: { id: vlan, name: { value: `vlan2${s}` } } });
  await r.gql('lineage.readAfterAdminUpdate', readVlan, { ids: [vlan] });
  // A source/owner id that is no node, and one that is a node but no account.
  const missing = '18000000-0000-0000-0000-000000000000';
  await r.gql('lineage.unknownSource', `mutation($d: BuiltinTagCreateInput!) { BuiltinTagCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `tagU${s}`, source: missing } } });
  await r.gql('lineage.unknownRelationshipOwner', `mutation($d: InfraVLANUpdateInput!) { InfraVLANUpdate(data: $d) ${OK_ID} }`, { d: { id: vlan, locations: [{ id: locA, _relation__owner: missing }] } });
  await r.gql('lineage.readAfterUnknownOwner', readVlan, { ids: [vlan] });
  await r.gql('lineage.nonAccountSource', `mutation($d: BuiltinTagCreateInput!) { BuiltinTagCreate(data: $d) ${OK_ID} }`, { d: { name: { value: `tagN${s}`, source: locA } } });
  // One query each: the real server orders by name, the stand-in by creation.
  await r.gql('lineage.readUnknownSource', `query($n: String) { BuiltinTag(name__value: $n) { count edges { node { id name ${props} } } } }`, { n: `tagU${s}` });
  await r.gql('lineage.readNonAccountSource', `query($n: String) { BuiltinTag(name__value: $n) { count edges { node { id name ${props} } } } }`, { n: `tagN${s}` });
  // Filters on properties.
  await r.gql('lineage.filterBySource', `query($a: ID) { InfraVLAN(name__source__id: $a) { count edges { node { id } } } }`, { a: acct });
}
