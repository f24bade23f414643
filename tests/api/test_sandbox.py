"""The worker sandbox, against the production build of the module.

The main suite runs the sanitizer build with seccomp tracing on, which logs
a forbidden system call instead of killing the thread that made it (and
ASan's allocator never calls mremap).  These tests start a second Kore with
the optimised module, glibc's own malloc and the real kill policy, and show
that what the hostile-client test found no longer happens: a large export
does not cost the worker a database thread, a stopped and continued worker
keeps all its threads, and a worker whose event loop was killed is replaced.
"""
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

from conftest import VAR, logged_in, sql
from test_filing import filed

PORT = int(os.environ.get("VCP_SANDBOX_PORT", "18893"))
MODULE = os.environ.get("VCP_MODULE", "build/vcp.so")
BASE = "http://127.0.0.1:%d" % PORT
FAKE = 900000000000


def _config(d, port=PORT, workers=1, settings="", max_connections=None):
    """Settings last: a setting given twice takes its last value."""
    with open(os.path.join(VAR, "vcp.conf")) as f:
        conf = f.read()
    conf += "\nworker_watchdog 3\ndebug_sleep yes\n" + settings
    path = os.path.join(d, "vcp.conf")
    with open(path, "w") as f:
        f.write(conf)
    with open(os.path.join(VAR, "kore.conf")) as f:
        kore = f.read()
    kore = re.sub(r"bind 127\.0\.0\.1 \d+", "bind 127.0.0.1 %d" % port, kore)
    kore = re.sub(r"^load .*$", "load " + os.path.abspath(MODULE), kore,
                  flags=re.M)
    kore = re.sub(r"^workers\s+\d+", "workers\t\t\t%d" % workers, kore,
                  flags=re.M)
    if max_connections is not None:
        kore = re.sub(r"^worker_max_connections\s+\d+",
                      "worker_max_connections\t%d" % max_connections, kore,
                      flags=re.M)
    kore = re.sub(r"^pidfile\s+.*$", "pidfile " + d + "/kore.pid", kore,
                  flags=re.M)
    kore = re.sub(r"accesslog\s+.*$", "accesslog " + d + "/access.log", kore,
                  flags=re.M)
    kore = kore.replace("seccomp_tracing yes", "")
    with open(os.path.join(d, "kore.conf"), "w") as f:
        f.write(kore)
    return path


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _threads(pid):
    return len(os.listdir("/proc/%d/task" % pid))


def _wait_up(timeout=30, base=BASE):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


class Kore:
    def __init__(self, d, port=PORT, workers=1, settings="",
                 max_connections=None):
        self.dir = d
        env = dict(os.environ, VCP_CONFIG=_config(d, port, workers, settings,
                                                  max_connections))
        env.pop("LD_PRELOAD", None)
        self.log = open(os.path.join(d, "kore.log"), "w")
        self.p = subprocess.Popen(
            ["kore", "-c", os.path.join(d, "kore.conf"), "-f", "-n", "-r"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        assert _wait_up(base="http://127.0.0.1:%d" % port), self.text()

    def worker(self):
        kids = _children(self.p.pid)
        assert len(kids) == 1, kids
        return kids[0]

    def text(self):
        self.log.flush()
        with open(os.path.join(self.dir, "kore.log")) as f:
            return f.read()

    def stop(self):
        # A worker that outlived its event loop ignores its parent's end.
        kids = _children(self.p.pid)
        self.p.terminate()
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        for k in kids:
            try:
                os.kill(k, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()


@pytest.fixture
def kore(tmp_path):
    k = Kore(str(tmp_path))
    yield k
    k.stop()


@pytest.fixture
def big_register():
    """Some 4,000 register records (~1 MiB of CSV, well past glibc's mmap
    threshold), cloned from a real one."""
    op = logged_in("operator")
    f = filed(op)
    sql("SET foreign_key_checks = 0;"
        " INSERT INTO registry (filing_id, filing_number, platform_name,"
        " homepage_host, sponsor_name, status, record, filed_on, updated_at)"
        " SELECT %d + s.seq, CONCAT('SBX-', s.seq),"
        " CONCAT(r.platform_name, s.seq), r.homepage_host, r.sponsor_name,"
        " r.status, r.record, r.filed_on, r.updated_at"
        " FROM registry r JOIN seq_1_to_4000 s"
        " WHERE r.filing_number = '%s';"
        " UPDATE registry_meta SET version = version + 1,"
        " epoch = epoch + 1"
        % (FAKE, f["filing_number"]))
    yield
    sql("DELETE FROM registry WHERE filing_id > %d;"
        " UPDATE registry_meta SET version = version + 1,"
        " epoch = epoch + 1" % FAKE)


def test_large_exports_keep_every_database_thread(big_register, kore):
    wpid = kore.worker()
    before = _threads(wpid)
    for path in ("/api/v1/registry.csv", "/api/v1/registry.xml",
                 "/api/v1/registry.csv"):
        r = requests.get(BASE + path, timeout=60)
        assert r.status_code == 200, path
        assert len(r.content) > 512 * 1024, (path, len(r.content))
        assert r.content.count(b"\n") > 4000, path
    assert kore.worker() == wpid
    assert _threads(wpid) == before, kore.text()
    assert "seccomp" not in kore.text()


def test_a_stopped_and_continued_worker_keeps_its_threads(kore):
    wpid = kore.worker()
    before = _threads(wpid)
    out = {}

    def slow():
        try:
            out["r"] = requests.get(BASE + "/api/v1/debug/sleep",
                                    timeout=15).status_code
        except requests.RequestException as e:
            out["r"] = repr(e)

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.7)
    # Every thread is in a sleep, a poll or a wait; each resumes through
    # restart_syscall after SIGCONT.
    os.kill(wpid, signal.SIGSTOP)
    time.sleep(0.3)
    os.kill(wpid, signal.SIGCONT)
    t.join(30)
    assert out["r"] == 200, kore.text()
    time.sleep(1.5)
    assert kore.worker() == wpid
    assert _threads(wpid) == before, kore.text()
    assert requests.get(BASE + "/healthz", timeout=5).status_code == 200


def test_a_worker_whose_event_loop_died_is_replaced(kore):
    wpid = kore.worker()
    with pytest.raises(requests.RequestException):
        requests.get(BASE + "/api/v1/debug/sandbox", timeout=2)
    end = time.time() + 20
    while time.time() < end and wpid in _children(kore.p.pid):
        time.sleep(0.2)
    assert wpid not in _children(kore.p.pid), kore.text()
    assert _wait_up(20), kore.text()
    assert kore.worker() != wpid
