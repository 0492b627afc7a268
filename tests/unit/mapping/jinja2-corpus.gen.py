# Regenerates jinja2-corpus.json: what real Jinja2 (NativeEnvironment + StrictUndefined, the
# environment infrahub-sync renders transforms with) returns for each case. Run by hand:
#   python3 tests/unit/mapping/jinja2-corpus.gen.py   (needs `pip install jinja2`)
# The TypeScript tests read the JSON and never need Python.
import json, pathlib
import jinja2
from jinja2 import StrictUndefined
from jinja2.nativetypes import NativeEnvironment

HERE = pathlib.Path(__file__).parent
ACI = {"101": "leaf-101", "102": "leaf-102"}


def env():
    e = NativeEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    e.filters["aci_device_name"] = lambda node_id: ACI.get(str(node_id), node_id)
    return e


def case(expr, ctx, lookup=None, note=""):
    return {"expr": expr, "ctx": ctx, "lookup": lookup, "note": note}


PHYS = {"attributes": {"dn": "topology/pod-1/node-101/sys/phys-[eth1/1]", "adminSt": "up", "id": "eth1/1"}}
PHYS_DOWN = {"attributes": {"dn": "topology/pod-1/node-205/sys/phys-[eth1/2]", "adminSt": "down", "id": "eth1/2"}}
NODE = {"labels": {"device": "eth0", "mountpoint": "/"}}

