"""Tables written as text: a header line of column labels, then one row a line.

A table pasted into a mail, exported as `.txt`/CSV, or read from a PDF's text layer arrives
as lines: `Navn;Firma;Telefon;Noter`, or with tabs, commas, `|`, or only spaces between the
cells (`Name Company Phone Email Notes`, a PDF). The header says what each column holds, so
the recognisers can read a row by position: the cell under `Navn` is a person (a foreign or
unknown name too), a number under `Telefon` is a phone number, and a row's remarks are about
its person.

`tables(text)` finds every such table (cached: the name, phone and lexicon recognisers ask
for the same text). A header line is a line of at least three cells (or words) that are
mostly known column labels (`COLUMN_LABELS`) with no digits or `@`; its rows run to a blank
line, a segment gap or the end of the text. With a separator, a row is split into cells
(`Table.cells`, CSV quotes honoured); so is a fixed-width table (columns two or more spaces
apart: each piece of a row goes to the column whose label starts nearest). With single spaces
only, cells cannot be told apart and only the first column is read by position
(`Table.space_separated`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from detectors.types import SEGMENT_GAP_WORD

# Words of column labels (lower case, without `.`/`:`): Danish and English
COLUMN_LABELS = frozenset("""
    navn navne fornavn fornavne efternavn efternavne mellemnavn fulde fulde_navn name names first last full surname
    given kontaktperson kontaktpersoner kontakt contact contacts person personer medarbejder medarbejdere employee
    ansat ansatte pårørende nærmeste pårørendes relation relationship relative tilknytning forhold slægtskab
    deltager deltagere participant elev elever kunde kunder customer client klient patient borger
    firma virksomhed virksomhedsnavn company organisation organization afdeling department enhed unit team
    stilling titel title jobtitel rolle role funktion position
    telefon telefonnr telefonnummer tlf tlfnr mobil mobilnr mobilnummer mobile phone tel telephone cell fax direkte
    privat arbejde hjem
    e-mail email mail e-mailadresse mailadresse
    adresse address adresser vej gade postnr postnummer post by city town zip land country
    cpr cpr-nr cpr-nummer personnummer fødselsdato født birthday birth dob alder age køn gender
    noter note notes notat bemærkning bemærkninger kommentar kommentarer comment comments remarks info oplysninger
    beskrivelse description
    dato date fra til from to start slut end periode period dage days timer hours antal status type årsag reason
    sygedage fraværsdage fravær fraværstype lægeerklæring ferie
    nr no id nummer number init initialer ref reference
    ordre ordrenr order kundenr kundenummer beløb amount pris price total sum konto account reg
    lokal lokalnr initialer login bruger stilling fritid hobby hobbyer interesser interests hobbies allergier
    allergi allergies kost diæt hensyn andet øvrigt diverse størrelse uddannelse erfaring løn ansættelse
    ansættelsesdato fratrædelse fødselsdag job
    og and of i ved ulykke nødstilfælde nødsituation akut in case emergency
