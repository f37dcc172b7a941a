"""Two scans of the sample share with a change in between, as a DPO's quarter would have them.

Scan 1 of a copy of the share; the DPO accepts the finance export's contradiction with
`datakort review mark`; then the corrupt .docx is removed and a CPR number is added to a
customer note; scan 2 writes every report format. Used by the diff and report tests.
"""
from __future__ import annotations

import json
import random
import shutil
from datetime import date

import pytest

from datakort.main import main
from tests.conftest import DEMO_DATE, SAMPLE_DIR

NOTE = "Kunder/Aktive/Vestjysk Mejeri AS/Noter.txt"
ACCEPT_REASON = "Bogholderiet bruger debitorlisten; fortegnelsen rettes i næste version"


@pytest.fixture(scope="module")
def two_scans(sample_share, sample_generator, tmp_path_factory):
    root, written = sample_share
    work = tmp_path_factory.mktemp("two-scans")
    share = work / "share"
    shutil.copytree(root, share)
    db = work / "store.sqlite"
    common = ["--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(db), "--as-of", DEMO_DATE.isoformat()]

    assert main(["scan", str(share), *common, "--out", str(work / "report1"), "-q"]) == 0
    first = json.loads((work / "report1" / "gaps.json").read_text())
    [contradiction] = [g for g in first["gaps"] if g["kind"] == "contradiction"]
    assert main(["review", "mark", contradiction["id"], "--status", "accepted", "--reason", ACCEPT_REASON,
                 "--until", "2027-06-30", "--by", "DPO", "--db", str(db)]) == 0

    removed = sample_generator.PLANTED["corrupt"][0]
    (share / removed).unlink()
    new_cpr = sample_generator.cpr_number(random.Random(7), date(1975, 3, 14))
    note = share / NOTE
    note.write_text(note.read_text(encoding="utf-8") + f"\nNy kontakt, CPR-nr.: {new_cpr}\n", encoding="utf-8")

    code = main(["scan", str(share), *common, "--out", str(work / "report2"), "-q",
                 "--format", "html,json,csv,xlsx", "--fail-on", "new"])
    second = json.loads((work / "report2" / "gaps.json").read_text())
    return {"work": work, "db": db, "first": first, "second": second, "scan2_code": code,
            "contradiction": contradiction, "removed": removed, "new_cpr": new_cpr, "written": written}
