"""Text files of any size: read in overlapping pieces, big ones in byte ranges by all workers.

The piece and range sizes are made small here (monkeypatch), so a file of a few hundred KB
has the cuts a file of gigabytes has; the findings must be exactly those of reading the text
whole: none lost at a cut, none counted twice, every line and row number right.
"""
from __future__ import annotations

import random
from collections import Counter

import pytest

from detectors.images.analysis import ImageSettings
from scanner.extract import text as text_module
from scanner.extract.text import extract_csv, extract_text, text_parts
from scanner.model import ANALYSED, Segment
from scanner.run.runner import ScanOptions, run_scan
from scanner.sources.local import file_blob
from scanner.store import Store

PEOPLE = ["Mette Hansen", "Søren Ibsen", "Lene Kjærgaard", "Jens Jensen"]


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of 3 000 characters with 300 of context, ranges of 64 KB, lists only up to 1 KB."""
    monkeypatch.setattr(text_module, "PIECE_CHARS", 3000)
    monkeypatch.setattr(text_module, "CONTEXT_CHARS", 300)
    monkeypatch.setattr(text_module, "PART_BYTES", 64 * 1024)
    monkeypatch.setattr(text_module, "SMALL_BYTES", 1024)


def log_lines(n: int, seed: int = 7) -> list[str]:
    """Log lines, one in three with a phone number, an e-mail address or a CPR number at a varying place."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        filler = "x" * rng.randrange(0, 120)
        kind = i % 3
        if kind == 0:
            lines.append(f"{filler} {i} ring til tlf. 2{rng.randrange(1000000, 9999999)} i dag")
        elif kind == 1:
            lines.append(f"sendt til kunde{i}@firma.dk {filler}")
        else:
            lines.append(f"linje {i} uden noget særligt {filler}")
    return lines


def found(findings) -> Counter:
    return Counter((f.entity_type, f.masked, f.where) for f in findings)


def test_pieces_lose_nothing_at_a_cut_and_count_nothing_twice(tmp_path, detector, small_pieces):
    lines = log_lines(3000)
    text = "\n".join(lines) + "\n"
    path = tmp_path / "server.log"
    path.write_text(text, encoding="utf-8")
    content = extract_text(file_blob(str(path)))
    pieces = list(content.segments)
    assert len(pieces) > 50 and all(p.context[1] for p in pieces[:-1])  # many cuts, each with context
    whole = detector.findings(Segment(text, numbered_lines=True))
    assert found(detector.findings_in(pieces)) == found(whole)
    assert ("DK_PHONE", found(whole)) and any(f.where == "line 2998" for f in whole)


def test_one_long_line_is_cut_inside_the_line(tmp_path, detector, small_pieces):
    """A file of one line (minified JSON): the cuts fall inside the line; the findings are all
    on line 1, each once."""
    records = [f'{{"navn": "{PEOPLE[i % 4]}", "telefon": "2{i:07d}", "mail": "k{i}@firma.dk"}}' for i in range(1500)]
    text = "[" + ",".join(records) + "]"
    path = tmp_path / "eksport.json"
    path.write_text(text, encoding="utf-8")
    pieces = list(extract_text(file_blob(str(path))).segments)
    assert len(pieces) > 30
    result = found(detector.findings_in(pieces))
    assert result == found(detector.findings(Segment(text, numbered_lines=True)))
    assert sum(n for (kind, _, _), n in result.items() if kind == "EMAIL_ADDRESS") == 1500
    assert {where for _, _, where in result} == {"line 1"}


def contact_csv(rows: int) -> str:
    lines = ["Kundenr;Navn;Telefon;E-mail"]
    for i in range(1, rows + 1):
        lines.append(f"{i};{PEOPLE[i % 4]};2{i:07d};kunde{i}@firma.dk")
    return "\n".join(lines) + "\n"


def scan_findings(root, tmp_path, name: str, workers: int, detector) -> tuple[dict, Counter]:
    store = Store(tmp_path / f"{name}.db")
    scan_id, _ = run_scan(root, store, detector, images=ImageSettings(ocr=False),
                              options=ScanOptions(workers=workers))
    items = {r.location: r for r in store.results(scan_id)}
    store.close()
    return items, Counter((f.entity_type, f.masked, f.where) for r in items.values() for f in r.findings)


