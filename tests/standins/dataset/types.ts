// The neutral network: one description of a network that renders to both the NetBox and
// the Nautobot REST shapes. References are indexes into the named collection (null = none).

export type DatasetSize = 'tiny' | 'small' | 'bench';

/** Status slugs shared by both systems (NetBox choice value; Nautobot status name is the label). */
export type StatusSlug =
  | 'active' | 'planned' | 'staged' | 'failed' | 'offline' | 'decommissioning'
  | 'inventory' | 'reserved' | 'deprecated' | 'available' | 'retired' | 'connected';

export type Ref = number | null;

export interface NamedSlug { name: string; slug: string; description: string }

export interface Tag extends NamedSlug { color: string }
export type Manufacturer = NamedSlug;
export interface DeviceType {
  model: string; slug: string; manufacturer: number; partNumber: string; uHeight: number;
  isFullDepth: boolean; description: string; tags: number[];
}
export interface Platform extends NamedSlug { manufacturer: Ref; napalmDriver: string }
/** `scope` says which object kinds the role applies to (NetBox keeps separate tables). */
export interface Role extends NamedSlug { color: string; scope: 'device' | 'rack' | 'ipam' }
export interface TenantGroup extends NamedSlug { parent: Ref }
export interface Tenant extends NamedSlug { group: Ref }
export interface Region extends NamedSlug { parent: Ref; tags: number[] }
export interface SiteGroup extends NamedSlug { parent: Ref }
export interface Site extends NamedSlug {
  region: Ref; group: Ref; tenant: Ref; status: StatusSlug; facility: string; timeZone: string;
  physicalAddress: string; tags: number[];
}
export interface Location extends NamedSlug { site: number; parent: Ref; tenant: Ref; status: StatusSlug; tags: number[] }
export interface Rack {
  name: string; site: number; location: Ref; role: Ref; tenant: Ref; status: StatusSlug;
  uHeight: number; serial: string; assetTag: string | null; facilityId: string | null; tags: number[];
}
export interface Device {
  name: string; deviceType: number; role: number; platform: Ref; tenant: Ref; site: number;
  location: Ref; rack: Ref; position: number | null; face: 'front' | 'rear' | null; status: StatusSlug;
  serial: string; assetTag: string | null; description: string; tags: number[];
  /** The name monitoring systems (LibreNMS, Observium) poll it by: `pe-1NN` for routers, else an FQDN. */
  hostname: string;
}
export interface InterfaceType { value: string; label: string }
export interface Interface {
  device: number; name: string; type: InterfaceType; enabled: boolean; mtu: number | null;
  macAddress: string | null; mgmtOnly: boolean; description: string;
  mode: 'access' | 'tagged' | 'tagged-all' | null; untaggedVlan: Ref; taggedVlans: number[];
  status: StatusSlug; tags: number[];
}
export interface RearPort { device: number; name: string; type: InterfaceType; positions: number; description: string }
export interface FrontPort { device: number; name: string; type: InterfaceType; rearPort: number; rearPortPosition: number; description: string }
export interface Namespace { name: string; description: string }
export interface RouteTarget { name: string; tenant: Ref; description: string; tags: number[] }
export interface Vrf {
  name: string; rd: string | null; tenant: Ref; namespace: number; description: string;
  importTargets: number[]; exportTargets: number[]; tags: number[];
}
export interface VlanGroup extends NamedSlug { site: Ref }
export interface Vlan {
  vid: number; name: string; site: Ref; group: Ref; tenant: Ref; status: StatusSlug; role: Ref;
  description: string; tags: number[];
}
export interface Prefix {
  /** Index of the enclosing prefix in the same namespace (Nautobot `parent`). */
  prefix: string; parent: Ref; site: Ref; vrf: Ref; namespace: number; tenant: Ref; vlan: Ref;
  status: StatusSlug; role: Ref; isPool: boolean; description: string; tags: number[];
}
export interface IpAddress {
  address: string; vrf: Ref; namespace: number; tenant: Ref; status: StatusSlug;
  /** Index into prefixes: the enclosing prefix (Nautobot `parent`). */
  parent: number; interface: Ref; dnsName: string; description: string; tags: number[];
  /** IPAM role (Nautobot extras.roles); NetBox's IP role is a different choice set and stays empty. */
  role: Ref;
}
export interface Provider extends NamedSlug { asn: number | null; account: string; tags: number[] }
export interface ProviderNetwork { name: string; provider: number; serviceId: string; description: string; tags: number[] }
export interface CircuitType extends NamedSlug { color: string; tags: number[] }
export interface Circuit {
  cid: string; provider: number; type: number; status: StatusSlug; tenant: Ref;
  commitRate: number | null; installDate: string | null; description: string; tags: number[];
}

/** Peering data (Peering Manager, PeeringDB): drawn from its own generator, so adding it left
 *  every other table as it was. References are indexes, as above. */
export interface AutonomousSystem {
  asn: number; name: string; irrAsSet: string | null; ipv4MaxPrefixes: number; ipv6MaxPrefixes: number;
  affiliated: boolean; description: string; comments: string; communities: number[];
  importPolicies: number[]; exportPolicies: number[];
}
export interface Community { name: string; slug: string; value: string; type: 'ingress' | 'egress' | null; description: string }
export interface RoutingPolicy {
  name: string; slug: string; type: 'import-policy' | 'export-policy' | 'import-export-policy'; weight: number;
  addressFamily: 0 | 4 | 6; communities: number[]; description: string;
}
export type PeeringStatus = 'enabled' | 'pre-maintenance' | 'maintenance' | 'post-maintenance' | 'disabled';
export interface BgpGroup {
  name: string; slug: string; status: PeeringStatus; description: string; importPolicies: number[];
  exportPolicies: number[]; communities: number[];
}
export interface InternetExchange {
  name: string; slug: string; status: PeeringStatus; description: string; localAs: number;
  importPolicies: number[]; exportPolicies: number[]; communities: number[];
  ipv4Prefix: string; ipv6Prefix: string;
}
export interface IxConnection {
  ixp: number; router: number; interface: string; ipv4: string | null; ipv6: string | null; vlan: number | null;
  status: PeeringStatus; description: string; peeringdbNetixlan: number | null;
}
export interface Peering {
  autonomousSystems: AutonomousSystem[];
  communities: Community[];
  routingPolicies: RoutingPolicy[];
  bgpGroups: BgpGroup[];
  internetExchanges: InternetExchange[];
  /** Device indexes of the routers that peer (Peering Manager routers). */
  routers: number[];
  connections: IxConnection[];
}

export interface Dataset {
  kind: 'neutral-dataset';
  size: DatasetSize;
  seed: number;
  /** Fixed instant every generated timestamp derives from, so renders are deterministic. */
  epoch: string;
  tags: Tag[];
  manufacturers: Manufacturer[];
  deviceTypes: DeviceType[];
  platforms: Platform[];
  roles: Role[];
  tenantGroups: TenantGroup[];
  tenants: Tenant[];
  regions: Region[];
  siteGroups: SiteGroup[];
  sites: Site[];
  locations: Location[];
  racks: Rack[];
  devices: Device[];
  interfaces: Interface[];
  rearPorts: RearPort[];
  frontPorts: FrontPort[];
  namespaces: Namespace[];
  routeTargets: RouteTarget[];
  vrfs: Vrf[];
  vlanGroups: VlanGroup[];
  vlans: Vlan[];
  prefixes: Prefix[];
  ipAddresses: IpAddress[];
  providers: Provider[];
  providerNetworks: ProviderNetwork[];
  circuitTypes: CircuitType[];
  circuits: Circuit[];
  peering: Peering;
}
