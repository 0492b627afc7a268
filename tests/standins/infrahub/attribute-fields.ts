import type { AttributeSchema } from './schema-types.js';
import type { StoredNode } from './store.js';
import { ipDetails } from './values.js';

/** GraphQL type name of an attribute object, as Infrahub names them. */
export function attributeTypeName(kind: string): string {
  switch (kind) {
    case 'Dropdown':
    case 'IPHost':
    case 'IPNetwork':
    case 'MacAddress':
      return kind;
    case 'List':
      return 'ListAttribute';
    case 'JSON':
      return 'JSONAttribute';
    case 'Any':
      return 'AnyAttribute';
    case 'Number':
    case 'Bandwidth':
      return 'NumberAttribute';
    case 'Boolean':
    case 'Checkbox':
      return 'CheckboxAttribute';
    default:
      return 'TextAttribute';
  }
}

/** A stable 12-hex tail so each attribute object has its own UUID-shaped id. */
function attrSuffix(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(12, '0').slice(-12);
}

const IP_FIELDS = new Set(['ip', 'hostmask', 'netmask', 'prefixlen', 'version', 'with_hostmask', 'with_netmask', 'broadcast_address', 'num_addresses']);
const CHOICE_FIELDS = new Set(['label', 'color', 'description']);

/**
 * One scalar field of an attribute object (lineage fields, which need the branch's store, are
 * answered by graphql-schema.ts). Shared by the graphql-js resolvers and the fast
 * list executor so both answer the same. `undefined` means "not a scalar field of attributes".
 */
export function attributeField(node: StoredNode, attr: AttributeSchema, field: string): unknown {
  switch (field) {
    case 'value':
      return node.attrs[attr.name] ?? null;
    case 'id':
      return `${node.id.slice(0, 24)}${attrSuffix(attr.name)}`;
    case 'is_default':
      return node.defaulted.has(attr.name);
    case 'is_inherited':
      return attr.inherited;
    case 'is_from_profile':
      return false;
    case 'is_visible':
      return true;
    case 'updated_at':
      return node.updatedAt;
    case '__typename':
      return attributeTypeName(attr.kind);
  }
  if (CHOICE_FIELDS.has(field) && attr.kind === 'Dropdown') {
    const c = (attr.choices ?? []).find((x) => x.name === node.attrs[attr.name]);
    return c?.[field] ?? null;
  }
  if (IP_FIELDS.has(field) && (attr.kind === 'IPHost' || attr.kind === 'IPNetwork')) {
    const v = node.attrs[attr.name];
    return typeof v === 'string' ? (ipDetails(v)[field] ?? null) : null;
  }
  return undefined;
}
