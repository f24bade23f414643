"""The systemd units shipped for production (scripts/systemd/) are valid:
systemd-analyze verify finds no unknown key, no bad value, no missing
program.  The programs the units name are installed by the operator, so
the check points them at this build's."""
import os
import shutil
import subprocess

import pytest

from conftest import TOP

UNITS = os.path.join(TOP, "scripts", "systemd")


@pytest.mark.parametrize("unit", ["vcp-kore.service", "vcp-notifyd.service"])
def test_unit_verifies(unit, tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    text = open(os.path.join(UNITS, unit)).read()
    assert "ExecStart=" in text and "Restart=always" in text
    assert "VCP_CONFIG=" in text
    text = text.replace("/usr/local/lib/vcp/vcpnotifyd",
                        os.path.join(TOP, "build", "vcpnotifyd"))
    path = tmp_path / unit
    path.write_text(text)
    p = subprocess.run(["systemd-analyze", "verify", str(path)],
                       capture_output=True, text=True, cwd=tmp_path)
    # verify exits 0 on a warning: any output is a finding.
    assert p.returncode == 0 and p.stdout == "" and p.stderr == "", \
        p.stdout + p.stderr
