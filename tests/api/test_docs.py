"""docs/api.md keeps up with the code: every route of the table is
described, every error code the portal or its nginx can answer is in the
error table, and every example filing number carries the right check
character."""
import os
import re

from conftest import TOP


def api_md():
    with open(os.path.join(TOP, "docs", "api.md"), encoding="utf-8") as f:
        return f.read()


def codes_in_sources():
    found = set()
    for d, _, files in os.walk(os.path.join(TOP, "src")):
        for n in files:
            if n.endswith(".c"):
                with open(os.path.join(d, n), encoding="utf-8") as f:
                    found |= set(re.findall(
                        r'api_error(?:_fields)?\(\s*call,\s*\d{3},\s*"([a-z_]+)"',
                        f.read()))
    with open(os.path.join(TOP, "nginx.conf"), encoding="utf-8") as f:
        conf = f.read()
    block = conf[conf.index("map $status $vcp_error_code"):]
    block = block[:block.index("}")]
    found |= set(re.findall(r"\s(?:\d{3}|default)\s+([a-z_]+);", block))
    return found


def mod11_2(digits):
    s = 0
    for c in digits:
        s = (s + int(c)) * 2 % 11
    r = (12 - s) % 11
    return "X" if r == 10 else str(r)


def test_every_error_code_is_documented():
    table = api_md()
    table = table[table.index("| status | codes |"):]
    table = table[:table.index("\n\n")]
    missing = sorted(c for c in codes_in_sources()
                     if "`%s`" % c not in table)
    assert not missing, missing


def test_example_filing_numbers_check():
    nums = re.findall(r"\b[A-Z]+-(\d{4})-(\d{6})-([0-9X])\b", api_md())
    assert nums
    for y, n, c in nums:
        assert mod11_2(y + n) == c, "%s-%s-%s" % (y, n, c)


def write_routes():
    """(METHOD, path) of every route that is not a GET, from src/routes.c,
    with parameters written as the docs write them."""
    with open(os.path.join(TOP, "src", "routes.c"), encoding="utf-8") as f:
        table = f.read()
    names = {"id": "{id}", "aid": "{aid}", "cid": "{cid}"}
    found = []
    for m, p in re.findall(
            r'\.method\s*=\s*API_([A-Z]+),\s*\.pattern\s*=\s*"([^"]+)"',
            table):
        if m != "GET":
            found.append((m, re.sub(r":([a-z]+)",
                                    lambda x: names[x.group(1)], p)))
    return found


def test_every_write_has_a_documented_status():
    doc = api_md()
    table = doc[doc.index("| status | writes |"):]
    table = table[:table.index("\n\n")]
    writes = write_routes()
    assert len(writes) > 15
    for m, p in writes:
        rows = [line for line in table.splitlines()
                if "`%s %s`" % (m, p) in line]
        assert len(rows) == 1, (m, p, rows)


def test_every_route_is_documented():
    with open(os.path.join(TOP, "src", "routes.c"), encoding="utf-8") as f:
        src = f.read()
    md = api_md()
    routes = re.findall(
        r'\.method = API_(\w+),\s*\.pattern = "([^"]+)"', src)
    assert len(routes) > 40
    missing = []
    for method, pattern in routes:
        if "/debug/" in pattern:
            continue
        path = re.escape(re.sub(r":\w+", "{x}", pattern))
        path = path.replace(r"\{x\}", r"\{[a-z_]+\}")
        if pattern == "/":
            path = "/"
        if not re.search(r"`%s %s(?:[?`\s\[])" % (method, path), md):
            missing.append("%s %s" % (method, pattern))
    assert not missing, "not in docs/api.md: %s" % missing
