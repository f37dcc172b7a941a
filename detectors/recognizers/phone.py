"""Danish phone numbers: 8 digits starting 2-9, optionally after +45 / 0045 / (+45).

The score depends on how phone-like the writing is: with a country prefix or in the
usual `xx xx xx xx` grouping it is reported on its own; `xxxx xxxx` and eight bare digits
need a phone label close before them (`tlf.`, `telefon`, `mobil`, `direkte` …, matched as
words, within `CONTEXT_CHARS`), not just somewhere in the sentence: `Ring til Jens på 2684
9340 hvis lageret (34877528) løber tør` has one phone number. A number right after a label
that says it is something else (CVR, order no., account) is dropped. Labels are matched as
whole words with their endings (labels.py), so `Kim Gregersen 20 30 40 50` is a phone number.
Structure counts as a label too: a table's phone column (`Telefon`, `Mobil`, `Phone` in its
header line, table.py), a signature's `T:`/`M:`, and a known name and a comma right before the
number (`Reference: Jesper Andersen, 69947913`). A number may stand right after a comma (a CSV
field), but not after a digit and a comma (decimals).
"""
from __future__ import annotations

import bisect
import re

from detectors.recognizers.base import ScoredRecognizer, lead
from detectors.recognizers.labels import label_before, label_pattern, search_before
from detectors.recognizers.lists import first_names, name_words, surnames, town_words
from detectors.recognizers.table import tables

_NOT_AFTER = r"[\w+\-/.]"
_PREFIX = "(?:" + "|".join(lead(first, _NOT_AFTER) + rest for first, rest in (
    (r"\+", r"45[ \-]?"), ("0", r"045[ \-]?"), (r"\(", r"\+?45\)[ \-]?"))) + ")"  # +45, 0045, (+45), (45)
_START = lead("[2-9]", _NOT_AFTER, r"\d,")  # after a comma only as a field (`…,52-61-50-86,…`), not as decimals
_END = r"(?![\w\-/]|[.,]\d)"
SCORE_PREFIXED = 0.7
SCORE_PAIRS = 0.5
SCORE_FOURS = 0.4       # under the threshold alone
SCORE_BARE = 0.2        # under the threshold alone
SCORE_WITH_LABEL = 0.85  # any writing after a phone label
PATTERNS = (
    # a country prefix starts a number even right after a comma or semicolon (a CSV row read as text)
    (re.compile(_PREFIX + r"[2-9]\d(?:[ \-.]?\d{2}){3}" + _END), SCORE_PREFIXED),
    (re.compile(_START + r"\d( |-|\.)\d{2}\1\d{2}\1\d{2}" + _END), SCORE_PAIRS),
    (re.compile(_START + r"\d{3}[ \-]\d{4}" + _END), SCORE_FOURS),
    (re.compile(_START + r"\d{7}" + _END), SCORE_BARE),
)
PHONE_LABELS = ("tlf", "tlf*", "telefon*", "mobil*", "mob", "direkte", "dir", "phone*", "ring*", "sms", "fax",
                "tel", "telephone", "kontakt*", "contact*", "cell*", "privat", "arbejde", "hjem", "home", "work")
NOT_PHONE_LABELS = ("cvr", "se!", "ordre", "order", "faktura", "fak!", "invoice", "vare", "item", "konto", "account",
                    "reg", "registrerings!", "bilag", "sag", "ean", "gln", "p!", "kunde", "customer", "cpr", "lot",
                    "batch", "serie", "serial", "ref", "reference", "pin", "kode", "code", "postnummer")
CONTEXT_CHARS = 30
_PHONE_LABEL_NEAR = re.compile(label_pattern(PHONE_LABELS) + r"[^\d\n]{0,25}$", re.IGNORECASE)
_NOT_PHONE_LABEL_BEFORE = label_before(NOT_PHONE_LABELS)
# a column of these in a table's header holds other numbers of eight digits (a CPR number or a postcode never
# reads as a phone number: ten or four digits)
_NOT_PHONE_COLUMN = re.compile(label_pattern(l for l in NOT_PHONE_LABELS if l not in ("cpr", "postnummer")), re.IGNORECASE)
# a signature's one-letter labels: `T: 97 58 81 71`, `M: 2380 8245`, `D: …` (direkte)
_LETTER_LABEL = re.compile(r"(?<![\w.])[TMDtm][ \t]*:[ \t]*$")
# a person's name and a comma right before the number (`Reference: Jesper Andersen, 69947913`, `Ida Krag;20304050`)
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-ZÀ-ÖØ-Þ][\w'\-]+)[ \t]*[,;][ \t]*$")
SCORE_AFTER_NAME = 0.6


def _known_name(word: str) -> bool:
    """A first name or surname of the lists that is no ordinary word or town."""
    return (word in first_names() or word in surnames()) and word not in name_words() and word not in town_words()


def phone_cells(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that a table's header says hold phone numbers (table.py): the cells under
    `Telefon`, `Tlf.`, `Mobil`, `Phone` …; with only spaces between the cells, the whole row, when no
    column of other numbers (order, customer, account …) stands in the header."""
    out = []
    for table in tables(text):
        columns = table.columns_of("phone")
        if not columns:
            continue
        if table.space_separated:
            if not _NOT_PHONE_COLUMN.search(text, *table.header):
                out.extend(table.rows)
            continue
        for row in table.rows:
            cells = table.cells(text, row)
            out.extend(cells[k] for k in columns if k < len(cells))
    return sorted(out)


class DkPhoneRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish phone numbers (entity DK_PHONE)."""

    ENTITY = "DK_PHONE"

    def find(self, text):
        taken: list[tuple[int, int]] = []  # sorted spans: a number inside a longer writing already seen is no other
        cells: list[tuple[int, int]] | None = None  # the phone columns of tables, found when first needed
        for pattern, score in PATTERNS:
            for m in pattern.finditer(text):
                i = bisect.bisect_left(taken, m.span())
                if (i > 0 and taken[i - 1][1] > m.start()) or (i < len(taken) and taken[i][0] < m.end()):
                    continue
                taken.insert(i, m.span())
                if search_before(_NOT_PHONE_LABEL_BEFORE, text, m.start(), 40):
                    continue
                labelled = search_before(_PHONE_LABEL_NEAR, text, m.start(), CONTEXT_CHARS)
                if not labelled and score < SCORE_PAIRS:
                    before = text[max(0, m.start() - 3):m.start()]  # quick tests before the regexes
                    labelled = ":" in before and _LETTER_LABEL.search(text, max(0, m.start() - 6), m.start())
                    if not labelled and ("," in before or ";" in before):
                        name = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
                        if name and _known_name(name.group(1)):
                            yield m.start(), m.end(), SCORE_AFTER_NAME
                            continue
                if not labelled and score < SCORE_PAIRS:
                    if cells is None:
                        cells = phone_cells(text)
                    k = bisect.bisect_right(cells, (m.start(), len(text))) - 1
                    labelled = k >= 0 and cells[k][0] <= m.start() and m.end() <= cells[k][1]
                if labelled:
                    yield m.start(), m.end(), SCORE_WITH_LABEL
                elif score >= SCORE_PAIRS:
                    yield m.start(), m.end(), score
