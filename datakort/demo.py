"""`datakort demo`: generate Interket's sample share and scan it with the sample register."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from datakort.common import fail
from datakort.scan import ScanRequest, scan
from samples.interket import make_share

SAMPLE_DIR = Path(make_share.__file__).resolve().parent
DEMO_DATE = date(2026, 11, 1)  # the sample share's "today": its dates are set relative to this


def demo(workdir: Path) -> int:
    """Generate Interket's sample share into `workdir` and scan it with the sample register."""
    share = workdir / "share"
    if share.exists():
        if not (share / make_share.MARKER).exists():
            return fail(f"{share} exists and was not made by the demo; choose another --workdir")
        shutil.rmtree(share)
    workdir.mkdir(parents=True, exist_ok=True)
    make_share.make_share(share, today=DEMO_DATE)
    print(f"Sample share written to {share}")
    return scan(ScanRequest(str(share), SAMPLE_DIR / "register.yaml", workdir / "datakort.sqlite", workdir / "report",
                            DEMO_DATE))


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help="generate the sample Interket share and scan it")
    p.add_argument("--workdir", type=Path, default=Path("demo-output"), help="where the share and report go")
    p.set_defaults(run=lambda args: demo(args.workdir))
