"""The cluster of scripts/cluster.sh for the tests of this folder: three
Galera nodes, two app hosts in their own network namespaces, nginx with
TLS in front.  Built once for the session and always taken down, namespaces
and all, whatever the tests did.
"""
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest
import requests

TOP = os.environ.get("VCP_TOP", os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..")))
SCRIPT = os.path.join(TOP, "scripts", "cluster.sh")
STRONG = "Str0ng-Passw0rd!"


def unique(prefix="u"):
    return prefix + uuid.uuid4().hex[:10]


class Cluster:
    def __init__(self, var, env):
        self.var = var
        self.env = env
        self.base = "https://127.0.0.1:%s" % env["HTTPS_PORT"]
        self.plain = "http://127.0.0.1:%s" % env["HTTP_PORT"]
        self.ca = os.path.join(var, "tls", "ca.crt")
        self.host = {"a": "http://%s:%s" % (env["HOST_A"], env["KORE_PORT"]),
                     "b": "http://%s:%s" % (env["HOST_B"], env["KORE_PORT"])}
        self.node_of = {"a": int(env["NODE_A"]), "b": int(env["NODE_B"])}

    def run(self, *args):
        return subprocess.run(["sh", SCRIPT, args[0], self.var, *args[1:]],
                              check=True, capture_output=True, text=True,
                              timeout=300)

    def sql(self, node, statement):
        """Runs SQL as the superuser on one node, returns rows."""
        out = subprocess.run(
            ["mariadb", "--no-defaults", "-S",
             os.path.join(self.var, "node%d" % node, "run", "mysqld.sock"),
             "-uroot", "-N", "-B", "vcp", "-e", statement],
            check=True, capture_output=True, text=True, timeout=120)
        return [line.split("\t") for line in out.stdout.splitlines()]

    def vcpctl(self, *args, stdin=None):
        env = dict(os.environ,
                   VCP_CONFIG=os.path.join(self.var, "hosta", "vcp.conf"))
        return subprocess.run(
            [os.environ.get("VCP_CLUSTER_VCPCTL",
                            os.path.join(TOP, "build", "vcpctl")), *args],
            input=stdin, capture_output=True, text=True, env=env)

    def receiver(self, rcpt):
        port = self.env["MPS_PORT" if rcpt == "mps" else "CAC_PORT"]
        return "http://%s:%s" % (self.env["PROXY_A"], port)


class Client:
    """A browser through nginx over TLS: keeps the cookie, sends the CSRF
    token, trusts only the cluster's own CA."""

    def __init__(self, cluster, base=None):
        self.s = requests.Session()
        self.ca = cluster.ca
        self.base = base or cluster.base
        self.csrf = None

    def req(self, method, path, **kw):
        headers = kw.pop("headers", {})
        if self.csrf and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        # Per request: a session's own verify loses to the environment's
        # REQUESTS_CA_BUNDLE.
        return self.s.request(method, self.base + path, headers=headers,
                              timeout=60, verify=self.ca, **kw)

    def login(self, login):
        r = self.req("POST", "/api/v1/session",
                     json={"login": login, "password": STRONG})
        assert r.status_code == 201, r.text
        self.csrf = r.json()["csrf_token"]
        return r


@pytest.fixture(scope="session")
def cluster():
    if os.geteuid() != 0:
        pytest.skip("the cluster needs root (network namespaces)")
    port = int(os.environ.get("VCP_CLUSTER_PORT", "0") or 0) or \
        int(os.environ.get("VCP_TEST_PORT", "18413")) + 30
    # scripts/test-cluster.sh names the directory, so that it can stop
    # the cluster even when this process is killed.
    var = os.environ.get("VCP_CLUSTER_DIR") or \
        tempfile.mkdtemp(prefix="vcp-cluster.")
    env = {}
    try:
        p = subprocess.run(["sh", SCRIPT, "start", var, str(port)],
                           capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stdout + p.stderr
        for line in open(os.path.join(var, "cluster.env")):
            k, _, v = line.strip().partition("=")
            env[k] = v
        yield Cluster(var, env)
    finally:
        # VCP_KEEP=1 keeps the files, VCP_KEEP=running the cluster too
        # (scripts/cluster.sh stop DIR ends it).
        keep = os.environ.get("VCP_KEEP", "")
        if keep != "running":
            subprocess.run(["sh", SCRIPT, "stop", var], capture_output=True,
                           timeout=300)
        if keep:
            print("kept", var)
        else:
            shutil.rmtree(var, ignore_errors=True)