""".split())
# more column labels by their ending or beginning: Danish writes compounds (`Kundenavn`, `Mobilnummer`,
# `Privatadresse`, `Fødselsdato`, `Arbejdstelefon`)
LABEL_ENDINGS = ("navn", "name", "nummer", "nr", "adresse", "mail", "telefon", "tlf", "mobil", "dato", "person",
                 "type", "status", "oplysninger", "interesser", "bemærkninger")
PHONE_STEMS = ("telefon", "tlf", "mobil", "phone", "tel", "cell", "direkte")
NUMBER_COLUMNS = frozenset("""cpr cpr-nr cpr-nummer personnummer nr no id nummer number telefon tlf mobil phone tel
    ordre ordrenr kundenr kundenummer postnr postnummer fødselsdato født dato date""".split())
TEXT_COLUMNS = frozenset("""firma virksomhed company organisation organization afdeling department enhed team
    stilling titel title jobtitel rolle role funktion position by city""".split())
MAX_ROWS = 2000

_SEPARATORS = "\t;|,"
# a line that may be a header: a word (a column label: `is_label`) followed by a separator or space and
# another word, no digits, no `@`
_HEADER_CANDIDATE = re.compile(r"(?im)^[ \t]*([^\W\d_][\w\-]*)\.?[ \t]*[\t;|, ][ \t]*[a-zæøå][^\n\d@]*$")
_WORD = re.compile(r"[^\s\t;|,:.()/]+")
_ROW_END = re.compile(rf"\n[ \t]*\n|{SEGMENT_GAP_WORD}")


@dataclass(frozen=True)
class Table:
    """A header line (its columns' labels: each cell's words, lower case) and its rows' spans."""

    header: tuple[int, int]
    separator: str  # one of _SEPARATORS, FIXED (columns two or more spaces apart), or " " (single spaces only)
    columns: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[int, int], ...]
    starts: tuple[int, ...] = ()  # FIXED: where each column's label starts in its line

    @property
    def space_separated(self) -> bool:
        return self.separator == " "

    def kind(self, column: int) -> set[str]:
        """What column `column` holds, by its label: a subset of {'phone', 'number', 'text'} (whether it
        holds a person's name, name.person_field says)."""
        words = self.columns[column] if column < len(self.columns) else ()
        last = words[-1] if words else ""
        out = set()
        if any(w.startswith(PHONE_STEMS) or w.endswith(PHONE_STEMS) for w in words):
            out.add("phone")
        if out & {"phone"} or any(w in NUMBER_COLUMNS for w in words):
            out.add("number")
        if last in TEXT_COLUMNS:
            out.add("text")
        return out

    def columns_of(self, kind: str) -> list[int]:
        return [i for i in range(len(self.columns)) if kind in self.kind(i)]

    def cells(self, text: str, row: tuple[int, int]) -> list[tuple[int, int]]:
        """The spans of a delimited row's cells (without surrounding spaces and CSV quotes)."""
        if self.space_separated:
            return []
        start, end = row
        if self.separator == FIXED:  # each run of text goes to the column whose label starts nearest
            out = [(start, start)] * len(self.columns)
            for m in _FIXED_CELL.finditer(text, start, end):
                at = m.start() - start
                k = min(range(len(self.starts)), key=lambda i: abs(self.starts[i] - at))
                out[k] = m.span() if out[k][0] == out[k][1] else (out[k][0], m.end())
            return out
        pattern = _CSV_CELL if self.separator == "," else _cell_pattern(self.separator)
        out = []
        pos = start
        while pos <= end:
            m = pattern.match(text, pos, end)
            s, e = m.span()
            value = text[s:e]
            lead = len(value) - len(value.lstrip())
            s, e = s + lead, s + len(value.rstrip())
            if e - s >= 2 and text[s] == '"' and text[e - 1] == '"':
                s, e = s + 1, e - 1
            out.append((s, e))
            pos = m.end() + 1
        return out


FIXED = "  "
_FIXED_CELL = re.compile(r"\S+(?: \S+)*")
_FIXED_GAP = re.compile(r"\S[ \t]{2,}\S")
_CSV_CELL = re.compile(r'[ \t]*"(?:[^"\n]|"")*"[ \t]*|[^,\n]*')


@lru_cache(maxsize=8)
def _cell_pattern(separator: str) -> re.Pattern:
    return re.compile(rf"[^{re.escape(separator)}\n]*")


def _header(line: str) -> tuple[str, tuple[tuple[str, ...], ...], tuple[int, ...]] | None:
    """(separator, column labels, FIXED: where each label starts) when `line` is a header line of
    column labels, else None."""
    separator = next((s for s in _SEPARATORS if line.count(s) >= (2 if s == "," else 1)), " ")
    starts: tuple[int, ...] = ()
    if separator == " " and _FIXED_GAP.search(line):
        separator = FIXED
        found = list(_FIXED_CELL.finditer(line))
        cells, starts = [m.group() for m in found], tuple(m.start() for m in found)
    else:
        cells = [c for c in (line.split(separator) if separator != " " else line.split()) if c.strip()]
    if len(cells) < 3:
        return None
    columns = tuple(tuple(w.lower() for w in _WORD.findall(c)) for c in cells)
    words = [w for c in columns for w in c]
    known = sum(map(is_label, words))
    if not words or known < 3 or known < 0.75 * len(words):
        return None
    if separator != " " and sum(any(map(is_label, c)) for c in columns) < 0.75 * len(columns):
        return None
    return separator, columns, starts


def is_label(word: str) -> bool:
    """Whether a lower-case word is (part of) a column label."""
    return word in COLUMN_LABELS or word.endswith(LABEL_ENDINGS) or word.startswith(PHONE_STEMS)


@lru_cache(maxsize=4)
def tables(text: str) -> tuple[Table, ...]:
    """Every table written as text in `text` (see the module docstring)."""
    headers = [(m, found) for m in _HEADER_CANDIDATE.finditer(text)
               if is_label(m.group(1).lower()) and (found := _header(m.group()))]
    out = []
    for n, (m, (separator, columns, starts)) in enumerate(headers):
        stop = _ROW_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        if n + 1 < len(headers):
            end = min(end, headers[n + 1][0].start())  # the next table's header
        rows, pos = [], m.end() + 1
        while pos < end and len(rows) < MAX_ROWS:
            eol = text.find("\n", pos, end)
            eol = end if eol < 0 else eol
            if text[pos:eol].strip():
                rows.append((pos, eol))
            pos = eol + 1
        if rows:
            out.append(Table(m.span(), separator, columns, tuple(rows), starts))
    return tuple(out)
