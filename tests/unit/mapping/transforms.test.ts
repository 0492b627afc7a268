import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { MappingError, compileTransforms, toValue, transformInputs } from '../../../shared/mapping/index.js';

const ctx = { model: 'InfraDevice', entryIndex: 3 };

describe('compileTransforms', () => {
  it('applies transforms in order: later ones see earlier results', () => {
    const t = compileTransforms(
      [
        { field: 'mac_raw', expression: "{{ mac.replace('-', ':') }}" },
        { field: 'mac_norm', expression: '{{ mac_raw | lower }}' },
        { field: 'mac_clean', expression: "{{ '' if mac_norm == '00:00:00:00:00:00' else mac_norm }}" },
      ],
      ctx,
    );
    expect(t.apply({ id: 1, mac: 'AA-BB-CC-00-11-22' })).toMatchObject({
      mac_raw: 'AA:BB:CC:00:11:22',
      mac_norm: 'aa:bb:cc:00:11:22',
      mac_clean: 'aa:bb:cc:00:11:22',
    });
    expect(t.apply({ id: 2, mac: '00-00-00-00-00-00' }).mac_clean).toBe('');
  });

  it('keeps native types like NativeEnvironment', () => {
    const t = compileTransforms(
      [
        { field: 'height', expression: "{{ u_height|float|round(0, 'ceil') }}" },
        { field: 'count', expression: '{{ n }}' },
        { field: 'as_text', expression: '{{ n ~ "" }}' },
        { field: 'flag', expression: "{{ 'True' }}" },
        { field: 'list', expression: '{{ [n, name] }}' },
        { field: 'label', expression: 'n={{ n }}' },
        { field: 'height_label', expression: 'h={{ height }}' },
      ],
      ctx,
    );
    const out = t.apply({ id: 1, u_height: 1.5, n: 4, name: 'x' });
    // A float stays a float for later transforms (prints "2.0"), and is a plain number once canonical.
    expect(toValue(out.height)).toBe(2);
    expect(out.height_label).toBe('h=2.0');
    expect(out.count).toBe(4);
    expect(out.as_text).toBe(4); // "4" reads back as the int 4, as in Jinja2
    expect(out.flag).toBe(true);
    expect(out.list).toEqual([4, 'x']);
    expect(out.label).toBe('n=4');
  });

  it('leaves the field alone when the result is None', () => {
    const t = compileTransforms([{ field: 'vrf_prefix', expression: '{% if prefix %}{{ vrf }}__{{ prefix }}{% endif %}' }], ctx);
    expect(t.apply({ id: 1, prefix: '', vrf: 'x', vrf_prefix: 'kept' }).vrf_prefix).toBe('kept');
    expect(t.apply({ id: 1, prefix: '10.0.0.0/8', vrf: 'x' }).vrf_prefix).toBe('x__10.0.0.0/8');
  });

  it('writes at a dotted field and never changes the raw record', () => {
    const raw = { id: 1, site: { name: 'AMS' } };
    const t = compileTransforms([{ field: 'site.slug', expression: '{{ site.name.lower() }}' }], ctx);
    const out = t.apply(raw);
    expect(out.site).toEqual({ name: 'AMS', slug: 'ams' });
    expect(raw).toEqual({ id: 1, site: { name: 'AMS' } });
  });

  it('reports an undefined variable with model, field, expression and variable', () => {
    const t = compileTransforms([{ field: 'description', expression: '{{ fvTenant.attributes.descr or "x" }}' }], ctx);
    let err: unknown;
    try {
      t.apply({ id: 'uni/tn-a', fvTenant: { attributes: {} } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MappingError);
    const m = err as MappingError;
    expect(m.message).toContain('InfraDevice');
    expect(m.message).toContain("'description'");
    expect(m.message).toContain('fvTenant.attributes.descr');
    expect(m.message).toContain('{{ fvTenant.attributes.descr or \\"x\\" }}');
    expect(m.details).toMatchObject({ model: 'InfraDevice', field: 'description', variable: 'fvTenant.attributes.descr', localId: 'uni/tn-a' });
  });

  it('treats a lone undefined name as an error too', () => {
    const t = compileTransforms([{ field: 'x', expression: '{{ nme }}' }], ctx);
    expect(() => t.apply({ id: 1, name: 'a' })).toThrow(/variable 'nme' is undefined/);
  });

  it('turns Python runtime errors into MappingError', () => {
    const t = compileTransforms([{ field: 'x', expression: '{{ name.lower() }}' }], ctx);
    expect(() => t.apply({ id: 1, name: null })).toThrow(MappingError);
  });

  it('rejects an unknown filter (an adapter-specific one) at compile time, naming it', () => {
    const bad = [{ field: 'device', expression: "{{ dn.split('/')[2] | aci_device_name }}" }];
    expect(() => compileTransforms(bad, ctx)).toThrow(ConfigError);
    expect(() => compileTransforms(bad, ctx)).toThrow(/aci_device_name/);
    try {
      compileTransforms(bad, ctx);
    } catch (e) {
      expect((e as ConfigError).location.path).toBe('schema_mapping[3].transforms[0].expression');
    }
    const ok = compileTransforms(bad, ctx, { filters: { aci_device_name: (v) => `leaf-${String(v)}` } });
    expect(ok.apply({ id: 1, dn: 'topology/pod-1/node-101' }).device).toBe('leaf-node-101');
  });

  it('rejects syntax errors at compile time', () => {
    expect(() => compileTransforms([{ field: 'x', expression: '{{ name. }}' }], ctx)).toThrow(ConfigError);
    expect(() => compileTransforms([{ field: 'x', expression: '{% if x %}a' }], ctx)).toThrow(ConfigError);
    expect(() => compileTransforms([{ field: 'x', expression: '{% macro m() %}{% endmacro %}' }], ctx)).toThrow(/unsupported tag/);
  });

  it('lists source inputs, leaving out what earlier transforms produce and called names', () => {
    expect(
      transformInputs([
        { field: 'name', expression: "{{ name.lower() if name else '' }}" },
        { field: 'vm', expression: "{{ lookup('m', {'device': labels.device}, 'labels.nodename') or name }}" },
        { field: 'x', expression: '{% for t in tags %}{{ t.name }}{% endfor %}{{ vm }}' },
        { field: 'y', expression: '{{ l1PhysIf.attributes.dn.split("/")[2] }}' },
      ]),
    ).toEqual(['name', 'labels.device', 'tags', 'l1PhysIf.attributes.dn']);
  });
});
