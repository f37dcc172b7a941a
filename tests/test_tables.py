"""Big tables read cell by cell (detectors/tables.py) give exactly the findings of reading every
row whole, also where values stand in columns nobody expects them in; a difference found while
checking sends the table back to reading rows whole."""
from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import astuple
from pathlib import Path

import pytest

from detectors.detector import Detector
from scanner.extract.text import extract_csv
from scanner.model import Blob, TableRows, expand
from tests.conftest import REPO

sys.path.insert(0, str(REPO))
from bench.same_findings import table_csv  # noqa: E402


def rows_of(path: Path):
    """What the CSV reader hands to detection: the header row, then TableRows."""
    blob = Blob(name=path.name, size=path.stat().st_size, open=lambda: open(path, "rb"), path=str(path))
    return list(extract_csv(blob).segments)


def whole_rows(detector: Detector, items) -> list[tuple]:
    """The full way: every row read whole (packed), then the item-level rules."""
    segments = list(expand(items))
    return [astuple(f) for f in detector.item_findings(segments, [f for _, f in detector.packed_findings(segments)])]


@pytest.fixture()
def fresh():
    return Detector(b"t" * 32)


@pytest.fixture(scope="module")
def surprises(tmp_path_factory) -> list:
    return rows_of(table_csv(tmp_path_factory.mktemp("tables") / "contacts.csv", 1500))


def test_cell_by_cell_finds_what_whole_rows_find(fresh, surprises):
    fast = [astuple(f) for f in fresh.findings_in(surprises)]
    states = [fresh._tables.state(c) for c in ("Kundenr", "Navn", "Telefon", "E-mail", "Adresse")]
    assert not any(s.disabled for s in states)
    assert any(isinstance(item, TableRows) for item in surprises)
    assert all(s.fast > 0.5 * len(list(expand(surprises))) for s in states)  # most rows read cell by cell (with a term: whole)
    assert Counter(fast) == Counter(whole_rows(fresh, surprises))
    assert fast == whole_rows(fresh, surprises)  # in the same order, too


def test_values_in_unexpected_columns_are_found(fresh, tmp_path):
    header = "Kundenr;Navn;Telefon;E-mail;Noter"
    normal = [f"{i};Mette Hansen;20 30 40 {i % 90 + 10};mette{i}@firma.dk;ny kunde" for i in range(1, 400)]
    odd = ["400;40 50 60 70;Kontor;jens@firma.dk;CPR 150385-1004",    # phone in the name column, CPR in the notes
           "401;Kontor;Søren Kjær Hansen;ib@firma.dk;ring til Anne Refsgaard",  # names in the phone and notes columns
           "402;Ida Krag;21 22 23 24;Kontor;skriv til ida@krag.dk"]          # an e-mail in the notes
    path = tmp_path / "list.csv"
    path.write_text("\n".join([header, *normal, *odd]) + "\n", encoding="utf-8")
    segments = rows_of(path)
    found = {(f.entity_type, f.where) for f in fresh.findings_in(segments)}
    assert fresh._tables.state("Noter").fast > 150
    for entity, where in (("DK_PHONE", "row 401, column Navn"), ("DK_CPR", "row 401, column Noter"),
                          ("PERSON", "row 402, column Telefon"), ("PERSON", "row 402, column Noter"),
                          ("EMAIL_ADDRESS", "row 403, column Noter")):
        assert (entity, where) in found
    assert sorted(astuple(f) for f in fresh.findings_in(segments)) == sorted(whole_rows(fresh, segments))


def test_a_difference_sends_the_table_back_to_whole_rows(fresh, surprises, monkeypatch):
    learn = fresh._tables._learn_texts

    def forgetful(texts):  # a cell reader that loses names: the check must catch it
        known = learn(texts)
        for text, found in known.items():
            keep = [i for i, e in enumerate(found.entities) if e.entity_type != "PERSON"]
            known[text] = type(found)(tuple(found.entities[i] for i in keep), tuple(found.findings[i] for i in keep),
                                      found.term, found.numbers, found.bank_word)
        return known

    monkeypatch.setattr(fresh._tables, "_learn_texts", forgetful)
    fast = [astuple(f) for f in fresh.findings_in(surprises)]
    assert fresh._tables.state("Navn").disabled
    assert fast == whole_rows(fresh, surprises)


def test_odd_shapes_give_what_whole_rows_give(fresh):
    """Tables as exports come: rows longer and shorter than the header, a column with no header,
    one with a colon or a number for a header, two columns of the same name, a bank account over
    two columns, a cell too long for a row, digits-only cells, empty rows. Read by column
    (TableRows), they give what every row read whole gives, in the same order."""
    rng = random.Random(5)
    header = ("Id", "Navn", "", "Tlf.: privat", "2024", "Navn", "Reg.nr.", "Konto", "Noter")
    pool = ["", "", "48213", "1.200,00", "Mette Hansen", "Tage Jakobsen", "20 30 40 50", "+45 52 61 50 86",
            "150385-1004", "0101801234", "mette@firma.dk", "Vestergade 12, 2. th., 8700 Horsens", "1234", "0012345678",
            "løber maraton", "sygemeldt med diskusprolaps", "Nørregade 7", "ring til Søren Kjær", "x" * 5000,
            "pnr 1012345678", "Kontor", "KIRSTEN LARSEN", "2 stk. à 40 kr."]
    rows = []
    for row_no in range(2, 702):
        width = rng.choice((len(header) - 2, len(header), len(header), len(header) + 2))
        rows.append((row_no, [rng.choice(pool) for _ in range(width)]))
    table = TableRows(header, rows, lambda r, c: f"row {r}, column {header[c - 1] if c <= len(header) else c}")
    fast = [astuple(f) for f in fresh.findings_in([table])]
    assert fast == whole_rows(fresh, [table])
    # (no CPR: among so many account numbers and P-numbers that fail the checks, the density rule
    # takes the valid ones for chance, both ways)
    assert {kind for kind, *_ in fast} >= {"PERSON", "DK_PHONE", "EMAIL_ADDRESS", "DK_ADDRESS",
                                           "DK_BANK_ACCOUNT", "DK_HEALTH"}
