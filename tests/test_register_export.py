"""`datakort register export`: the Art. 30 Word draft, with what the scan found, reads back as the same register."""
from __future__ import annotations

import docx

from datakort.main import main
from reports.register.load import load_register, read_register
from tests.conftest import SAMPLE_DIR
from tests.two_scans import two_scans  # noqa: F401  (fixture)

REGISTER = SAMPLE_DIR / "register.yaml"


def _facts(register) -> dict:
    """What a register says, without where it was read from."""
    return {
        "controller": register.controller, "version": register.version, "declared": register.declared,
        "purposes": register.purposes, "data_subjects": register.data_subjects,
        "systems": [(s.id, s.name, [p.text for p in s.paths], s.holds, s.does_not_hold, s.scannable, s.note)
                    for s in register.systems],
        "retention": [(r.id, r.rule, str(r.keep), r.clock, r.systems, [p.text for p in r.paths],
                       [p.text for p in r.folders]) for r in register.retention],
    }


def _cells(path) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in docx.Document(str(path)).tables for row in t.rows]


def test_export_then_import_gives_back_the_same_register(two_scans, tmp_path, capsys):
    out, back = tmp_path / "fortegnelse.docx", tmp_path / "back.yaml"
    assert main(["register", "export", str(REGISTER), "-o", str(out), "--db", str(two_scans["db"])]) == 0
    assert "and scan 2" in capsys.readouterr().out
    assert main(["register", "import", str(out), "-o", str(back)]) == 0
    printed = capsys.readouterr().out
    assert "A person must still do 0 thing(s)" in printed  # nothing guessed, nothing left over
    register, problems = read_register(back)
    assert register is not None, problems
    assert _facts(register) == _facts(load_register(REGISTER))


def test_export_shows_what_the_scan_found_on_art30_headings(two_scans, tmp_path):
    out = tmp_path / "fortegnelse.docx"
    assert main(["register", "export", str(REGISTER), "-o", str(out), "--db", str(two_scans["db"])]) == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Navn og kontaktoplysninger på den dataansvarlige", "Den dataansvarliges repræsentant",
                            "Formålene med behandlingen", "Beskrivelse af kategorierne af registrerede"]
    assert "Tidsfrister for sletning" in headings and "Systemer" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "☒ Kontaktoplysninger: Navn, stilling, telefonnr., e-mail" in text and "☐ CPR-nummer" in text
    rows = {row[0]: row for row in _cells(out)}
    customers = rows["kundemapper"]  # the systems table: declared, then what the scan found
    assert customers[3] == "Kontaktoplysninger; Personlige forhold; Biometri / foto til identifikation"
    assert "CPR-nummer (2)" in customers[7] and customers[8] == "CPR-nummer"  # found, not declared
    assert rows["okonomi"][8] == "Kontaktoplysninger" and rows["erp"][7] == ""  # not scannable: nothing claimed
    n_overdue = sum(g["items"] for g in two_scans["second"]["gaps"] if g["rule"] == "tidligere-kunder")
    assert rows["tidligere-kunder"][6] == f"{n_overdue} elementer" and n_overdue > 0
    assert rows["tidligere-kunder"][4] == "mappens nyeste aktivitet" and rows["tidligere-kunder"][3] == "5 år"
    assert "Diverse/Gamle lønlister" in rows  # the folder no system covers, with what it holds
    assert "CPR-nummer" in rows["Diverse/Gamle lønlister"][2]


def test_export_without_a_scan_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "fortegnelse.docx"
    assert main(["register", "export", str(REGISTER), "-o", str(out), "--db", str(tmp_path / "none.sqlite")]) == 0
    assert "no scan in the store yet" in capsys.readouterr().out
    assert "Fundet ved skanningen (datakort)" not in [p.text for p in docx.Document(str(out)).paragraphs]
    assert main(["register", "export", str(REGISTER), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
