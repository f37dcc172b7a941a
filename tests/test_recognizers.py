"""The Danish pattern recognisers: what a DPO expects to be found, and what must not be."""
from __future__ import annotations

import pytest

from detectors.recognizers.cpr import birth_date, passes_mod11
from scanner.model import Segment


def types(detector, text):
    return sorted(f.entity_type for f in detector.findings(Segment(text)))


@pytest.mark.parametrize("digits, expected", [
    ("0101901238", (1990, 1, 1)),     # 7th digit 1: 1900s
    ("0101054000", (2005, 1, 1)),     # 7th digit 4, year <= 36: 2000s
    ("0101504000", (1950, 1, 1)),     # 7th digit 4, year > 36: 1900s
    ("0101585000", (1858, 1, 1)),     # 7th digit 5, year >= 58: 1800s
    ("0101205000", (2020, 1, 1)),     # 7th digit 5, year <= 57: 2000s
])
def test_century_from_seventh_digit(digits, expected):
    assert birth_date(digits).timetuple()[:3] == expected


def test_impossible_dates_are_not_cpr(detector):
    assert types(detector, "CPR-nr.: 320190-1234") == []
    assert types(detector, "CPR-nr.: 011390-1234") == []
    assert birth_date("2902011234") is None  # 2001 is no leap year


def test_cpr_with_mod11_is_found_in_every_writing(detector):
    assert passes_mod11("0101901238")
    for text in ("0101901238", "010190-1238", "010190 1238", "Personnummer 010190-1238"):
        assert types(detector, text) == ["DK_CPR"], text


def test_cpr_failing_mod11_needs_exception_date_or_context(detector):
    assert not passes_mod11("0202901231")
    assert types(detector, "Løbenummer 0202901231 i kassen") == []
    assert types(detector, "Ref 020290-1231") == []
    assert types(detector, "CPR-nr.: 020290-1231") == ["DK_CPR"]      # context keeps it
    assert types(detector, "født 010190-1239 i Horsens") == ["DK_CPR"]  # 1 Jan 1990 is an exception date


def test_cpr_lookalikes_after_order_words_are_dropped(detector):
    assert types(detector, "Ordrenr. 010190-1238") == []
    assert types(detector, "Faktura 2019-0412, beløb 12.345,00 kr., dato 12-03-2019") == []


def test_cpr_mask_keeps_only_day_and_month(detector):
    [finding] = detector.findings(Segment("CPR: 010190-1238"))
    assert finding.masked == "0101xx-xxxx"
    assert "1238" not in finding.masked and "90" not in finding.masked


@pytest.mark.parametrize("text", [
    "Tlf. 20 12 34 56", "Mobil: 2012 3456", "telefon 20123456", "+45 70 22 10 71", "0045 70221071",
    "(+45) 20123456", "Ring på 86 12 34 56", "Direkte: 88246122",
])
def test_danish_phone_numbers(detector, text):
    assert types(detector, text) == ["DK_PHONE"]


@pytest.mark.parametrize("text", [
    "CVR 11665744", "Ordrenr. 45123456", "Konto 12345678", "Beløb 12.345.678,00", "Dato 20-12-2019",
    "18 12 34 56",  # starts with 1: not a Danish subscriber number
    "Varenummer 99887766",
])
def test_not_phone_numbers(detector, text):
    assert "DK_PHONE" not in types(detector, text)


def test_email_is_found_offline(detector):
    [f] = detector.findings(Segment("Skriv til mette.hansen@horsensbryghus.dk i dag"))
    assert f.entity_type == "EMAIL_ADDRESS" and f.masked == "m" + "*" * 11 + "@horsensbryghus.dk"


def test_same_value_same_hash_different_writing(detector):
    a = detector.findings(Segment("CPR 010190-1238"))[0]
    b = detector.findings(Segment("CPR 0101901238"))[0]
    assert a.value_hash == b.value_hash


def test_entities_across_chunk_borders_are_found_once(detector):
    from detectors.detector import CHUNK_CHARS
    filler = "x " * ((CHUNK_CHARS - 10) // 2)
    text = filler + "CPR 010190-1238 " + filler + "tlf. 20 12 34 56"
    got = types(detector, text)
    assert got == ["DK_CPR", "DK_PHONE"]
