// Neutral network -> what an APIC holds about one ACI fabric (classes fabricTopology, fabricNode,
// fvTenant, l1PhysIf), as APIC's REST API returns each object: `{<class>: {attributes}}` with
// every attribute a string. Three controllers (fabricSt "unknown", as APICs report), two spines,
// and one leaf per dataset device (ids from 101); the last leaf is inactive and, being
// unreachable, reports no interfaces. Tenants: common, infra, mgmt and the dataset's tenants.
// Attribute sets follow APIC 5.2's (tests/standins/aci/README.md).
import type { SourceDataset, SourceRow } from '../rest-common/source-dataset.js';
import type { Dataset } from './types.js';

const stamp = '2025-01-15T09:00:00.000+00:00';
const aciName = (s: string): string => s.replace(/[^A-Za-z0-9_.:-]+/g, '_');

export function renderAci(ds: Dataset): SourceDataset {
  let id = 0;
  const row = (cls: string, attributes: Record<string, string>): SourceRow => ({ id: ++id, [cls]: { attributes } });
  const t: Record<string, SourceRow[]> = {};
  t.fabricTopology = [row('fabricTopology', { childAction: '', dn: 'topology', fabricId: '1', lcOwn: 'local', modTs: stamp, monPolDn: '', status: '' })];

  const node = (nodeId: number, name: string, role: string, model: string, serial: string, fabricSt: string, version: string) =>
    row('fabricNode', {
      adSt: 'on', address: `10.0.${Math.floor(nodeId / 256)}.${nodeId % 256}`, annotation: '', apicType: 'apic', childAction: '',
      delayedHeartbeat: 'no', dn: `topology/pod-1/node-${nodeId}`, extMngdBy: '', fabricSt, id: String(nodeId), lastStateModTs: stamp,
      lcOwn: 'local', modTs: stamp, model, monPolDn: 'uni/fabric/monfab-default', name, nameAlias: '', nodeType: 'unspecified', role, serial,
      status: '', uid: '0', userdom: 'all', vendor: 'Cisco Systems, Inc', version,
    });
  const leaves = ds.devices.map((d, i) => ({ id: 101 + i, name: `leaf-${101 + i}`, device: i, active: i < ds.devices.length - 1, serial: d.serial || `FDO2${String(101 + i).padStart(7, '0')}` }));
  t.fabricNode = [
    ...[1, 2, 3].map((n) => node(n, `apic${n}`, 'controller', 'APIC-SERVER-M3', `WZP2344${String(n).padStart(4, '0')}`, 'unknown', '5.2(8h)')),
    ...[201, 202].map((n) => node(n, `spine-${n}`, 'spine', 'N9K-C9364C', `FDO2201${n}`, 'active', 'n9000-15.2(8h)')),
    ...leaves.map((l) => node(l.id, l.name, 'leaf', 'N9K-C93180YC-FX', l.serial, l.active ? 'active' : 'inactive', 'n9000-15.2(8h)')),
  ];

  t.fvTenant = [
    { name: 'common', descr: '' }, { name: 'infra', descr: '' }, { name: 'mgmt', descr: '' },
    ...ds.tenants.map((x) => ({ name: aciName(x.name), descr: x.description })),
  ].map((x) => row('fvTenant', {
    annotation: '', childAction: '', descr: x.descr, dn: `uni/tn-${x.name}`, extMngdBy: '', lcOwn: 'local', modTs: stamp,
    monPolDn: 'uni/tn-common/monepg-default', name: x.name, nameAlias: '', ownerKey: '', ownerTag: '', status: '', uid: '15374',
  }));

  const port = (nodeId: number, port: number, adminUp: boolean, descr: string) =>
    row('l1PhysIf', {
      adminSt: adminUp ? 'up' : 'down', autoNeg: 'on', childAction: '', delay: '1', descr, dn: `topology/pod-1/node-${nodeId}/sys/phys-[eth1/${port}]`,
      dot1qEtherType: '0x8100', fecMode: 'inherit', id: `eth1/${port}`, layer: 'Layer2', linkDebounce: '100', mdix: 'auto', mode: 'trunk',
      modTs: stamp, mtu: '9000', name: '', portT: 'leaf', speed: 'inherit', status: '', switchingSt: 'enabled', usage: 'discovery',
    });
  t.l1PhysIf = [
    ...[201, 202].flatMap((n) => [1, 2].map((p) => port(n, p, true, `link to leaf ${p}`))),
    ...leaves.filter((l) => l.active).flatMap((l) => {
      const ifaces = ds.interfaces.filter((x) => x.device === l.device).slice(0, 6);
      const list = ifaces.length >= 2 ? ifaces : [...ifaces, { enabled: true, description: '' }, { enabled: false, description: '' }].slice(0, 2);
      return list.map((x, p) => port(l.id, p + 1, x.enabled, x.description));
    }),
  ];
  return { kind: 'source-dataset', system: 'aci', tables: t };
}
