"""Danish CPR numbers (personnummer): DDMMYY-SSSS, with date, century and modulus-11 checks.

Rules from cpr.dk: the 7th digit and the year give the century; a number normally
passes modulus-11, but since 2007 numbers that fail it are issued for people born on
the 1 January dates in `MOD11_EXCEPTION_DATES`. cpr.dk says that list is not
exhaustive, so a failing number after a CPR label is kept at lower confidence.

Writing: the halves may stand together or be split by a hyphen, a space or a tab; the
number may stand between commas, semicolons or tabs (a CSV or pasted table row).

Look-alikes: a number right after a label that says it is something else (`ordrenr.`,
`P-nr.`, `customer no`, `fak-nr`: `NOT_CPR_LABELS`, matched as words, see labels.py) and
with no CPR label before it is dropped. And where most 10-digit numbers of one column (the
same `header:`) or of the rest of a segment fail the checks, the few that pass are chance
(a list of production-unit or account numbers: one in eleven passes modulus-11 by luck)
and are dropped unless a CPR label stands before them (`DENSITY_*`, `by_chance`); the
Detector applies the same rule across all segments (table rows) of an item.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from detectors.recognizers.base import ScoredRecognizer, lead
from detectors.recognizers.labels import label_before, label_pattern, search_before
from detectors.types import SEGMENT_GAP_WORD

MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
MOD11_EXCEPTION_YEARS = (1960, 1962, 1964, 1965, 1966, 1967, 1969, 1970, 1974, 1975, 1978,
                         *range(1980, 1993), 1994, 1995)
MOD11_EXCEPTION_DATES = frozenset(date(y, 1, 1) for y in MOD11_EXCEPTION_YEARS)

CPR_LABELS = ("cpr", "cpr*", "person!", "personal!", "personnummer*", "fødselsdato", "fødselsnummer", "social security!",
              "ssn", "pers!")
NOT_CPR_LABELS = (
    "ordre", "order", "faktura", "fak!", "invoice", "vare", "item", "artikel", "article", "del!", "part", "sag",
    "sags!", "case", "konto", "account", "kunde", "customer", "client", "klient!", "løbe!", "ref", "reference",
    "bilag", "voucher", "tracking", "track!", "forsendelse", "shipment", "pakke", "parcel", "serie", "serial",
    "lot", "batch", "charge", "p!", "produktionsenhed", "production unit", "cvr", "se!", "ean", "gln", "test report",
    "rapport", "report", "protokol", "protocol", "tullstatisti*", "toldstatisti*", "rekvisition", "requisition", "police",
    "policy", "kontrakt", "contract", "aftale", "agreement", "booking", "bestilling", "transaktion", "transaction",
    "model", "dokument", "document", "journal!", "arkiv", "archive", "reg!", "tlf", "telefon", "phone", "dhk:tx")
_CANDIDATE = re.compile(lead(r"\d", r"[\w\-/+#]", r"\d\.") + r"\d{5}[\-–\t ]?\d{4}(?![\w\-/#])")
_CPR_LABEL_NEAR = re.compile(label_pattern(CPR_LABELS) + r"[^\n\d]{0,45}$", re.IGNORECASE)  # `CPR for Ib Holm er`
_CPR_LABEL_AFTER = re.compile(r"[^\n\d]{0,12}" + label_pattern(CPR_LABELS), re.IGNORECASE)  # `… er personnummeret`
_NOT_CPR_LABEL_BEFORE = label_before(NOT_CPR_LABELS)
_HEADER_BEFORE = re.compile(r"(?:^|\n)([^\n:]{1,60}):[ \t]*$")
_DIGITS = re.compile(r"\d+")
_NON_DIGITS = re.compile(r"\D")
_DECIMALS_AFTER = re.compile(r"[.,]\d")
_FIELD_SEPARATORS = ",;\t"

SCORE_MOD11 = 0.7
SCORE_LABELLED = 0.95
SCORE_EXCEPTION_DATE = 0.5
SCORE_CONTEXT_ONLY = 0.55
DENSITY_MIN_NUMBERS = 4  # a column or text with at least this many 10-digit numbers …
DENSITY_MAX_FAILING = 0.5  # … more than this share of them failing the checks: the rest are chance


def birth_date(digits: str) -> date | None:
    """The birth date a 10-digit CPR encodes, or None when it encodes no real date."""
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None  # the quick test first: most 10-digit numbers are no date
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


def passes_mod11(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, MOD11_WEIGHTS)) % 11 == 0


def valid_cpr(digits: str) -> bool:
    """Whether 10 digits are a CPR by the rules alone: a real date not in the future, and
    modulus-11 or a 1 January exception date."""
    born = birth_date(digits)
    return born is not None and born <= date.today() and (passes_mod11(digits) or born in MOD11_EXCEPTION_DATES)


@dataclass(frozen=True)
class Candidate:
    """A 10-digit number written like a CPR number, judged by itself and its label."""

    start: int
    end: int
    value: str        # as written
    score: float      # by the number and its label alone; 0: not a CPR
    labelled: bool    # a CPR label stands before (or right after) it
    column: str       # the `header:` it stands under ('' for none), digits blanked


def candidates(text: str) -> list[Candidate]:
    """Every number in `text` written like a CPR number, with its score by the rules and labels."""
    out = []
    for m in _CANDIDATE.finditer(text):
        if _DECIMALS_AFTER.match(text, m.end()) and (m.start() == 0 or text[m.start() - 1] not in _FIELD_SEPARATORS):
            continue  # `1234567890,50`: an amount (but `Anna,0101901238,7A` is a row of fields)
        out.append(_candidate(text, m.start(), m.end()))
    return out


def _candidate(text: str, start: int, end: int) -> Candidate:
    lo = max(0, start - 120)  # look back on the line only this far: a long line costs no more per number
    newline = text.rfind("\n", lo, start)
    line_start = newline + 1 if newline >= 0 else lo
    header = _HEADER_BEFORE.search(text, max(line_start - 1, 0), start)
    column = _DIGITS.sub("#", header.group(1).strip().casefold()) if header else ""  # `Enhed 12:` ~ `Enhed 13:`
    labelled = bool(_CPR_LABEL_NEAR.search(text, max(start - 60, line_start), start)
                    or (column and _CPR_LABEL_NEAR.search(column + " "))
                    or _CPR_LABEL_AFTER.match(text, end, end + 40))
    return Candidate(start, end, text[start:end], DkCprRecognizer.score(text, start, end, labelled), labelled, column)


def by_chance(groups: Iterable[list[Candidate]]) -> list[Candidate]:
    """The candidates that pass the checks only by chance: unlabelled ones in a group (a column, a
    text) of at least DENSITY_MIN_NUMBERS numbers of which most fail the checks."""
    out = []
    for group in groups:
        failing = sum(1 for c in group if c.score == 0)
        if len(group) >= DENSITY_MIN_NUMBERS and failing > DENSITY_MAX_FAILING * len(group):
            out.extend(c for c in group if c.score > 0 and not c.labelled)
    return out


def group_by_column(found: Iterable[Candidate], segment_of=lambda c: 0) -> list[list[Candidate]]:
    """Candidates grouped by (segment, column header)."""
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in found:
        groups[(segment_of(c), c.column)].append(c)
    return list(groups.values())


class DkCprRecognizer(ScoredRecognizer):
    """Presidio recogniser for CPR numbers (entity DK_CPR).

    The density rule looks at each segment of a packed text on its own (segments are
    separated by SEGMENT_GAP); Detector applies it again across all segments of an item."""

    ENTITY = "DK_CPR"

    def find(self, text):
        found = candidates(text)
        if not found:
            return
        gaps = [m.start() for m in re.finditer(SEGMENT_GAP_WORD, text)] if SEGMENT_GAP_WORD in text else []
        chance = set(by_chance(group_by_column(found, lambda c: bisect.bisect_left(gaps, c.start))))
        for c in found:
            if c.score > 0 and c not in chance:
                yield c.start, c.end, c.score

    @staticmethod
    def score(text: str, start: int, end: int, labelled: bool = False) -> float:
        """Confidence that text[start:end] is a CPR number by itself and its label; 0 drops it."""
        digits = _NON_DIGITS.sub("", text[start:end])
        born = birth_date(digits)
        if born is None or born > date.today():
            return 0.0
        if not labelled and search_before(_NOT_CPR_LABEL_BEFORE, text, start, 40):
            return 0.0
        if passes_mod11(digits) or born in MOD11_EXCEPTION_DATES:
            return SCORE_LABELLED if labelled else SCORE_MOD11 if passes_mod11(digits) else SCORE_EXCEPTION_DATE
        return SCORE_CONTEXT_ONLY if labelled else 0.0
