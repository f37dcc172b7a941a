"""The independent realistic corpus (bench/realistic_corpus.py) is sound: its gold is right.

These tests check the corpus, not the detector (its scores are in docs/detectors.md).
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from bench.realistic_corpus import (GOLD_TYPES, KINDS, Ent, cpr_valid, corpus, p_number, table_as_extracted,
                                    towns)
from scanner.extract.text import table_rows

DOCS = corpus()


def test_the_corpus_is_big_varied_and_deterministic():
    assert len(DOCS) >= 150
    assert {d.kind for d in DOCS} == set(KINDS)
    assert len({d.layout for d in DOCS}) >= 6
    assert [d.text for d in corpus()] == [d.text for d in DOCS]
    assert [d.text for d in corpus(seed=15)] != [d.text for d in DOCS]
    for label in ("health", "interests"):
        assert 20 <= sum(getattr(d, label) for d in DOCS) <= len(DOCS) - 20
    counts = {t: sum(g.type == t for d in DOCS for g in d.gold) for t in GOLD_TYPES}
    assert min(counts.values()) >= 100, counts


@pytest.mark.parametrize("digits, valid", [
    ("1111111118", True),    # 11 Nov 1911, modulus 11
    ("0101900000", True),    # 1 Jan 1990: issued without modulus 11
    ("0101643066", True),    # 1 Jan 1964 likewise
    ("1111111119", False),   # fails modulus 11, not a listed date
    ("2902030002", False),   # 29 Feb 2003 does not exist
    ("2902040008", True),    # 29 Feb 1904 (7th digit 0: 1900s)
    ("3201900000", False),   # no 32nd
    ("2205577451", False),   # 7th digit 7 and year 57: 2057, not born yet
])
def test_the_cpr_rules(digits, valid):
    assert cpr_valid(digits, today=date(2026, 11, 28)) is valid


def test_every_gold_cpr_passes_the_rules_and_is_written_as_one():
    cprs = [d.text[g.start:g.end] for d in DOCS for g in d.gold if g.type == "DK_CPR"]
    assert len(cprs) >= 100
    for value in cprs:
        assert re.fullmatch(r"\d{6}[- \t]?\d{4}", value), value
        assert cpr_valid(re.sub(r"\D", "", value)), value
    assert any("\t" in v for v in cprs) and any(" " in v for v in cprs) and any(v.isdigit() for v in cprs)


def test_gold_spans_sit_in_one_segment_on_the_text_they_name_and_never_overlap():
    for doc in DOCS:
        spans = sorted(doc.gold, key=lambda g: g.start)
        for a, b in zip(spans, spans[1:]):
            assert a.end <= b.start, (doc.id, a, b)
        for g in spans:
            value = doc.text[g.start:g.end]
            assert value and value == value.strip(), (doc.id, value)
            assert any(s <= g.start and g.end <= e for s, e in doc.segments), (doc.id, value)
            if g.type == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9\-]+\.[a-z]{2,}", value), value
            elif g.type == "DK_PHONE":
                digits = re.sub(r"\D", "", value)
                assert re.fullmatch(r"(45|0045)?[2-9]\d{7}", digits), value
            elif g.type == "PERSON":
                assert all(w[0].isupper() for w in value.split(" ")), value
                assert not re.search(r"\d|\n", value), value


def test_every_gold_address_has_street_number_and_a_real_postcode_town_pair():
    pairs = {(code, town) for town, codes in towns().items() for code in codes}
    bare = {(code, town[:-2]) for code, town in pairs if re.search(r" [A-ZØ]$", town)}
    addresses = [d.text[g.start:g.end] for d in DOCS for g in d.gold if g.type == "DK_ADDRESS"]
    assert len(addresses) >= 100
    for value in addresses:
        m = re.fullmatch(r"(?s)(\D+) (\d+[A-C]?)\b.*?(?:DK-)?(\d{4}) ([^\d\n]+)", value)
        assert m, value
        assert (m[3], m[4]) in pairs | bare, value
    assert any("3. sal" in a for a in addresses) and any("st. tv." in a for a in addresses)
    assert any("\n" in a for a in addresses)


def test_p_numbers_are_ten_digits_in_the_issued_range():
    import random

    rng = random.Random(1)
    for _ in range(1000):
        n = int(p_number(rng))
        assert 1_000_000_000 <= n < 1_033_000_000


def test_tables_are_written_as_the_extractor_writes_them():
    header = ["Navn", "Telefon", "Noter"]
    rows = [[[Ent("PERSON", "Weena Paulsen")], [Ent("DK_PHONE", "20 47 11 29")], ["går på jagt"]],
            [["Said Khalil"], ["33 12 12 12"], []]]
    ours = ["".join(p.text if isinstance(p, Ent) else p for p in run) for run in table_as_extracted(header, rows)]
    plain = [header] + [["".join(p.text if isinstance(p, Ent) else p for p in cell) for cell in row] for row in rows]
    theirs = [s.text for s in table_rows(plain, lambda r, c: f"row {r}, column {c}")]
    assert ours == theirs