CASES = [
    # aci_to_infrahub
    case("CUST-{{ fvTenant.attributes.name.upper() }}", {"fvTenant": {"attributes": {"name": "acme", "descr": ""}}}),
    case("{{ fvTenant.attributes.descr or fvTenant.attributes.name }}", {"fvTenant": {"attributes": {"name": "acme", "descr": ""}}}),
    case("{{ fvTenant.attributes.descr or fvTenant.attributes.name }}", {"fvTenant": {"attributes": {"name": "acme", "descr": "Acme Corp"}}}),
    case("MUC-{{ fabricTopology.attributes.fabricId }}", {"fabricTopology": {"attributes": {"fabricId": "1"}}}),
    case("ACI Fabric {{ fabricTopology.attributes.fabricId }} in Munich", {"fabricTopology": {"attributes": {"fabricId": "1"}}}),
    case("{{ l1PhysIf.attributes.dn.split('/')[2].replace('node-', '') | aci_device_name }}", {"l1PhysIf": PHYS}),
    case("{{ l1PhysIf.attributes.dn.split('/')[2].replace('node-', '') | aci_device_name }}", {"l1PhysIf": PHYS_DOWN}, note="unknown node id: the filter returns it, then it reads as an int"),
    case("{{ 'active' if l1PhysIf.attributes.adminSt == 'up' else 'free' }}", {"l1PhysIf": PHYS}),
    case("{{ 'active' if l1PhysIf.attributes.adminSt == 'up' else 'free' }}", {"l1PhysIf": PHYS_DOWN}),
    # ipfabric
    case("{{ ip }}/{{ net.split('/')[1] }}", {"ip": "10.1.1.1", "net": "10.1.1.0/24"}),
    # nautobot-v2
    case("{{ 'default' if name == 'NULL' else name }}", {"name": "NULL"}),
    case("{{ 'default' if name == 'NULL' else name }}", {"name": "Global"}),
    case("{{ 'default' if name == 'NULL' else name }}", {"name": "65000"}, note="a numeric string comes back as an int"),
    case("{{ 'Default' if display == 'NULL' else display }}", {"display": "NULL"}),
    case("{{ cid.upper() }}", {"cid": "ntt-cid-001"}),
    case("{{ cid.upper() }}", {"cid": "1e5"}, note="reads as a float literal"),
    # netbox
    case("{{ u_height|float|round(0, 'ceil') }}", {"u_height": 1.5}),
    case("{{ u_height|float|round(0, 'ceil') }}", {"u_height": 2}),
    case("{{ u_height|float|round(0, 'ceil') }}", {"u_height": "0.5"}),
    case("{{ u_height|float|round(0, 'ceil') }}", {"u_height": None}, note="float(None) falls back to 0.0"),
    case("{{ name.lower() if name else '' }}", {"name": "DMI01-Switch-01"}),
    case("{{ name.lower() if name else '' }}", {"name": None}),
    case("{{ name.lower() if name else '' }}", {"name": "TRUE"}),
    case("{{ serial.lower() if serial else '' }}}", {"serial": "ABC123"}, note="upstream typo: the extra } is text"),
    case("{{ serial.lower() if serial else '' }}}", {"serial": ""}),
    # observium
    case("{{ hostname | upper | replace('.', '-') }}", {"hostname": "pe-101.example.net"}),
    case("{{ serial.upper() if serial else '' }}", {"serial": "x9"}),
    case("{{ hardware if hardware else 'unknown' }}", {"hardware": None}),
    case("{{ hardware if hardware else 'unknown' }}", {"hardware": "MX480"}),
    # peering-manager (commented out upstream)
    case("{{ name.lower() }} ", {"name": "Cloudflare"}),
    case("{{ name.upper() }}[{{ status.value.lower() }}]", {"name": "as13335", "status": {"value": "ENABLED"}}),
    # prometheus (lookup is the adapter's callable; here a table by metric name)
    case("{{ lookup('node_memory_MemTotal_bytes', {}, 'value') or 0 }}", NODE, {"node_memory_MemTotal_bytes": 8242311168}),
    case("{{ lookup('node_memory_MemTotal_bytes', {}, 'value') or 0 }}", NODE, {}),
    case("{{ 1 if ((lookup('node_netstat_Ip_Forwarding', {}, 'value') or 0) | float) == 1 else 0 }}", NODE, {"node_netstat_Ip_Forwarding": "1"}),
    case("{{ 1 if ((lookup('node_netstat_Ip_Forwarding', {}, 'value') or 0) | float) == 1 else 0 }}", NODE, {}),
    case("{{ lookup('node_nf_conntrack_entries_limit', {}, 'value') or 0 }}", NODE, {"node_nf_conntrack_entries_limit": 262144.0}),
    case("{{ 'active' if ((lookup('node_time_seconds', {}, 'value') | float ) > 0) else 'unknown' }}", NODE, {"node_time_seconds": 1.7e9}),
    case("{{ 'active' if ((lookup('node_time_seconds', {}, 'value') | float ) > 0) else 'unknown' }}", NODE, {}),
    case("{{ lookup('node_uname_info', {}, 'labels.nodename') or 'unknown' }}", NODE, {"node_uname_info": "vm-01"}),
    case("{{ lookup('node_network_info', {'device': labels.device}, 'labels.address') or '' }}", NODE, {"node_network_info": "AA:BB:CC:00:11:22"}),
    case("{{ (mac_raw | lower) if mac_raw else '' }}", {"mac_raw": "AA:BB:CC:00:11:22"}),
    case("{{ '' if mac_norm == '00:00:00:00:00:00' else mac_norm }}", {"mac_norm": "00:00:00:00:00:00"}),
    case("{{ '' if mac_norm == '00:00:00:00:00:00' else mac_norm }}", {"mac_norm": "aa:bb:cc:00:11:22"}),
    case("{{ lookup('node_network_speed_bytes', {'device': labels.device}, 'value') or 0 }}", NODE, {"node_network_speed_bytes": 125000000}),
    case("{{ 0 if (speed_raw | float) < 0 else (speed_raw | float) }}", {"speed_raw": -1}),
    case("{{ 0 if (speed_raw | float) < 0 else (speed_raw | float) }}", {"speed_raw": "125000000"}),
    case("{{ 'up' if ((lookup('node_network_up', {'device': labels.device}, 'value') or 0) | float) > 0 else 'down' }}", NODE, {"node_network_up": 1}),
    case("{{ 1 if ((lookup('node_network_carrier', {'device': labels.device}, 'value') or 0) | float) > 0 else 0 }}", NODE, {"node_network_carrier": "0"}),
    case("{{ (lookup('node_network_info', {'device': labels.device}, 'labels.duplex') or '') | lower }}", NODE, {"node_network_info": "FULL"}),
    case("{{ duplex_raw if duplex_raw in ['full','half'] else 'unknown' }}", {"duplex_raw": "full"}),
    case("{{ duplex_raw if duplex_raw in ['full','half'] else 'unknown' }}", {"duplex_raw": ""}),
    case("{{ lookup('node_filesystem_readonly', {'device': labels.device, 'mountpoint': labels.mountpoint}, 'value') or 0 }}", NODE, {"node_filesystem_readonly": 0}),
    case("{{ 1 if (ro_val | float) > 0 else 0 }}", {"ro_val": "1"}),
    case("{{ lookup('node_filesystem_device_error', {'device': labels.device, 'mountpoint': labels.mountpoint}, 'value') or 0 }}", NODE, {"node_filesystem_device_error": 1}),
    case("{{ 1 if (deverr_val | float) > 0 else 0 }}", {"deverr_val": 0}),
    case("{{ lookup('node_disk_info', {'device': labels.device}, 'labels.rotational') or '0' }}", NODE, {}),
    case("{{ 1 if rotational_lbl == '1' else 0 }}", {"rotational_lbl": "1"}),
    # slurpit
    case("{{Description | string}}", {"Description": "Uplink to core"}),
    case("{{Description | string}}", {"Description": 42}),
    case("{{Description | string}}", {"Description": None}, note="'None' reads back as None: upstream then leaves the field alone"),
    case("{{hostname}}__{{Interface}}", {"hostname": "sw1", "Interface": "Gi0/1"}),
    case("{% if prefix %}{{ vrf if vrf else 'None' }}__{{ prefix }}{% endif %}", {"prefix": "10.0.0.0/24", "vrf": None}),
    case("{% if prefix %}{{ vrf if vrf else 'None' }}__{{ prefix }}{% endif %}", {"prefix": "10.0.0.0/24", "vrf": "blue"}),
    case("{% if prefix %}{{ vrf if vrf else 'None' }}__{{ prefix }}{% endif %}", {"prefix": "", "vrf": "blue"}, note="no output: None"),
    # native types and other behaviour the engine must share with Jinja2
    case("{{ count }}", {"count": 3}),
    case("{{ flag }}", {"flag": "True"}),
    case("{{ flag }}", {"flag": "true"}),
    case("{{ ids }}", {"ids": "[1, 2]"}),
    case("{{ pair }}", {"pair": "1,2"}),
    case("{{ code }}", {"code": "007"}),
    case("{{ code }}", {"code": " 7"}),
    case("{{ n }} ", {"n": 7}),
    case("{{ n / 2 }}", {"n": 7}),
    case("{{ n // 2 }}", {"n": 7}),
    case("{{ n % 3 }}", {"n": -7}),
    case("{{ 'x' ~ n ~ 'y' }}", {"n": 2.0}),
    case("v{{ n|float }}", {"n": 2}),
    case("v{{ n|float }}", {"n": 1e16}),
    case("{{ n|int }}", {"n": "12.7"}),
    case("{{ n|int }}", {"n": "abc"}),
    case("{{ n|round }}", {"n": 2.5}),
    case("{{ n|round(1) }}", {"n": 2.25}),
    case("{{ n|round(0, 'floor') }}", {"n": -1.5}),
    case("{{ s.split() }}", {"s": "  a  b c "}),
    case("{{ s.split(',', 1) }}", {"s": "a,b,c"}),
    case("{{ s.strip().title() }}", {"s": "  hello big-world "}),
    case("{{ s[1:3] }}x", {"s": "abcdef"}),
    case("{{ s[-1] }}", {"s": "abcdef"}),
    case("{{ items|join(', ') }}", {"items": ["a", 1, None]}),
    case("{{ items|length }}", {"items": ["a", 1, None]}),
    case("{{ items|first }}", {"items": ["a", 1, None]}),
    case("{{ d.get('k', 'dflt') }}", {"d": {"x": 1}}),
    case("{{ d['x'] + 1 }}", {"d": {"x": 1}}),
    case("{{ missing|default('fallback') }}", {}),
    case("{{ missing is defined }}", {}),
    case("{{ a or b }}", {"a": 0, "b": []}),
    case("{{ a and b }}", {"a": 1, "b": "yes"}),
    case("{{ not a }}", {"a": ""}),
    case("{{ 1 < n <= 3 }}", {"n": 3}),
    case("{{ 'b' in s }}", {"s": "abc"}),
    case("{{ 1 in l }}", {"l": [1.0, 2]}),
    case("{{ True == 1 }}", {}),
    case("{{ s ~ '!' }}", {"s": None}),
    case("{{ [a, b] }}", {"a": 1, "b": "x"}),
    case("{{ {'k': a} }}", {"a": 1}),
    case("{% for x in l %}{{ x }}{% if not loop.last %}-{% endif %}{% endfor %}", {"l": [1, 2, 3]}),
    case("{% set y = x * 2 %}{{ y }}", {"x": 21}),
    case("  {% if x %}\n{{ x }}\n  {% endif %}\n", {"x": "a"}, note="trim_blocks and lstrip_blocks"),
    case("{{- x -}}  ", {"x": "a"}),
    case("plain text", {}),
    case("'quoted'", {}),
    case("{{ s.replace('a', 'b', 1) }}", {"s": "aaa"}),
    case("{{ s.startswith(('x', 'a')) }}", {"s": "abc"}),
    case("{{ s.zfill(5) }}", {"s": "-42"}),
    case("{{ '%s' }}", {}),
    case("{{ n ** 2 }}", {"n": 3}),
    case("{{ n ** -1 }}", {"n": 2}),
    case("{{ -n }}", {"n": 2.5}),
    case("{{ x }}", {"x": 0.1}),
    case("{{ x }}{{ y }}", {"x": 1e-7, "y": ""}),
    case("{{ x }}", {"x": [1, "a", None, True, {"k": "v"}]}),
    case("{{ x }}!", {"x": [1, "a", None, True, {"k": "v'"}]}),
    case("{{ x|string }}", {"x": True}),
    case("{{ x|list }}", {"x": "ab"}),
    case("{{ x|sort|join }}", {"x": ["b", "a", "C"]}),
    case("{{ x|unique|list }}", {"x": ["a", "A", "b"]}),
    case("{{ x|upper }}", {"x": None}),
    case("{{ x|trim }}", {"x": "  a \n"}),
    case("{{ x|abs }}", {"x": -3}),
    case("{{ x|sum }}", {"x": [1, 2.5]}),
    case("{{ x|max }}", {"x": [1, 7, 3]}),
    case("{{ x|reverse|join }}", {"x": "abc"}),
    case("{{ x.items()|list }}", {"x": {"a": 1}}),
    case("{{ x.0 }}", {"x": ["first"]}),
    case("{{ range(3)|list }}", {}),
    # errors: undefined names, attributes and Python type errors
    case("{{ name }}", {}),
    case("{{ name.lower() }}", {}),
    case("{{ a.b.c }}", {"a": {"b": {}}}),
    case("{{ 'x' if missing else 'y' }}", {}),
    case("x{{ missing }}", {}),
    case("{{ name.lower() }}", {"name": None}),
    case("{{ n + 's' }}", {"n": 1}),
    case("{{ n|round }}", {"n": "1.5"}),
]


