// Several schema_mapping entries can feed one model from different endpoints (NetBox regions,
// sites and locations into LocationGeneric; tenants, manufacturers and providers into
// OrganizationGeneric). NetBox ids are per table, so "id 1" names a different object in each:
// a bare id cannot tell which. The nested objects NetBox and Nautobot return also carry `url`
// (`.../api/dcim/manufacturers/1/`), which can: peers are also indexed by endpoint + id, and a
// reference with a url is resolved by it (infrahub-sync takes the first record with that id).

/** `dcim.device_roles` -> `dcim/device-roles`; `plugin.bgp.x` -> `plugins/bgp/x` (the URL path). */
export function endpointOfMapping(mapping: string): string {
  const parts = mapping.split('.').map((p) => p.replace(/_/g, '-'));
  if (parts[0] === 'plugin') parts[0] = 'plugins';
  return parts.join('/');
}

/** The index key of a record loaded from `mapping` with system id `id`. */
export function endpointKey(mapping: string, id: string): string {
  return `${endpointOfMapping(mapping)}#${id}`;
}

/** The index key named by a nested object's url, or undefined when the url says nothing usable. */
export function endpointKeyFromUrl(url: string, id: string): string | undefined {
  const at = url.indexOf('/api/');
  if (at < 0) return undefined;
  let path = url.slice(at + 5).split('?')[0] as string;
  if (path.endsWith('/')) path = path.slice(0, -1);
  const cut = path.lastIndexOf('/');
  if (cut < 0 || path.slice(cut + 1) !== id) return undefined;
  return `${path.slice(0, cut)}#${id}`;
}
