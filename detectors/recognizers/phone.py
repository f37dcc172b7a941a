"""Danish phone numbers: 8 digits starting 2-9, optionally after +45 / 0045 / (+45).

The score depends on how phone-like the writing is: with a country prefix or in the
usual `xx xx xx xx` grouping it is reported on its own; eight bare digits need a
context word (tlf., telefon, mobil, direkte …) before Presidio raises them over the
threshold. A number right after a word that says it is something else (CVR, order
no., account) is dropped.
"""
from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

_PREFIX = r"(?:(?:\+|00)45[ \-]?|\(\+?45\)[ \-]?)"
_START = r"(?<![\w+\-/.,])"
_END = r"(?![\w\-/]|[.,]\d)"
PATTERNS = [
    Pattern("dk phone with country code", _START + _PREFIX + r"[2-9]\d(?:[ \-.]?\d{2}){3}" + _END, 0.7),
    Pattern("dk phone in pairs", _START + r"[2-9]\d( |-|\.)\d{2}\1\d{2}\1\d{2}" + _END, 0.5),
    Pattern("dk phone in fours", _START + r"[2-9]\d{3}[ \-]\d{4}" + _END, 0.4),
    Pattern("dk phone, 8 digits", _START + r"[2-9]\d{7}" + _END, 0.2),
]
CONTEXT = ["tlf", "telefon", "mobil", "mob.", "direkte", "dir.", "phone", "mobile", "ring", "sms", "fax", "tel."]
_NEGATIVE_BEFORE = re.compile(
    r"(cvr|se-nr|ordre|order|faktura|invoice|vare|item|konto|account|reg|bilag|sag|ean|gln|p-nr|kunde)[\w.\-]*\s*[:#.]?\s*$",
    re.IGNORECASE)


class DkPhoneRecognizer(PatternRecognizer):
    """Presidio recogniser for Danish phone numbers (entity DK_PHONE)."""

    def __init__(self, supported_language: str = "da"):
        super().__init__(
            supported_entity="DK_PHONE",
            name="DkPhoneRecognizer",
            supported_language=supported_language,
            patterns=PATTERNS,
            context=CONTEXT,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        return False

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags) or []
        return [r for r in results if not _NEGATIVE_BEFORE.search(text[max(0, r.start - 25):r.start])]
