"""scripts/db.sh against a throwaway directory of its own."""
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import TOP


def db(cmd, d):
    return subprocess.run(["sh", os.path.join(TOP, "scripts/db.sh"), cmd, d,
                           "fast"], capture_output=True, text=True,
                          timeout=300)


def datadir_of(d):
    """The datadir of the server on d's socket, or None if none answers."""
    p = subprocess.run(["mariadb", "--no-defaults", "-S",
                        d + "/run/mysqld.sock", "-uroot", "-N", "-B", "-e",
                        "SELECT @@datadir"], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def write_pid(d, pid):
    os.makedirs(d + "/run", exist_ok=True)
    with open(d + "/run/mysqld.pid", "w") as f:
        f.write("%d\n" % pid)


@pytest.fixture(scope="module")
def datadir():
    d = tempfile.mkdtemp(prefix="vcp-dbsh.")
    yield d
    db("stop", d)
    shutil.rmtree(d, ignore_errors=True)


def test_start_and_stop_leave_another_process_named_by_the_pid_file(datadir):
    # After a crash the pid in mysqld.pid may be anybody's.
    sleeper = subprocess.Popen(["sleep", "600"])
    try:
        write_pid(datadir, sleeper.pid)
        r = db("start", datadir)
        assert r.returncode == 0, r.stdout + r.stderr
        assert datadir_of(datadir) == datadir + "/mysql/"
        assert sleeper.poll() is None
        with open(datadir + "/run/mysqld.pid") as f:
            server = int(f.read())
        assert server != sleeper.pid

        r = db("stop", datadir)
        assert r.returncode == 0, r.stdout + r.stderr
        assert datadir_of(datadir) is None
        assert state(server) in (None, "Z")

        # stop, too, only stops this directory's server.
        write_pid(datadir, sleeper.pid)
        r = db("stop", datadir)
        assert r.returncode == 0, r.stdout + r.stderr
        assert sleeper.poll() is None
        assert not os.path.exists(datadir + "/run/mysqld.pid")
    finally:
        sleeper.kill()
        sleeper.wait()


def test_start_treats_a_zombie_as_dead(datadir):
    # Shortly after kill -9 the pid names a zombie not yet reaped.
    zombie = subprocess.Popen(["true"])
    try:
        while state(zombie.pid) != "Z":
            time.sleep(0.01)
        write_pid(datadir, zombie.pid)
        r = db("start", datadir)
        assert r.returncode == 0, r.stdout + r.stderr
        assert datadir_of(datadir) == datadir + "/mysql/"
        # Started twice, the running server is kept.
        with open(datadir + "/run/mysqld.pid") as f:
            server = int(f.read())
        r = db("start", datadir)
        assert r.returncode == 0, r.stdout + r.stderr
        with open(datadir + "/run/mysqld.pid") as f:
            assert int(f.read()) == server
    finally:
        zombie.wait()
        db("stop", datadir)
    assert datadir_of(datadir) is None
