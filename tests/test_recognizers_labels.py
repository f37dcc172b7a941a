"""Labels before numbers are words: no label inside a name or title silences a real number;
real look-alike labels (order no., P-nr., customer no) do; CPR in CSV and tab layouts."""
from __future__ import annotations

import random

import pytest

from detectors.recognizers.cpr import MOD11_WEIGHTS, valid_cpr
from detectors.recognizers.labels import label_before
from scanner.model import Segment


def cprs(n: int, seed: int = 14) -> list[str]:
    """`n` different valid CPR numbers (real dates, modulus-11) drawn at random."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        head = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(30, 99):02d}{rng.randint(0, 3)}"
        for tail in range(rng.randint(0, 99), 1000):
            digits = f"{head}{tail:03d}"
            if sum(int(d) * w for d, w in zip(digits, MOD11_WEIGHTS)) % 11 == 0 and valid_cpr(digits):
                out.append(digits)
                break
    return out


def found(detector, text: str, entity: str) -> list[str]:
    return [text[e.start:e.end] for e in detector.entities(text) if e.entity_type == entity]


def dashed(cpr: str) -> str:
    return f"{cpr[:6]}-{cpr[6:]}"


@pytest.mark.parametrize("before", [
    "Charlotte", "Anne Refsgaard", "Kontorassistent", "Lotte Sagstrup", "Orla Kundby", "Birgitte Ordrup,",
    "Serieiværksætter Kaj Lotsen:", "Refleksolog", "Vareholm", "Accountmanager Ib Pedersen", "Mette Delfs",
    "Regitze Bilagsdóttir", "sagde Preben", "Partner Karen", "Pia", "Katrine Tullberg",
])
def test_names_and_titles_before_a_cpr_never_silence_it(detector, before):
    for cpr in cprs(3):
        for written in (cpr, dashed(cpr)):
            text = f"{before} {written}"
            assert found(detector, text, "DK_CPR") == [written], text


@pytest.mark.parametrize("label", [
    "P-nr.", "p.nr", "pnr", "P-nummer:", "p nr", "fak-nr", "faknr.", "Fakturanummer", "faktura nr.", "order number",
    "Order No.", "customer no", "customer-no", "Kundenr.", "kunde nummer:", "test report no", "Protocol no.",
    "bilagsnummer", "Bilagsnr", "ordrenummer", "Ordre nr", "del nr.", "Lot", "Batch no", "account:", "Konto nr.",
    "tullstatistik", "Sagsnr.", "ref.", "Reference:", "Tracking number", "Serienr.", "Production unit no",
])
def test_look_alike_labels_drop_a_number_that_passes_the_checks(detector, label):
    cpr = cprs(1, seed=len(label))[0]
    assert found(detector, f"{label} {cpr}", "DK_CPR") == []
    assert found(detector, f"Vi har modtaget jeres {label} {dashed(cpr)} i går.", "DK_CPR") == []


@pytest.mark.parametrize("label", ["cpr nummer", "CPR nr.", "CPR-nr.:", "personnummer", "Personnr", "cpr:",
                                   "CPR-nummeret er", "Mit cpr-nummer er", "pers. nr."])
def test_cpr_labels_in_every_writing(detector, label):
    cpr = cprs(1, seed=len(label) + 7)[0]
    for written in (cpr, dashed(cpr), f"{cpr[:6]} {cpr[6:]}"):
        [entity] = [e for e in detector.entities(f"{label} {written}") if e.entity_type == "DK_CPR"]
        assert entity.score >= 0.9


def test_a_cpr_label_keeps_a_number_that_fails_modulus_11(detector):
    assert found(detector, "cpr nummer 0202901231", "DK_CPR") == ["0202901231"]
    assert found(detector, "Kundenr. 0202901231", "DK_CPR") == []
    assert found(detector, "Charlotte 0202901231", "DK_CPR") == []  # no label: the checks decide


@pytest.mark.parametrize("row", [
    "Frederik,Skolemanden,{cpr},7%", "Anna Berg,{cpr},7A", "Anna Berg;{cpr};7A", "{cpr},Jens,Lund,8000",
    "Ole\tHansen\t{cpr}\tLager", "\"Karen Mø\";\"{cpr}\";\"2B\"", "Ib Holm,{cpr},12,5",
])
def test_cpr_between_commas_semicolons_and_tabs(detector, row):
    for cpr in cprs(5, seed=len(row)):
        for written in (cpr, dashed(cpr), f"{cpr[:6]}\t{cpr[6:]}"):
            text = row.format(cpr=written)
            assert found(detector, text, "DK_CPR") == [written], repr(text)


def test_a_sweep_of_valid_numbers_in_everyday_rows(detector):
    """42 generated numbers in a row layout like a pasted class list: all found."""
    numbers = cprs(42, seed=42)
    rows = [f"Elev {i},{dashed(c) if i % 2 else c},{i % 9 + 1}A" for i, c in enumerate(numbers)]
    hits = sum(found(detector, row, "DK_CPR") == [row.split(",")[1]] for row in rows)
    assert hits == 42


def test_amounts_with_decimals_are_not_cpr(detector):
    assert found(detector, "Beløb 1511901234,50 kr. overført", "DK_CPR") == []
    assert found(detector, "I alt: 0101901238.75", "DK_CPR") == []


@pytest.mark.parametrize("text, phone", [
    ("Kim Gregersen 20 30 40 50", "20 30 40 50"),
    ("Mette Sagild +45 20 30 40 50", "+45 20 30 40 50"),
    ("Ring til Gregers Bilgaard på tlf. 2030 4050", "2030 4050"),
    ("Kontaktperson: Lise Ordrup, mobil 61 22 33 44", "61 22 33 44"),
    ("Sagsbehandler Tove Refslund 42 18 77 03", "42 18 77 03"),
    ("Konrad Lotz, telefon: 29384756", "29384756"),
])
def test_names_before_a_phone_never_silence_it(detector, text, phone):
    assert found(detector, text, "DK_PHONE") == [phone]


@pytest.mark.parametrize("text", [
    "CVR-nr. 29384756", "Ordrenr 2938 4756", "Kontonr. 29 38 47 56", "Kunde nr: 29384756", "P-nr. 29384756",
    "Reg.nr. 2938 4756",
])
def test_look_alike_labels_drop_a_phone(detector, text):
    assert found(detector, text, "DK_PHONE") == []


def test_a_label_is_a_word_with_an_explicit_ending():
    labels = label_before(["ordre", "p!", "test report", "tullstatisti*"])
    for before in ("ordre ", "Ordrenr. ", "ordrenummer: ", "ORDRE-NR ", "p-nr. ", "P.nr ", "pnr ", "test report no ",
                   "tullstatistisk "):
        assert labels.search(before), before
    for before in ("Ordrup ", "p ", "Pia ", "Kapnr ", "Bordre ", "protest report "):
        assert not labels.search(before), before
