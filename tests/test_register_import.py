"""`datakort register import`: a Word register becomes a draft that loads and matches the hand-written one."""
from __future__ import annotations

import importlib.util
from collections import Counter

import docx
import pytest

from reports.register.load import load_register
from reports.register.load import WARNING, read_register
from reports.register.import_docx import draft_register, read_fields
from datakort.main import main
from tests.conftest import SAMPLE_DIR

DOCX = SAMPLE_DIR / "fortegnelse.docx"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("import") / "register.yaml"
    text, todos = draft_register(DOCX)
    out.write_text(text, encoding="utf-8")
    register, problems = read_register(out)
    return {"path": out, "text": text, "todos": todos, "register": register, "problems": problems}


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def test_draft_loads_with_warnings_only(imported):
    assert imported["register"] is not None
    assert imported["problems"] and all(p.level == WARNING for p in imported["problems"])


def test_draft_matches_the_hand_written_register(imported):
    draft, hand = imported["register"], load_register(SAMPLE_DIR / "register.yaml")
    assert draft.controller == hand.controller == "Interket A/S"
    assert draft.declared == hand.declared
    assert {_norm(s.name): (s.scannable, s.does_not_hold) for s in draft.systems} == \
        {_norm(s.name): (s.scannable, s.does_not_hold) for s in hand.systems}
    # the hand-written register adds one rule for the scanned order confirmations (marked there)
    word_rules = [r for r in hand.retention if r.id != "ordrebekraeftelser"]
    assert Counter(str(r.keep) for r in draft.retention) == Counter(str(r.keep) for r in word_rules)
    assert {r.rule for r in draft.retention} == {r.rule.replace("...", "…") for r in word_rules}
    assert draft.purposes == hand.purposes and draft.data_subjects == hand.data_subjects
    assert 'processing: "Kundeadministration"' in imported["text"]


def test_what_a_person_must_fill_in_is_marked(imported):
    lines = imported["text"].splitlines()
    for system in imported["register"].systems:
        if system.scannable:
            assert not system.paths
    todo_lines = [line for line, _ in imported["todos"]]
    assert all("# TODO" in lines[n - 1] for n in todo_lines)
    assert sum("paths: []  # TODO" in line for line in lines) == 3  # Økonomisystem, Outlook, Kundemapper
    assert len(todo_lines) == sum("# TODO" in line for line in lines)


