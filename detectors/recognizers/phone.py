"""Danish phone numbers: 8 digits starting 2-9, optionally after +45 / 0045 / (+45).

The score depends on how phone-like the writing is: with a country prefix or in the
usual `xx xx xx xx` grouping it is reported on its own; eight bare digits need a
context word (tlf., telefon, mobil, direkte …) close before them (`BARE_CONTEXT_CHARS`),
not just somewhere in Presidio's five-word window: `Ring til Jens på 2684 9340 hvis
lageret (34877528) løber tør` has one phone number. A number right after a word that
says it is something else (CVR, order no., account) is dropped.
"""
from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

_PREFIX = r"(?:(?:\+|00)45[ \-]?|\(\+?45\)[ \-]?)"
_START = r"(?<![\w+\-/.,])"
_END = r"(?![\w\-/]|[.,]\d)"
BARE_SCORE = 0.2
PATTERNS = [
    Pattern("dk phone with country code", _START + _PREFIX + r"[2-9]\d(?:[ \-.]?\d{2}){3}" + _END, 0.7),
    Pattern("dk phone in pairs", _START + r"[2-9]\d( |-|\.)\d{2}\1\d{2}\1\d{2}" + _END, 0.5),
    Pattern("dk phone in fours", _START + r"[2-9]\d{3}[ \-]\d{4}" + _END, 0.4),
    Pattern("dk phone, 8 digits", _START + r"[2-9]\d{7}" + _END, BARE_SCORE),
]
CONTEXT = ["tlf", "telefon", "mobil", "mob.", "direkte", "dir.", "phone", "mobile", "ring", "sms", "fax", "tel."]
BARE_CONTEXT_CHARS = 25
SCORE_BARE_WITH_CONTEXT = 0.6
_CONTEXT_BEFORE = re.compile(r"(?:^|\W)(?:tlf|telefon\w*|mobil\w*|mob|direkte|dir|phone|mobile|ring\w*|sms|fax|tel|kontakt)"
                             r"\b[^\d\n]{0,20}$", re.IGNORECASE)
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
        results = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags) or []:
            if _NEGATIVE_BEFORE.search(text[max(0, r.start - 25):r.start]):
                continue
            if r.score <= BARE_SCORE:  # eight bare digits: only with a context word close before
                if not _CONTEXT_BEFORE.search(text, max(0, r.start - BARE_CONTEXT_CHARS), r.start):
                    continue
                r.score = SCORE_BARE_WITH_CONTEXT
                r.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            results.append(r)
        return results
