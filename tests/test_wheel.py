"""The demo works from an installed wheel, not only from a checkout: the sample register and
its generator ship as package data, and nothing reads files by the checkout's paths."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from pathlib import Path
import datakort.demo as demo
from datakort.main import main
target = Path(sys.argv[1])
assert demo.SAMPLE_DIR.is_relative_to(target), demo.SAMPLE_DIR
demo.make_share.make_share(target.parent / "share", today=demo.DEMO_DATE)
sys.exit(main(["register", "check", str(demo.SAMPLE_DIR / "register.yaml")]))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    [wheel] = out.glob("datakort-*.whl")
    target = out / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def test_the_sample_share_and_register_come_from_the_installed_wheel(installed):
    env = {**os.environ, "PYTHONPATH": str(installed)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(installed)], cwd=installed.parent, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OK" in done.stdout
    share = installed.parent / "share"
    assert any(share.rglob("*.docx")) and any(share.rglob("*.msg")) and any(share.rglob("*.jpg"))
