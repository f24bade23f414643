"""The route table's types: flags and roles cannot be written for each
other.  What the compiler cannot catch, api_routes_check does
(tests/unit/test_routes.c)."""
import os
import subprocess
import tempfile

from conftest import TOP

HEAD = """#include <stddef.h>
#include "domain/role.h"
#include "http/api.h"
static void x(struct api_call *c, struct db *d) { (void)c; (void)d; }
const struct api_route t[] = {
"""
TAIL = """	{ .pattern = NULL }
};
"""


def compiles(route):
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write(HEAD + "\t" + route + ",\n" + TAIL)
    try:
        p = subprocess.run(
            [os.environ.get("CC", "cc"), "-std=c99", "-Wall", "-Werror",
             "-I", os.path.join(TOP, "src"), "-fsyntax-only", f.name],
            capture_output=True, text=True)
        return p.returncode == 0
    finally:
        os.unlink(f.name)


def test_a_route_as_written_compiles():
    assert compiles('{ .method = API_POST, .pattern = "/a", '
                    '.flags = { .auth = 1, .json = 1, .audit = 1 }, '
                    '.roles = API_ROLES(ROLE_OPERATOR), .action = "a.b", '
                    '.exec = x }')


def test_flags_and_roles_do_not_mix():
    for route in (
            # roles where flags belong, and the reverse
            '{ .method = API_GET, .pattern = "/a", '
            '.flags = API_ROLES(ROLE_OPERATOR), .exec = x }',
            '{ .method = API_GET, .pattern = "/a", '
            '.roles = { .auth = 1 }, .exec = x }',
            # bare masks, as the old int fields took them
            '{ .method = API_GET, .pattern = "/a", '
            '.flags = ROLE_OPERATOR, .exec = x }',
            '{ .method = API_GET, .pattern = "/a", .flags = { .auth = 1 }, '
            '.roles = ROLE_OPERATOR, .exec = x }',
            # a mask of several roles squeezed into the first flag
            '{ .method = API_GET, .pattern = "/a", '
            '.flags = { ROLE_REGULATOR }, .exec = x }'):
        assert not compiles(route), route