def test_big_csv_read_in_ranges_by_two_workers_keeps_rows_and_headers(tmp_path, detector, small_pieces):
    """A CSV of 300 KB is five ranges: two workers read it, and every cell keeps its header
    and its row number counted from the start of the file, as when it is read whole."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "kunder.csv").write_text(contact_csv(6000), encoding="utf-8")
    parts = list(text_parts(file_blob(str(share / "kunder.csv"))))
    assert len(parts) >= 4 and parts[-1].last and parts[1].first_line > 1
    items, ranged = scan_findings(share, tmp_path, "ranged", 2, detector)
    assert items["kunder.csv"].status == ANALYSED and len(items) == 1
    assert ("EMAIL_ADDRESS", "k********@firma.dk", "row 5001, column E-mail") in ranged
    assert ("DK_PHONE", "xxxxxx00", "row 5001, column Telefon") in ranged
    whole = Counter((f.entity_type, f.masked, f.where) for f in detector.findings_in(
        extract_csv(file_blob(str(share / "kunder.csv"))).segments))
    assert ranged == whole and sum(n for (kind, _, _), n in ranged.items() if kind == "EMAIL_ADDRESS") == 6000


def test_big_log_read_in_ranges_equals_reading_it_whole(tmp_path, detector, small_pieces, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    lines = log_lines(4000, seed=3)
    (share / "app.log").write_text("\n".join(lines) + "\n", encoding="cp1252")
    _, ranged = scan_findings(share, tmp_path, "ranged", 2, detector)
    monkeypatch.setattr(text_module, "PART_BYTES", 1 << 30)  # one task for the whole file
    _, whole = scan_findings(share, tmp_path, "whole", 0, detector)
    assert ranged == whole and len(ranged) > 2000


def test_csv_line_too_long_for_a_row_is_read_as_text(tmp_path, detector, small_pieces, monkeypatch):
    """A "CSV" whose second line is 5 000 characters (over the line limit, here 2 000): the rows
    before are rows, the rest is read as text by line, nothing is left unread."""
    monkeypatch.setattr(text_module, "LINE_CHARS", 2000)
    path = tmp_path / "dump.csv"
    long_line = "data " * 1000 + "mail kunde7@firma.dk\n"
    path.write_text("Navn;Telefon\nMette Hansen;20123456\n" + long_line + "sidst: ring 31 42 53 64\n", encoding="utf-8")
    result = found(detector.findings_in(extract_csv(file_blob(str(path))).segments))
    assert ("DK_PHONE", "xxxxxx56", "row 2, column Telefon") in result
    assert ("EMAIL_ADDRESS", "k*****@firma.dk", "line 3") in result
    assert ("DK_PHONE", "xxxxxx64", "line 4") in result


def test_html_is_read_in_pieces_by_visible_line(tmp_path, detector, small_pieces):
    rows = "".join(f"<tr><td>{PEOPLE[i % 4]}</td><td>kunde{i}@firma.dk</td></tr>\n" for i in range(2000))
    html = f"<html><head><style>p {{color: red}}</style></head><body><table>{rows}</table></body></html>"
    path = tmp_path / "liste.html"
    path.write_text(html, encoding="utf-8")
    pieces = list(text_module.extract_html(file_blob(str(path))).segments)
    assert len(pieces) > 10
    result = found(detector.findings_in(pieces))
    whole = found(detector.findings(Segment(text_module.html_to_text(html), numbered_lines=True)))
    assert result == whole and sum(n for (kind, _, _), n in result.items() if kind == "EMAIL_ADDRESS") == 2000


def test_a_big_file_of_one_line_is_read_in_ranges_cut_after_a_space(tmp_path, detector, small_pieces):
    """One line of 400 KB with Danish letters: ranges end after a space (never inside a
    character), every finding once and on line 1."""
    share = tmp_path / "share"
    share.mkdir()
    records = [f'{{"navn": "Søren Ibsen", "telefon": "2{i:07d}", "note": "åben æske"}}' for i in range(6000)]
    (share / "eksport.txt").write_text(",".join(records), encoding="utf-8")
    parts = list(text_parts(file_blob(str(share / "eksport.txt"))))
    data = (share / "eksport.txt").read_bytes()
    assert len(parts) >= 4 and all(data[p.end - 1:p.end] == b" " for p in parts[:-1])
    _, ranged = scan_findings(share, tmp_path, "ranged", 2, detector)
    assert {where for _, _, where in ranged} == {"line 1"}
    assert sum(n for (kind, _, _), n in ranged.items() if kind == "DK_PHONE") == 6000


def test_the_progress_moves_with_each_range_of_a_big_file(tmp_path, detector, small_pieces):
    """A share of one big CSV: the bytes read are told range by range as they end (a sysadmin watching
    a 2 GB export sees it move), and add up to the file's size, counted once."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "kunder.csv").write_text(contact_csv(6000), encoding="utf-8")
    size = (share / "kunder.csv").stat().st_size
    told: list[int] = []

    class Recorder:
        def __call__(self, n, location):
            pass

        def read(self, size):
            told.append(size)

    run_scan(share, Store(tmp_path / "p.db"), detector, progress=Recorder(), images=ImageSettings(ocr=False),
             options=ScanOptions(workers=2))
    ranges = list(text_parts(file_blob(str(share / "kunder.csv"))))
    assert len([n for n in told if n]) >= len(ranges) >= 4 and sum(told) == size
    assert max(told) < size / 2  # no single step of the whole file




def test_the_last_pages_of_a_long_pdf_are_not_a_short_document_about_one_person(tmp_path, detector, monkeypatch):
    """A short document that names one person (on one page) makes the health terms on its other
    page about that person; the last two pages of a long report are no such document, though they
    reach detection as a short last batch."""
    from fpdf import FPDF

    from scanner.run import pipeline
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 4_500)  # a filler page alone in a batch
    share = tmp_path / "share"
    share.mkdir()
    for name, filler in (("fravaer.pdf", 0), ("rapport.pdf", 6)):
        pdf = FPDF()
        pdf.set_font("Helvetica", size=8)
        for n in range(filler):  # pages of about 4 800 characters: a batch each
            pdf.add_page()
            for line in range(60):
                pdf.cell(0, 4, f"Side {n} linje {line}: lageret åbner kl. 7 og lukker kl. 16 på hverdage, også i ferien.",
                         new_x="LMARGIN", new_y="NEXT")
        for text in ("Medarbejder: Jonas Eriksen", "Fraværsårsag: Diskusprolaps i lænden."):
            pdf.add_page()
            pdf.cell(0, 6, text)
        pdf.output(str(share / name))
    items, _ = scan_findings(share, tmp_path, "tail", 0, detector)
    assert "DK_HEALTH" in {f.entity_type for f in items["fravaer.pdf"].findings}  # two pages about Jonas
    assert {f.entity_type for f in items["rapport.pdf"].findings} == {"PERSON"}
