"""Danish phone numbers: 8 digits starting 2-9, optionally after +45 / 0045 / (+45).

The score depends on how phone-like the writing is: with a country prefix or in the
usual `xx xx xx xx` grouping it is reported on its own; `xxxx xxxx` and eight bare digits
need a phone label close before them (`tlf.`, `telefon`, `mobil`, `direkte` …, matched as
words, within `CONTEXT_CHARS`), not just somewhere in the sentence: `Ring til Jens på 2684
9340 hvis lageret (34877528) løber tør` has one phone number. A number right after a label
that says it is something else (CVR, order no., account) is dropped. Labels are matched as
whole words with their endings (labels.py), so `Kim Gregersen 20 30 40 50` is a phone number.
"""
from __future__ import annotations

import bisect
import re

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.labels import label_before, label_pattern

_PREFIX = r"(?:(?:\+|00)45[ \-]?|\(\+?45\)[ \-]?)"
_START = r"(?<![\w+\-/.,])"
_END = r"(?![\w\-/]|[.,]\d)"
SCORE_PREFIXED = 0.7
SCORE_PAIRS = 0.5
SCORE_FOURS = 0.4       # under the threshold alone
SCORE_BARE = 0.2        # under the threshold alone
SCORE_WITH_LABEL = 0.85  # any writing after a phone label
PATTERNS = (
    # a country prefix starts a number even right after a comma or semicolon (a CSV row read as text)
    (re.compile(r"(?<![\w+\-/.])" + _PREFIX + r"[2-9]\d(?:[ \-.]?\d{2}){3}" + _END), SCORE_PREFIXED),
    (re.compile(_START + r"[2-9]\d( |-|\.)\d{2}\1\d{2}\1\d{2}" + _END), SCORE_PAIRS),
    (re.compile(_START + r"[2-9]\d{3}[ \-]\d{4}" + _END), SCORE_FOURS),
    (re.compile(_START + r"[2-9]\d{7}" + _END), SCORE_BARE),
)
PHONE_LABELS = ("tlf", "tlf*", "telefon*", "mobil*", "mob", "direkte", "dir", "phone*", "ring*", "sms", "fax",
                "tel", "telephone", "kontakt*", "contact*", "cell*", "privat", "arbejde", "hjem", "home", "work")
NOT_PHONE_LABELS = ("cvr", "se!", "ordre", "order", "faktura", "fak!", "invoice", "vare", "item", "konto", "account",
                    "reg", "registrerings!", "bilag", "sag", "ean", "gln", "p!", "kunde", "customer", "cpr", "lot",
                    "batch", "serie", "serial", "ref", "reference", "pin", "kode", "code", "postnummer")
CONTEXT_CHARS = 30
_PHONE_LABEL_NEAR = re.compile(label_pattern(PHONE_LABELS) + r"[^\d\n]{0,25}$", re.IGNORECASE)
_NOT_PHONE_LABEL_BEFORE = label_before(NOT_PHONE_LABELS)


class DkPhoneRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish phone numbers (entity DK_PHONE)."""

    ENTITY = "DK_PHONE"

    def find(self, text):
        taken: list[tuple[int, int]] = []  # sorted spans: a number inside a longer writing already seen is no other
        for pattern, score in PATTERNS:
            for m in pattern.finditer(text):
                i = bisect.bisect_left(taken, m.span())
                if (i > 0 and taken[i - 1][1] > m.start()) or (i < len(taken) and taken[i][0] < m.end()):
                    continue
                taken.insert(i, m.span())
                if _NOT_PHONE_LABEL_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                    continue
                labelled = _PHONE_LABEL_NEAR.search(text, max(0, m.start() - CONTEXT_CHARS), m.start())
                if labelled:
                    yield m.start(), m.end(), SCORE_WITH_LABEL
                elif score >= SCORE_PAIRS:
                    yield m.start(), m.end(), score
