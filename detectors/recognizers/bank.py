"""Bank accounts: Danish reg.nr. + account number, and IBANs of every country (mod-97 checked).

A `1234-0012345678` pair is only taken after a bank word (reg.nr., konto, bank …), since
four digits and up to ten more are also what order and item numbers look like. An IBAN
needs no context: it must have its country's length (`IBAN_LENGTHS`, the SWIFT IBAN
registry), digits only where that country's account number is all digits
(`NUMERIC_BBAN`), upper-case letters, and pass the ISO 13616 mod-97 check. It is written
either without spaces or in groups of four (`FO62 6460 0001 6316 34`, or with hyphens).
"""
from __future__ import annotations

import re

from detectors.recognizers.base import ScoredRecognizer, lead

_REG_ACCOUNT = re.compile(  # the first letter first (base.lead); (?i) matches K (Kelvin) as k too
    r"(?i)" + lead("(?-i:[rRkK\u212abB])", r"\w") +
    r"(?:(?<=r)eg(?:istrerings)?\.?[\s\-]*n(?:umme)?r\.?|(?<=k)onto(?:nummer|nr)?\.?|(?<=b)ank(?:konto)?|(?<=k)ontonr\.?)"
    r"[\s:.#]*(?P<account>\d{4}(?:[\s\-/]*(?:(?:konto(?:nummer|nr)?|kontonr)\.?[\s:]*)?)\d{6,10})(?![\d\-/]|[.,]\d)")
SCORE_ACCOUNT = 0.75
SCORE_IBAN = 0.9

# Total IBAN length per country (SWIFT IBAN registry; the French overseas territories use France's format).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
    **dict.fromkeys(("GF", "GP", "MQ", "RE", "PF", "TF", "YT", "NC", "PM", "WF", "BL", "MF"), 27),
}
# Countries whose account part (after the four check characters) is digits only.
NUMERIC_BBAN = frozenset(
    "AT BA BE BI CR CZ DE DJ DK EE EG ES FI FO GL HR HU IL IS LT LY ME MN NO PL PT RS SD SE SI SK SO TL TN XK AE".split())
_IBAN_START = re.compile("(" + lead("[A-Z]", "[A-Za-z0-9]") + r"[A-Z])\d{2}")
_ALNUM = "[A-Z0-9]"


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check."""
    s = iban.replace(" ", "").replace("-", "").upper()
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


def _iban_pattern(length: int) -> re.Pattern:
    """The rest of an IBAN of `length` after its first four characters: compact or in groups of four."""
    rest = length - 4
    grouped = [f"(?:{sep}{_ALNUM}{{4}}){{{rest // 4}}}" + (f"{sep}{_ALNUM}{{{rest % 4}}}" if rest % 4 else "")
               for sep in (" ", "-")]
    return re.compile(f"(?:{_ALNUM}{{{rest}}}|{'|'.join(grouped)})(?![A-Za-z0-9])")


_REST = {country: _iban_pattern(length) for country, length in IBAN_LENGTHS.items()}


def ibans(text: str):
    """(start, end) of every valid IBAN in `text`."""
    for m in _IBAN_START.finditer(text):
        rest = _REST.get(m.group(1))
        r = rest.match(text, m.end()) if rest else None
        if not r:
            continue
        value = text[m.start():r.end()]
        if m.group(1) in NUMERIC_BBAN and not value[4:].replace(" ", "").isdigit():
            continue
        if iban_valid(value):
            yield m.start(), r.end()


class DkBankAccountRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish reg.nr. + account numbers (entity DK_BANK_ACCOUNT)."""

    ENTITY = "DK_BANK_ACCOUNT"

    def find(self, text):
        for m in _REG_ACCOUNT.finditer(text):
            yield m.start("account"), m.end("account"), SCORE_ACCOUNT


class IbanRecognizer(ScoredRecognizer):
    """Presidio recogniser for IBANs of every country (entity IBAN_CODE)."""

    ENTITY = "IBAN_CODE"

    def find(self, text):
        for start, end in ibans(text):
            yield start, end, SCORE_IBAN
