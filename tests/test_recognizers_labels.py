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


def p_numbers(n: int, seed: int = 1) -> list[str]:
    """`n` production-unit numbers as the CVR register writes them: 10 digits starting with 1."""
    rng = random.Random(seed)
    return [f"10{rng.randint(0, 99_999_999):08d}" for _ in range(n)]


@pytest.mark.parametrize("layout", [
    "{p}", "{p},Butik {i},Vejle", "Enhed {i};{p};aktiv", "{i}\t{p}\tLager", "Produktionsenhed {i}: {p}",
])
def test_no_cpr_in_a_list_of_production_unit_numbers(detector, layout):
    numbers = p_numbers(1500, seed=len(layout))
    passing = [p for p in numbers if valid_cpr(p)]
    assert len(passing) >= 5  # the list holds numbers that pass the CPR checks by chance
    text = "\n".join(layout.format(p=p, i=i) for i, p in enumerate(numbers))
    assert found(detector, text, "DK_CPR") == []


def test_a_column_of_production_unit_numbers_beside_a_column_of_cpr(detector):
    """Table rows arrive as `header: value` lines; each column is judged on its own."""
    people, units = cprs(600, seed=3), p_numbers(600, seed=3)
    assert sum(valid_cpr(p) for p in units) >= 2
    segments = [Segment(f"Navn: Medarbejder {i}\nCPR: {c}\nEnhed: {p}") for i, (c, p) in enumerate(zip(people, units))]
    for findings in (detector.findings_in(segments), detector.item_findings(segments, [
            f for s in segments for f in detector.findings(s)])):
        cprs_found = {f.value_hash for f in findings if f.entity_type == "DK_CPR"}
        assert cprs_found == {detector.hasher("DK_CPR", c) for c in people}


def test_a_list_of_real_cpr_numbers_is_kept_whole(detector):
    numbers = cprs(60, seed=9)
    numbers[5], numbers[17] = "3113901234", "0000000000"  # two typing errors do not make it a look-alike list
    text = "\n".join(f"{n}" for n in numbers)
    assert len(found(detector, text, "DK_CPR")) == 58


def test_a_labelled_cpr_survives_a_list_of_look_alikes(detector):
    cpr = cprs(1, seed=77)[0]
    text = "\n".join([*p_numbers(30, seed=5), f"Ejerens CPR-nr.: {dashed(cpr)}", *p_numbers(30, seed=6)])
    assert found(detector, text, "DK_CPR") == [dashed(cpr)]


def iban_with_check(country: str, bban: str) -> str:
    """A real IBAN: the check digits computed by ISO 13616 for `bban`."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@pytest.mark.parametrize("country, bban", [
    ("FO", "64600001631634"), ("GL", "64710001000206"), ("DK", "00400440116243"), ("NO", "86011117947"),
    ("SE", "50000000058398257466"), ("DE", "370400440532013000"), ("GB", "NWBK60161331926819"),
    ("FR", "20041010050500013M02606"), ("IS", "0159260076545510730339"), ("NL", "ABNA0417164300"),
])
def test_iban_of_every_country_in_both_writings(detector, country, bban):
    iban = iban_with_check(country, bban)
    grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    for written in (iban, grouped):
        assert found(detector, f"Overfør til {written} senest fredag.", "IBAN_CODE") == [written]
    wrong = iban[:-1] + str((int(iban[-1]) + 1) % 10)  # one digit off: the check fails
    assert found(detector, f"IBAN: {wrong}", "IBAN_CODE") == []
    assert found(detector, f"IBAN: {iban}0", "IBAN_CODE") == []  # one too long for the country


def test_iban_needs_digits_where_the_country_has_digits(detector):
    assert found(detector, "DK50 0040 A440 1162 43", "IBAN_CODE") == []
    assert found(detector, "ZZ50 0040 0440 1162 43", "IBAN_CODE") == []  # no such country