def to_json(v):
    if isinstance(v, tuple):
        return [to_json(x) for x in v]
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    return v


def tag_floats(v):
    # JSON reads 2.0 back as 2 (an int to the engine): mark integral floats so the test can
    # hand the engine a float, as a Python adapter would.
    if isinstance(v, float) and v.is_integer():
        return {"__float__": v}
    if isinstance(v, list):
        return [tag_floats(x) for x in v]
    if isinstance(v, dict):
        return {k: tag_floats(x) for k, x in v.items()}
    return v


out = []
for c in CASES:
    ctx = dict(c["ctx"])
    if c["lookup"] is not None:
        table = c["lookup"]
        ctx["lookup"] = lambda metric, key, path, default=None, table=table: table.get(metric, default)
    entry = {"expr": c["expr"], "ctx": tag_floats(c["ctx"]), "lookup": tag_floats(c["lookup"])}
    if c["note"]:
        entry["note"] = c["note"]
    try:
        v = env().from_string(c["expr"]).render(**ctx)
        if isinstance(v, jinja2.Undefined):
            entry["error"] = "undefined value returned"
        else:
            entry["result"] = to_json(v)
            entry["type"] = type(v).__name__
    except Exception as e:  # noqa: BLE001
        entry["error"] = f"{type(e).__name__}: {e}"
    out.append(entry)

(HERE / "jinja2-corpus.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"{len(out)} cases, jinja2 {jinja2.__version__}")