def test_cli_writes_the_draft_and_lists_the_todos(tmp_path, capsys):
    out = tmp_path / "register.yaml"
    assert main(["register", "import", str(DOCX), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"Draft register written to {out}" in printed and f"{out}:4: the register's own version" in printed
    assert "paths" not in out.read_text().split("systems:")[0]
    assert main(["register", "import", str(DOCX), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["register", "check", str(out)]) == 0


def test_damaged_word_file_is_a_clear_message(tmp_path, capsys):
    bad = tmp_path / "fortegnelse.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert main(["register", "import", str(bad), "-o", str(tmp_path / "r.yaml")]) == 2
    assert "damaged or not a Word (.docx) file" in capsys.readouterr().err
    plain = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Kære kunde")
    document.save(plain)
    assert main(["register", "import", str(plain), "-o", str(tmp_path / "r.yaml")]) == 2
    assert "no table with register fields" in capsys.readouterr().err


def _word_register(path, rows, title=""):
    """A Word file with an optional title paragraph and one table of the given rows."""
    document = docx.Document()
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.save(path)
    return path


def test_english_two_column_template_with_check_boxes(tmp_path):
    """English labels, two columns, ☒/☐ boxes inside the categories cell (a common variant)."""
    rows = [
        ("Name and contact details of the controller", "Nordlys ApS\nHavnegade 1\n5000 Odense\nCVR no. 12345678"),
        ("Purposes of the processing", "Payroll\nRecruitment"),
        ("Categories of data subjects", "Employees\nApplicants"),
        ("Categories of personal data", "☒ Name, address, phone\n☒ CPR number\n☒ Health (sick leave)\n"
                                        "☐ Criminal offences\n☒ Bank account"),
        ("Transfers to third countries", "None"),
        ("Time limits for erasure", "Applications are deleted after 6 months. Payroll data is kept for 5 years."),
        ("Technical and organisational security measures", "Access control on the HR share."),
    ]
    path = _word_register(tmp_path / "ropa.docx", rows)
    fields = {f.name for f in read_fields(path)}
    assert fields == {"controller", "purposes", "data_subjects", "categories", "third_countries", "deletion",
                      "security"}  # no title paragraph, so no `processing`
    text, todos = draft_register(path)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    register, problems = read_register(tmp_path / "r.yaml")
    assert register is not None, problems
    assert register.controller == "Nordlys ApS" and register.purposes == ["Payroll", "Recruitment"]
    assert {c for c, d in register.declared.items() if d} == {"contact", "cpr", "special", "financial"}
    assert not register.declared["criminal"]
    assert sorted(str(r.keep) for r in register.retention) == ["5 years", "6 months"]
    assert 'cvr: "12345678"' in text


def test_committed_docx_is_what_the_generator_makes_from_the_seed(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fortegnelse", SAMPLE_DIR / "make_fortegnelse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = tmp_path / "fortegnelse.docx"
    module.make_docx(SAMPLE_DIR / "fortegnelse.txt", fresh)

    def cells(path):
        return [[c.text for c in row.cells] for t in docx.Document(str(path)).tables for row in t.rows]

    assert cells(fresh) == cells(DOCX)


def test_datatilsynet_template_wording_with_class_rows(tmp_path):
    """Datatilsynet's Danish template: one row per controller detail, X marks on the official classes."""
    rows = [
        ("Navn og kontaktoplysninger på den dataansvarlige", "Fjordkøkken A/S, Havnevej 2, 7100 Vejle", ""),
        ("Eventuelt navn og kontaktoplysninger på fælles dataansvarlige", "Ingen", ""),
        ("Eventuelt navn og kontaktoplysninger på databeskyttelsesrådgiveren (DPO)", "dpo@example.dk", ""),
        ("Formål med behandlingen", "Personaleadministration", ""),
        ("Kategorier af registrerede", "Medarbejdere", ""),
        ("Kategorier af personoplysninger", "Almindelige personoplysninger", "X"),
        ("", "Følsomme oplysninger (art. 9)", "X"),
        ("", "Oplysninger om strafbare forhold (art. 10)", ""),
        ("", "CPR-nummer", "X"),
        ("Kategorier af modtagere", "Lønbureau", ""),
        ("Overførsel til tredjelande", "Nej", ""),
        ("Tidsfrister for sletning", "Personalesager slettes 5 år efter fratræden.", ""),
        ("Tekniske og organisatoriske sikkerhedsforanstaltninger", "Adgangsstyring", ""),
    ]
    path = _word_register(tmp_path / "fortegnelse.docx", rows, "Fortegnelse over behandling af personoplysninger "
                                                               "om medarbejdere")
    text, todos = draft_register(path)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    register, problems = read_register(tmp_path / "r.yaml")
    assert register is not None, problems
    assert register.controller == "Fjordkøkken A/S" and register.purposes == ["Personaleadministration"]
    assert {c for c, d in register.declared.items() if d} == {"special", "cpr"}
    assert 'processing: "Medarbejdere"' in text and 'dpo: "dpo@example.dk"' in text
    assert 'recipients:\n  - "Lønbureau"' in text
    assert any("general categories it covers" in todo for _, todo in todos)
    assert [str(r.keep) for r in register.retention] == ["5 years"]


def test_a_register_without_controller_row_gets_a_todo_for_it(tmp_path):
    path = _word_register(tmp_path / "r.docx", [("Formål", "Markedsføring"), ("Sletning", "Slettes efter 2 år.")])
    text, todos = draft_register(path)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    register, problems = read_register(tmp_path / "r.yaml")
    assert register is not None, problems
    assert any("the controller's name" in todo for _, todo in todos)
    assert [str(r.keep) for r in register.retention] == ["2 years"]


def test_short_values_in_a_table_without_x_column_are_values(tmp_path):
    path = _word_register(tmp_path / "r.docx", [("Dataansvarlig", "Navn", "Bryg ApS"),
                                                ("Tredjelande", "Overførsel", "Nej"), ("Formål", "Beskriv", "Salg")])
    assert [(f.name, [line.text for line in f.lines]) for f in read_fields(path)] == [
        ("controller", ["Bryg ApS"]), ("third_countries", ["Nej"]), ("purposes", ["Salg"])]


# --- layouts DPOs have, each written from Datatilsynet's Art. 30 headings (not the seed's table) ---------

ART30_DA = {
    "controller": "Navn og kontaktoplysninger på den dataansvarlige",
    "purposes": "Formålene med behandlingen",
    "data_subjects": "Beskrivelse af kategorierne af registrerede",
    "categories": "Beskrivelse af kategorierne af personoplysninger",
    "recipients": "Kategorier af modtagere, som personoplysningerne er eller vil blive videregivet til, herunder "
                  "modtagere i tredjelande og internationale organisationer",
    "third_countries": "Overførsler af personoplysninger til et tredjeland eller en international organisation",
    "deletion": "De forudsete tidsfrister for sletning af de forskellige kategorier af oplysninger",
    "security": "En generel beskrivelse af de tekniske og organisatoriske sikkerhedsforanstaltninger",
    "systems": "Systemer",
}


def _load_draft(tmp_path, path):
    text, todos = draft_register(path)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    register, problems = read_register(tmp_path / "r.yaml")
    assert register is not None, problems
    return text, todos, register


def test_art30_danish_headings_two_columns_with_check_boxes_and_a_systems_list(tmp_path):
    """The issue's register: Art. 30's Danish headings, ☒/☐ boxes, a 'Systemer' list after the deletion text."""
    document = docx.Document()
    document.add_paragraph("Fortegnelse over behandlingsaktiviteter – Salg og kundeservice")
    table = document.add_table(rows=0, cols=2)

    def row(label, *lines, style=None):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = lines[0]
        for line in lines[1:]:
            cells[1].add_paragraph(line, style=style)

    row(ART30_DA["controller"], "Havbryg ApS", "Kajgade 3, 6700 Esbjerg", "CVR-nr.: 31234567")
    row(ART30_DA["purposes"], "Salg og levering af varer", "Kundeservice")
    row(ART30_DA["data_subjects"], "Kunder", "Kontaktpersoner hos leverandører")
    row(ART30_DA["categories"], "☒ Almindelige personoplysninger: navn, adresse, telefon, e-mail", "☒ CPR-nummer",
        "☐ Følsomme oplysninger (helbred)", "☐ Strafbare forhold")
    row(ART30_DA["recipients"], "Fragtfirma")
    row(ART30_DA["third_countries"], "Ingen")
    row(ART30_DA["deletion"], "Ordrer slettes efter 5 år (bogføringsloven). Reklamationer slettes efter 3 år.")
    row(ART30_DA["security"], "Adgangskode og to-faktor-login")
    row(ART30_DA["systems"], "E-conomic", "Outlook", "Fællesdrev S:", style="List Bullet")
    path = tmp_path / "fortegnelse.docx"
    document.save(path)
    text, todos, register = _load_draft(tmp_path, path)
    assert register.data_subjects == ["Kunder", "Kontaktpersoner hos leverandører"]
    assert register.purposes == ["Salg og levering af varer", "Kundeservice"]
    assert {c for c, d in register.declared.items() if d} == {"contact", "cpr"}
    assert [s.name for s in register.systems] == ["E-conomic", "Outlook", "Fællesdrev S:"]
    assert sorted(str(r.keep) for r in register.retention) == ["3 years", "5 years"]
    assert "E-conomic" not in text.split("deletion:")[1].split("\n")[0]  # the list is not in the deletion text
    assert 'processing: "Salg og kundeservice"' in text
    assert not [t for _, t in todos if "place it in the right field" in t]


def test_english_art30_headings_in_a_one_column_table_with_x_boxes(tmp_path):
    """One column: a bold heading row, then its text; X boxes; systems and an unknown section."""
    document = docx.Document()
    table = document.add_table(rows=0, cols=1)

    def heading(text):
        table.add_row().cells[0].paragraphs[0].add_run(text).bold = True

    def value(*lines):
        cell = table.add_row().cells[0]
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)

    heading("Name and contact details of the controller")
    value("Lysgaard Consulting ApS", "Vestergade 9, 8000 Aarhus")
    heading("Purposes of the processing")
    value("Recruitment")
    heading("Description of the categories of data subjects")
    value("Applicants")
    heading("Description of the categories of personal data")
    value("[x] Name, e-mail, phone", "[ ] CPR number", "[x] Health (sick leave)")
    heading("Envisaged time limits for erasure")
    value("Applications are deleted after 6 months.")
    heading("Systems")
    value("Recruitment portal", "HR share")
    heading("Appendix: contact list of the HR team")
    value("Ask Lise in HR")
    path = tmp_path / "ropa.docx"
    document.save(path)
    text, todos, register = _load_draft(tmp_path, path)
    assert register.controller == "Lysgaard Consulting ApS" and register.purposes == ["Recruitment"]
    assert register.data_subjects == ["Applicants"]
    assert {c for c, d in register.declared.items() if d} == {"contact", "special"}
    assert [s.name for s in register.systems] == ["Recruitment portal", "HR share"]
    assert [str(r.keep) for r in register.retention] == ["6 months"]
    unplaced = [t for _, t in todos if "place it in the right field" in t]
    assert len(unplaced) == 2 and "Ask Lise in HR" in text.split("no field could take")[1]


def test_headings_as_paragraphs_with_ja_nej_and_a_systems_table(tmp_path):
    """No register table at all: Word headings, paragraphs, 'Ja/Nej' answers, and the systems as a table."""
    document = docx.Document()
    document.add_heading("Fortegnelse for Nordby Tandklinik om patientbehandling", level=1)
    document.add_paragraph("Version: 2025-03")
    document.add_heading(ART30_DA["controller"], level=2)
    document.add_paragraph("Nordby Tandklinik I/S")
    document.add_paragraph("Torvet 1, 4000 Roskilde")
    document.add_heading(ART30_DA["purposes"], level=2)
    document.add_paragraph("Behandling af patienter")
    document.add_heading(ART30_DA["data_subjects"], level=2)
    document.add_paragraph("Patienter")
    document.add_heading(ART30_DA["categories"], level=2)
    for line in ("Navn, adresse og telefon: Ja", "CPR-nummer: Ja", "Helbredsoplysninger: Ja",
                 "Strafbare forhold: Nej"):
        document.add_paragraph(line)
    document.add_heading(ART30_DA["deletion"], level=2)
    document.add_paragraph("Journaler slettes efter 10 år.")
    document.add_heading(ART30_DA["systems"], level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("System", "Placering på drevet", "Indeholder")):
        cell.text = text
    for name, where, holds in (("Journalsystem", "", "Helbredsoplysninger; CPR-nummer"),
                               ("Scannede henvisninger", "Henvisninger/**", "Helbredsoplysninger")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = name, where, holds
    path = tmp_path / "fortegnelse.docx"
    document.save(path)
    text, todos, register = _load_draft(tmp_path, path)
    assert register.version == "2025-03" and register.controller == "Nordby Tandklinik I/S"
    assert register.purposes == ["Behandling af patienter"] and register.data_subjects == ["Patienter"]
    assert {c for c, d in register.declared.items() if d} == {"contact", "cpr", "special"}
    systems = {s.name: s for s in register.systems}
    assert set(systems) == {"Journalsystem", "Scannede henvisninger"}
    assert [p.text for p in systems["Scannede henvisninger"].paths] == ["Henvisninger/**"]
    assert systems["Journalsystem"].holds == ["cpr", "special"]
    assert [str(r.keep) for r in register.retention] == ["10 years"]
