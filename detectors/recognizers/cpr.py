"""Danish CPR numbers (personnummer): DDMMYY-SSSS, with date, century and modulus-11 checks.

Rules from cpr.dk: the 7th digit and the year give the century; a number normally
passes modulus-11, but since 2007 numbers that fail it are issued for people born on
the 1 January dates in `MOD11_EXCEPTION_DATES`. cpr.dk says that list is not
exhaustive, so a failing number right after a CPR context word is kept at lower
confidence. A number right after a word that says it is something else (order no.,
invoice no.) and with no CPR word before it is dropped.
"""
from __future__ import annotations

import re
from datetime import date

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
MOD11_EXCEPTION_YEARS = (1960, 1962, 1964, 1965, 1966, 1967, 1969, 1970, 1974, 1975, 1978,
                         *range(1980, 1993), 1994, 1995)
MOD11_EXCEPTION_DATES = frozenset(date(y, 1, 1) for y in MOD11_EXCEPTION_YEARS)

CONTEXT = ["cpr", "cpr-nr", "cprnr", "personnummer", "personnr", "cpr-nummer", "fødselsdato", "personal id"]
_NEGATIVE_BEFORE = re.compile(
    r"(ordre|order|faktura|invoice|vare|item|sag|konto|account|kunde|customer|løbe|ref|bilag|tracking|serie|serial|lot|batch)"
    r"[\w.\-]*\s*[:#.]?\s*$", re.IGNORECASE)
_CPR_BEFORE = re.compile(r"(cpr|person\s*n(umme)?r|fødselsdato)[\w.\-]*\s*[:#.]?\s*$", re.IGNORECASE)

SCORE_MOD11 = 0.7
SCORE_EXCEPTION_DATE = 0.5
SCORE_CONTEXT_ONLY = 0.55


def birth_date(digits: str) -> date | None:
    """The birth date a 10-digit CPR encodes, or None when it encodes no real date."""
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


def passes_mod11(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, MOD11_WEIGHTS)) % 11 == 0


class DkCprRecognizer(PatternRecognizer):
    """Presidio recogniser for CPR numbers (entity DK_CPR)."""

    def __init__(self, supported_language: str = "da"):
        super().__init__(
            supported_entity="DK_CPR",
            name="DkCprRecognizer",
            supported_language=supported_language,
            patterns=[Pattern("cpr", r"(?<![\d\-/.,])\d{6}[- ]?\d{4}(?![\d\-/]|[.,]\d)", 0.5)],
            context=CONTEXT,
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags) or []:
            score = self.score(text, result.start, result.end)
            if score > 0:
                result.score = score
                if score == SCORE_CONTEXT_ONLY:  # context already weighed here
                    result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
                results.append(result)
        return results

    @staticmethod
    def score(text: str, start: int, end: int) -> float:
        """Confidence that text[start:end] is a CPR number; 0 drops it."""
        digits = re.sub(r"\D", "", text[start:end])
        born = birth_date(digits)
        if born is None or born > date.today():
            return 0.0
        before = text[max(0, start - 40):start]
        cpr_word_before = bool(_CPR_BEFORE.search(before))
        if not cpr_word_before and _NEGATIVE_BEFORE.search(before):
            return 0.0
        if passes_mod11(digits):
            return SCORE_MOD11
        if born in MOD11_EXCEPTION_DATES:
            return SCORE_EXCEPTION_DATE
        if cpr_word_before:
            return SCORE_CONTEXT_ONLY
        return 0.0
