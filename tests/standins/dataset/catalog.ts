// Fixed vocabularies the generator draws from: real vendor models, interface types and
// names as NetBox and Nautobot spell them, so the data reads like a real network.
import type { InterfaceType, StatusSlug } from './types.js';

export const SIZES = {
  tiny: { regions: 1, sites: 2, devices: 5, interfaces: 20, ipAddresses: 10, circuits: 3 },
  small: { regions: 3, sites: 6, devices: 50, interfaces: 600, ipAddresses: 250, circuits: 12 },
  bench: { regions: 5, sites: 20, devices: 1000, interfaces: 50000, ipAddresses: 20000, circuits: 60 },
} as const;

export const STATUS_LABELS: Record<StatusSlug, string> = {
  active: 'Active', planned: 'Planned', staged: 'Staged', failed: 'Failed', offline: 'Offline',
  decommissioning: 'Decommissioning', inventory: 'Inventory', reserved: 'Reserved',
  deprecated: 'Deprecated', available: 'Available', retired: 'Retired', connected: 'Connected',
};

export const STATUS_COLORS: Record<StatusSlug, string> = {
  active: '4caf50', planned: '00bcd4', staged: '2196f3', failed: 'f44336', offline: 'ffc107',
  decommissioning: 'ff9800', inventory: '9e9e9e', reserved: '00bcd4', deprecated: 'f44336',
  available: '4caf50', retired: 'f44336', connected: '4caf50',
};

export const TAGS = [
  ['Core', '9c27b0'], ['Edge', '2196f3'], ['Monitored', '4caf50'], ['Backup', '607d8b'],
  ['Critical', 'f44336'], ['Lab', 'ffeb3b'], ['PCI', 'ff5722'], ['Legacy', '795548'],
] as const;

export const MANUFACTURERS = ['Cisco', 'Juniper', 'Arista', 'APC', 'Dell', 'Palo Alto Networks', 'Panduit'] as const;

/** [model, manufacturer index, part number, u_height, full depth, role key] */
export const DEVICE_TYPES = [
  ['ISR4431', 0, 'ISR4431/K9', 1, true, 'router'],
  ['Catalyst 9300-48P', 0, 'C9300-48P-A', 1, true, 'access'],
  ['MX204', 1, 'MX204-HW-BASE', 1, true, 'router'],
  ['DCS-7280SR-48C6', 2, 'DCS-7280SR-48C6-R', 1, true, 'core'],
  ['AP8868', 3, 'AP8868', 0, false, 'pdu'],
  ['PowerEdge R640', 4, '210-AKWU', 1, true, 'server'],
  ['PA-3220', 5, 'PAN-PA-3220', 2, true, 'firewall'],
  ['PowerEdge R6515', 4, '210-ASVL', 1.5, true, 'server'],
  ['CP24BLY', 6, 'CP24BLY', 1, false, 'patch'],
] as const;

export const PLATFORMS = [
  ['Cisco IOS-XE', 0, 'ios'], ['Juniper Junos', 1, 'junos'], ['Arista EOS', 2, 'eos'],
  ['PAN-OS', 5, 'panos'], ['Linux', null, ''],
] as const;

export const DEVICE_ROLES = [
  ['Router', 'router', 'rtr', '9c27b0'], ['Core Switch', 'core', 'core', '2196f3'],
  ['Access Switch', 'access', 'sw', '3f51b5'], ['Firewall', 'firewall', 'fw', 'f44336'],
  ['PDU', 'pdu', 'pdu', '607d8b'], ['Server', 'server', 'srv', '795548'],
  ['Patch Panel', 'patch', 'pp', '9e9e9e'],
] as const;

export const RACK_ROLES = [['Network Rack', '2196f3'], ['Compute Rack', '4caf50']] as const;
export const IPAM_ROLES = [['Production', '4caf50'], ['Management', '607d8b'], ['Loopback', '9c27b0']] as const;

export const TENANT_GROUPS = ['Customers', 'Internal'] as const;
/** [name, group index] */
export const TENANTS = [
  ['Acme Corp', 0], ['Globex', 0], ['Initech', 0], ['Umbrella', 0], ['NOC', 1], ['Engineering', 1],
] as const;

export const REGIONS = ['Europe', 'North America', 'Asia Pacific', 'South America', 'Africa'] as const;
export const SITE_GROUPS = ['Data Centers', 'Branch Offices'] as const;
export const CITIES = [
  ['Amsterdam', 'ams', 'Europe/Amsterdam'], ['Frankfurt', 'fra', 'Europe/Berlin'],
  ['New York', 'nyc', 'America/New_York'], ['Chicago', 'chi', 'America/Chicago'],
  ['Singapore', 'sin', 'Asia/Singapore'], ['Tokyo', 'tyo', 'Asia/Tokyo'],
  ['Sao Paulo', 'gru', 'America/Sao_Paulo'], ['Johannesburg', 'jnb', 'Africa/Johannesburg'],
  ['London', 'lon', 'Europe/London'], ['Paris', 'par', 'Europe/Paris'],
  ['Dallas', 'dfw', 'America/Chicago'], ['Sydney', 'syd', 'Australia/Sydney'],
] as const;

export const PROVIDERS = [
  ['NTT', 2914], ['Zayo', 6461], ['Lumen', 3356], ['Cogent', 174], ['Telia', 1299],
] as const;
export const CIRCUIT_TYPES = [
  ['Internet Transit', '2196f3'], ['MPLS', '9c27b0'], ['Dark Fiber', '607d8b'], ['Ethernet Private Line', '4caf50'],
] as const;

const t = (value: string, label: string): InterfaceType => ({ value, label });
export const IF_TYPES = {
  ge: t('1000base-t', '1000BASE-T (1GE)'),
  xe: t('10gbase-x-sfpp', 'SFP+ (10GE)'),
  twentyfive: t('25gbase-x-sfp28', 'SFP28 (25GE)'),
  hundred: t('100gbase-x-qsfp28', 'QSFP28 (100GE)'),
  virtual: t('virtual', 'Virtual'),
  lag: t('lag', 'Link Aggregation Group (LAG)'),
} as const;
export const PORT_TYPES = { lc: t('lc', 'LC'), rj45: t('8p8c', '8P8C') } as const;

export const MODE_LABELS = { access: 'Access', tagged: 'Tagged', 'tagged-all': 'Tagged (All)' } as const;
