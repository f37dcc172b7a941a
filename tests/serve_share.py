"""A small share with one person's CPR number planted in three places (a Word document, a mail
attachment and a zip member), scanned twice by `datakort scan` (a file added in between), for
the workspace tests. Built once per test session and shared by tests/test_serve*.py.
"""
from __future__ import annotations

import random
import zipfile
from datetime import date
from email.message import EmailMessage

import pytest
from docx import Document

from datakort.main import main
from tests.conftest import DEMO_DATE, SAMPLE_DIR

_BUILT: dict = {}
DOCX, MAIL, ZIP = "HR/Personale/ansættelse.docx", "Post/indbakke/2026-10-02 ansøgning.eml", "Arkiv/gamle lister.zip"
ADDED = "Diverse/kontaktliste.txt"


def _plant(share, cpr: str, other_cpr: str) -> None:
    (share / "HR" / "Personale").mkdir(parents=True)
    doc = Document()
    doc.add_heading("Ansættelseskontrakt", 1)
    doc.add_paragraph(f"Medarbejderens CPR-nr.: {cpr}")
    doc.save(share / DOCX)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "hr@interket.dk", "job@interket.dk", "Ansøgning"
    message["Date"] = "Fri, 02 Oct 2026 09:30:00 +0200"
    message.set_content("Hermed min ansøgning, se vedhæftede.")
    message.add_attachment(f"Ansøger\nCPR-nummer: {cpr}\n".encode("utf-8"), maintype="text", subtype="plain",
                           filename="oplysninger.txt")
    (share / "Post" / "indbakke").mkdir(parents=True)
    (share / MAIL).write_bytes(bytes(message))
    (share / "Arkiv").mkdir()
    with zipfile.ZipFile(share / ZIP, "w") as z:
        z.writestr("2019/medarbejdere.txt", f"Liste over medarbejdere\nCPR-nr. {cpr}\nCPR-nr. {other_cpr}\n")


@pytest.fixture(scope="module")
def served_share(tmp_path_factory, sample_generator):
    """{'db', 'share', 'cpr', 'other_cpr', 'work'}: the share scanned twice with the sample register."""
    if _BUILT:
        return _BUILT
    work = tmp_path_factory.mktemp("served")
    share = work / "share"
    rng = random.Random(18)
    cpr = sample_generator.cpr_number(rng, date(1984, 6, 23))
    other = sample_generator.cpr_number(rng, date(1969, 2, 11))
    _plant(share, cpr, other)
    db = work / "store.sqlite"
    common = ["--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(db), "--as-of", DEMO_DATE.isoformat(),
              "-q", "--no-ocr"]
    assert main(["scan", str(share), *common, "--out", str(work / "report1")]) == 0
    (share / "Diverse").mkdir()
    (share / ADDED).write_text(f"Kontakt: Jens Hansen, CPR-nr.: {other}\n", encoding="utf-8")
    assert main(["scan", str(share), *common, "--out", str(work / "report2")]) in (0, 1)
    _BUILT.update(db=db, share=share, cpr=cpr, other_cpr=other, work=work)
    return _BUILT
