// ACI's `aci_device_name` Jinja filter, as infrahub-sync's aci adapter defines it: a fabric node
// id ("101", taken from a DN such as topology/pod-1/node-101/...) becomes that node's name from
// class/fabricNode; an id the fabric does not know stays as given.
import { table } from '../../own.js';

/** What the aci adapter stores with a model's snapshot: node id -> node name. */
export interface AciTemplateData {
  nodeNames: Record<string, string>;
}

function namesOf(data: unknown): Readonly<Record<string, string>> {
  const names = (data as Partial<AciTemplateData> | undefined)?.nodeNames;
  const out: Record<string, string> = {};
  if (names && typeof names === 'object') {
    for (const [id, name] of Object.entries(names)) if (typeof name === 'string') out[id] = name;
  }
  return table(out);
}

export function aciDeviceNameFilter(data: unknown): (value: unknown) => unknown {
  const names = namesOf(data);
  return (value) => {
    const id = value === null || value === undefined ? '' : String(value);
    return Object.hasOwn(names, id) ? names[id] : value;
  };
}
