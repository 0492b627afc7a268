# Regenerates regex-corpus.json: what Python's re.match returns for each (pattern, value), or
# the error Python raises for the pattern. The `regex` filter must agree on every case it
# accepts. Run by hand: python3 tests/unit/mapping/regex-corpus.gen.py (Python 3.11+; no packages).
# The TypeScript test reads the JSON and never needs Python.
import json, pathlib, re, sys

HERE = pathlib.Path(__file__).parent

VALUES = [
    "", "pe-101", "pe-1011", "PE-101", "xpe-101", "pe-101\n", "pe-101\n\n", "ams1-edge-01", "ams1-edge-01.example.net",
    "10.0.0.1", "2001:db8::1", "Eth1/1", "GigabitEthernet0/0/1", "a b\tc", "café", "CAFÉ", "٣٤", "x_y-z",
    "line1\nline2", "aaa", "\x01", "ABC", "a{2}", "a{,3}", "[x]", "😀-1", "\x0b", "\x1c", "\u00a0", "tab\there", "a.b", "a$b", "ss",
]

PATTERNS = [
    # from infrahub-sync's examples and the like
    r"^pe-[0-9]{3}$", r"pe", r"pe$", r"(?i)PE-", r"^[a-z]+\d+-edge-\d{2}", r"^\d+\.\d+\.\d+\.\d+$",
    r"^(?P<site>[a-z]+)\d", r"^(?:Eth|GigabitEthernet)\d", r".*example\.net$", r"^[^.]+$",
    # Unicode classes
    r"^\w+$", r"^\d+$", r"^\s", r"^\S+$", r"^\W", r"^\D", r"(?a)^\w+$", r"(?a)^\d+$", r"(?a)^\s",
    r"^[\w-]+$", r"^[\d.]+$", r"^[\s\S]*$", r"^[a\W]", r"^[^\d]", r"^[\D]+$",
    # anchors and flags
    r"\Aaaa\Z", r"aaa\Z", r"(?m)^line2$", r"^line1$", r"(?s)line1.line2", r"line1.line2", r"(?i)café", r"(?i:CAF)é",
    r"(?-i:a)", r"(?x) p e - \d+  # a comment", r"(?x)[ ]", r"\bb", r"a\b", r"\Bb",
    # quantifiers and braces
    r"a{2}", r"a{,3}$", r"a{2,}$", r"a{2", r"a\{,3\}", r"a*?$", r"a+?", r"(?:a|aa)*$", r"a{1,2}?a",
    # escapes
    r"\x61", r"\u0061", r"\U0001F600", r"\141", r"\0", r"\t", r"\v", r"a\.b", r"a\$b", r"\[x\]", r"[]x]", r"[^]x]",
    r"[[:alpha:]]", r"[a-]", r"[-a]", r"[\b]", r"[\1]", r"[\101-\103]+$", r"[\8]", r"(?#comment)pe", r"\😀", r"😀-\d",
    # backtracking bombs (Python is slow on longer values; these values are short)
    r"^(a+)+$", r"^(a|a)*$", r"^(a*)*b",
    # refused by Python
    r"[", r"(", r")", r"a**", r"\q", r"(?P<1>a)", r"a{3,2}", r"\x6", r"(?z)", r"a(?i)b", r"\400",
    # refused here: not linear-time (Python accepts them)
    r"(a)\1", r"(?P<s>a)(?P=s)", r"a(?=b)", r"a(?!b)", r"(?<=a)b", r"(?<!a)b", r"(a)?(?(1)b|c)", r"(?>a)", r"a*+", r"a{1001}",
    r"[^\W]", r"\N{LATIN SMALL LETTER A}",
]


def main():
    if sys.version_info < (3, 11):
        raise SystemExit("needs Python 3.11+")
    cases = []
    for p in PATTERNS:
        try:
            rx = re.compile(p)
        except re.error as e:
            cases.append({"pattern": p, "error": str(e)})
            continue
        cases.append({"pattern": p, "matches": {v: rx.match(v) is not None for v in VALUES}})
    out = {"python": sys.version.split()[0], "values": VALUES, "cases": cases}
    (HERE / "regex-corpus.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


main()
