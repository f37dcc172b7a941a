"""`--dask`: extraction and detection on a Dask cluster (here a LocalCluster of two worker
processes), with the same findings in the same store as a scan on this machine."""
from __future__ import annotations

import pytest

from scanner.run.runner import ScanOptions, run_scan
from scanner.store import Store
from tests.scale_helpers import make_text_share, view

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  host="127.0.0.1", silence_logs=40) as c:
        yield c.scheduler_address


def test_dask_scan_equals_local_scan(cluster, detector, tmp_path):
    root = tmp_path / "share"
    make_text_share(root, 30)
    (root / "skadet.docx").write_bytes(b"not a zip")
    store = Store(tmp_path / "store.sqlite")
    local, _ = run_scan(root, store, detector, options=ScanOptions(full=True))
    on_dask, stats = run_scan(root, store, detector, options=ScanOptions(full=True, dask=cluster))
    assert view(store, on_dask) == view(store, local)
    assert stats.findings == 30 * 3 and stats.could_not_inspect == 1


def test_cli_scan_with_dask(cluster, tmp_path, capsys):
    from datakort.main import main
    from tests.conftest import SAMPLE_DIR

    root = tmp_path / "share"
    make_text_share(root, 4)
    code = main(["scan", str(root), "--register", str(SAMPLE_DIR / "register.yaml"), "--db",
                 str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "out"), "--dask", cluster])
    assert code == 0
    assert "4 items (4 analysed, 0 skipped, 0 could not inspect), 12 findings" in capsys.readouterr().out
