"""Danish bank accounts: reg.nr. + account number, and DK IBAN (mod-97 checked).

A `1234-0012345678` pair is only taken after a bank word (reg.nr., konto, bank …), since
four digits and up to ten more are also what order and item numbers look like. A DK IBAN
(`DK50 0040 0440 1162 43`) needs no context: its check digits make it safe.
"""
from __future__ import annotations

import re

from detectors.recognizers.base import ScoredRecognizer

_REG_ACCOUNT = re.compile(
    r"(?i)\b(?:reg(?:istrerings)?\.?[\s\-]*n(?:umme)?r\.?|konto(?:nummer|nr)?\.?|bank(?:konto)?|kontonr\.?)"
    r"[\s:.#]*(?P<account>\d{4}(?:[\s\-/]*(?:(?:konto(?:nummer|nr)?|kontonr)\.?[\s:]*)?)\d{6,10})(?![\d\-/]|[.,]\d)")
_IBAN = re.compile(r"\bDK\d{2}(?: ?\d{4}){3} ?\d{2}\b")
SCORE_ACCOUNT = 0.75
SCORE_IBAN = 0.9


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check."""
    s = iban.replace(" ", "").upper()
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


class DkBankAccountRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish reg.nr. + account numbers (entity DK_BANK_ACCOUNT)."""

    ENTITY = "DK_BANK_ACCOUNT"

    def find(self, text):
        for m in _REG_ACCOUNT.finditer(text):
            yield m.start("account"), m.end("account"), SCORE_ACCOUNT


class DkIbanRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish IBANs (entity IBAN_CODE)."""

    ENTITY = "IBAN_CODE"

    def find(self, text):
        for m in _IBAN.finditer(text):
            if iban_valid(m.group()):
                yield m.start(), m.end(), SCORE_IBAN
