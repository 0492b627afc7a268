// The stand-ins cache rendered JSON, yet tests change what is served by assigning to rows
// (`standin.dataset.tables['dcim.devices'][0].name = 'x'`) or pushing new ones. The dataset a
// stand-in hands out is therefore a view that reports every write, at any depth, so the
// cache can be dropped; the stand-in itself reads the plain objects underneath at full speed.
import type { SourceDataset } from './source-dataset.js';

export function watchDataset(ds: SourceDataset, onChange: () => void): SourceDataset {
  const proxyOf = new WeakMap<object, object>();
  const targetOf = new WeakMap<object, object>();

  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    let p = proxyOf.get(v);
    if (!p) {
      p = new Proxy(v, handler);
      proxyOf.set(v, p);
      targetOf.set(p, v);
    }
    return p;
  };
  // A row taken from the view and pushed elsewhere is stored as the plain object it wraps.
  const unwrap = (v: unknown): unknown => (typeof v === 'object' && v !== null ? (targetOf.get(v) ?? v) : v);

  const handler: ProxyHandler<object> = {
    get: (target, key) => wrap(Reflect.get(target, key)),
    set: (target, key, value) => {
      const ok = Reflect.set(target, key, unwrap(value));
      onChange();
      return ok;
    },
    defineProperty: (target, key, attrs) => {
      const ok = Reflect.defineProperty(target, key, 'value' in attrs ? { ...attrs, value: unwrap(attrs.value) } : attrs);
      onChange();
      return ok;
    },
    deleteProperty: (target, key) => {
      const ok = Reflect.deleteProperty(target, key);
      onChange();
      return ok;
    },
  };
  return wrap(ds) as SourceDataset;
}
