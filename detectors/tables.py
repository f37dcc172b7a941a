"""Big tables, fast: a row's findings put together from its cells', each cell read once per value.

A table row (a CSV line, a sheet row) arrives as one Segment whose cells are lines written
`header: value` (`Segment.columns` names them). Read whole, every row costs every recogniser
a pass over all its cells, and a contact list of millions of rows is detection-bound. Here:

- **Cell by cell.** Each cell's text is analysed alone, by the recognisers that can find
  anything in it (`MIN_DIGITS`): numbers only in a cell with enough digits, e-mail only with
  an `@`, names only with a capital letter in the value. The header stays in the cell's text,
  so it is context as before (`Telefon:`, `CPR-nr.:`, `Navn:`).
- **Remembered per value.** What a cell text gives is remembered (towns, companies, notes and
  people repeat in real exports; `MEMO_CELLS`), masks and keyed hashes included; the cells of a
  call not seen before are analysed many at a time, packed with SEGMENT_GAP between them as
  `Detector.findings_in` packs rows.
- **The full way where cells work together.** A row is read whole, as before, when a
  recogniser could read across its cells: a lexicon term (its subject is the row's person),
  several CPR-like numbers (the density rule looks at a row's numbers together), a cell
  without a header or with an odd one. Bank accounts (`Reg.nr.` and `Konto` may be two
  columns) are always looked for in the whole row.
- **Checked against the full way.** Rows are read both ways until each of their columns has
  been in `PROFILE_ROWS` such rows, and every `CHECK_EVERY`-th row after that; at the first
  difference the row's columns are read the full way from there on (`ColumnState.disabled`),
  and the full way's findings count.

The result is the full way's (tests/test_tables.py compares both on tables with values in
unexpected columns; bench/same_findings.py on the benchmark corpora).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from presidio_analyzer import EntityRecognizer

from detectors.recognizers.cpr import DENSITY_MIN_NUMBERS, candidates
from detectors.recognizers.lexicon import lexicon_terms
from detectors.presidio_fixes import LeanAnalyzer
from detectors.types import SEGMENT_GAP, Entity, Finding, Segment, TableRows, row_segment


class Analysing(Protocol):
    """What this module asks of the Detector (detectors/detector.py), which uses it: described here,
    not imported, so the two do not import each other."""

    lean: LeanAnalyzer
    threshold: float

    def entities(self, text: str, recognizers: list | None = None) -> list[Entity]: ...

    def findings(self, segment: Segment) -> list[Finding]: ...

    def packed_findings(self, segments: list[Segment]) -> list[tuple[Segment, Finding]]: ...

    def finding(self, segment: Segment, entity: Entity) -> Finding: ...

    def finding_in(self, text: str, entity: Entity, where: str = "") -> Finding: ...


PROFILE_ROWS = 200     # rows of a table read both ways before the fast way is trusted
CHECK_EVERY = 200      # after that, one row in this many is read both ways too
MIN_ROWS = 50          # fewer rows than this in one call: the full way (the profile costs more than it saves)
MEMO_CELLS = 50_000    # cell texts remembered per process (then forgotten, all at once): some 50 MB
COLUMNS = 10_000       # columns (by header) whose state is kept (then forgotten, all at once)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[^\W\d_a-zæøåäöüéèàáç]")  # a letter that may be a capital (any but the usual lower-case ones)
_ODD_HEADER = re.compile(r"^(?![^\W\d_])|[\n:]")  # no letter first, or a line break or colon in it
# Between cell texts when only lexicon terms are looked for: a term is letters, spaces and a few
# marks, never a NUL, so none reaches across it; its first newline makes `$` and a term's
# look-ahead see what they see at SEGMENT_GAP (which costs the lexicon 3 to 10 times more to pass).
_TERM_GAP = "\n\x00\n"
_BANK_WORD = re.compile(r"(?i)\b(?:reg|konto|bank)")  # what the bank-account recogniser's pattern starts with (at a word start)

# The fewest digits a cell must hold for a recogniser of these entities to find anything in it
# (their patterns: a CPR 10, a phone 8, a CVR 8, an address a house number (with a postcode, or alone after an address label), an
# IBAN its two check digits); names need a capital letter in the value (a header's words, at the
# start of the cell's text and before a colon, are no name), e-mail an `@`. Bank accounts
# (`Reg.nr.` and `Konto` may be two columns) are looked for in the whole row.
MIN_DIGITS = {"DK_CPR": 10, "DK_PHONE": 8, "DK_CVR": 8, "DK_ADDRESS": 1, "IBAN_CODE": 2}
NEEDS_CAPITAL = frozenset({"DK_ADDRESS"})  # a street name in the value; an IBAN starts with two capitals and two digits
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")
_ROW_WIDE = frozenset({"DK_BANK_ACCOUNT"})


@dataclass
class ColumnState:
    """What is known about the column with one header: rows with it read both ways and cell by
    cell, and whether reading cell by cell gave a different answer once (then it is not used again)."""

    checked: int = 0
    fast: int = 0
    disabled: bool = False


@dataclass(frozen=True)
class _Cell:
    """What one cell text alone gives: its entities (offsets in the cell text) and their findings
    with an empty `where`, whether a lexicon term is in it, how many CPR-like numbers, and whether
    a bank word is."""

    entities: tuple[Entity, ...]
    findings: tuple[Finding, ...]
    term: bool
    numbers: int
    bank_word: bool


class TableReader:
    """Findings of table rows read cell by cell (see the module docstring), for one Detector."""

    def __init__(self, detector: Analysing, max_row_chars: int):
        self.detector, self.max_row_chars = detector, max_row_chars
        lean = detector.lean
        self._lean = lean
        self._row_wide = [r for r in lean.recognizers if set(r.supported_entities) <= _ROW_WIDE]
        self._digits: list[tuple[object, int, bool]] = []  # (recogniser, the fewest digits, whether a capital too)
        self._at, self._upper, self._iban = [], [], []
        self._cell_ok = True
        for r in lean.recognizers:
            entities = set(r.supported_entities)
            if entities <= _ROW_WIDE:
                continue
            if entities == {"EMAIL_ADDRESS"}:
                self._at.append(r)
            elif entities == {"PERSON"}:
                self._upper.append(r)
            elif len(entities) == 1 and entities <= MIN_DIGITS.keys():
                entity = next(iter(entities))
                self._digits.append((r, MIN_DIGITS[entity], entity in NEEDS_CAPITAL))
                if entity == "IBAN_CODE":
                    self._iban.append(r)
            elif not entities & {"DK_HEALTH", "DK_PERSONAL_DETAILS"}:  # the lexicon: rows with terms go the full way
                self._cell_ok = False  # a recogniser this module does not know: read rows whole
        self._columns: dict[str, ColumnState] = {}
        self._rows = 0
        self._cells: dict[str, _Cell] = {}  # cell texts remembered: the young generation …
        self._older: dict[str, _Cell] = {}  # … and the one before (see `_remembered`)
        self._headers: dict[str, _Cell] = {}  # the reading of a cell with no letter and few digits, by its header

    def usable(self, segments: list[Segment]) -> bool:
        """Whether `segments` hold enough table rows to be worth it (others are read the full way)."""
        return self._cell_ok and sum(1 for s in segments if s.columns) >= MIN_ROWS

    def findings(self, segments: list[Segment]) -> list[Finding]:
        """Findings of table rows (before the item-level rules of `Detector.item_findings`)."""
        full: list[Segment] = []  # rows read the full way, in one packed pass
        order: list[list[Finding] | int] = []  # findings in row order; an int: that row of the full pass
        known = self._learn(segments)
        for segment in segments:
            self._read_row(segment, known, full, order)
        return self._in_order(order, full)

    def block_findings(self, block: TableRows) -> list[Finding]:
        """Findings of many rows under one header, read by column: each column's cell texts are
        read (or remembered) together, and a row whose cells need nothing more is put together
        from them with no Segment; the others (a term, CPR-like numbers or a bank word in a cell,
        a cell under no usable header, a row due for a check) go the way of `findings`."""
        header, rows, where = block.header, block.rows, block.where
        width = len(header)
        readable = [bool(name) and not _ODD_HEADER.search(name) for name in header]
        texts = [[f"{name}: {cells[col]}" if col < len(cells) and cells[col] else "" for _, cells in rows]
                 if readable[col] else None for col, name in enumerate(header)]
        known = self._learn_texts({t: len(name) + 2 for col, name in enumerate(header) if readable[col]
                                   for t in set(texts[col]) if t})
        readings = [[known.get(t) for t in column] if column is not None else None for column in texts]
        unreadable = [col for col in range(width) if not readable[col]]
        special: set[int] = set()  # rows with a cell that is read with the row's other cells
        for column in readings:
            if column is not None:
                special.update(i for i, cell in enumerate(column) if cell is not None
                               and (cell.term or cell.numbers or cell.bank_word))
        found = [col for col, column in enumerate(readings)
                 if column is not None and any(cell is not None and cell.findings for cell in column)]
        states = [self._state(name) if readable[col] else None for col, name in enumerate(header)]
        longest = self.max_row_chars - sum(len(name) + 3 for name in header)  # a row's cells up to this: never too long
        full: list[Segment] = []
        order: list[list[Finding] | int] = []
        current: list[Finding] = []
        watched = self._watched(states)
        by_row: list[int] = []  # the rows read the way of `findings`
        for i, (row_no, cells) in enumerate(rows):
            if (i in special or len(cells) > width or (self._rows + 1) % CHECK_EVERY == 0
                    or (unreadable and any(cells[col] for col in unreadable if col < len(cells)))
                    or (watched and any(cells[col] for col in watched if col < len(cells)))
                    or (sum(map(len, cells)) > longest and _too_long(cells, header, self.max_row_chars))):
                segment = row_segment(row_no, cells, header, where)
                if segment is not None:  # (`_read_row` counts the row)
                    order.append(current)
                    current = []
                    self._read_row(segment, known, full, order)
                    by_row.append(i)
                    watched = self._watched(states)
                continue
            self._rows += 1
            for col in found:
                cell = readings[col][i]
                if cell is not None and cell.findings:
                    here = where(row_no, col + 1)
                    for f in cell.findings:
                        current.append(f.at(here))
        order.append(current)
        for col, state in enumerate(states):
            if state is not None:
                state.fast += sum(1 for t in texts[col] if t) - sum(1 for i in by_row if texts[col][i])
        return self._in_order(order, full)

    @staticmethod
    def _watched(states: list[ColumnState | None]) -> list[int]:
        """The columns whose cells make a row be checked (or read whole): not yet trusted, or not to be."""
        return [col for col, state in enumerate(states)
                if state is not None and (state.disabled or state.checked < PROFILE_ROWS)]

    def _read_row(self, segment: Segment, known: dict[str, "_Cell"], full: list[Segment],
                  order: list[list[Finding] | int]) -> None:
        """One row's findings onto `order`: cell by cell (checked against the full way when due), or
        the row queued in `full` for the full way."""
        states = [self._state(c) for c in segment.columns]
        usable = states and segment.context == (0, 0) and not any(state.disabled for state in states)
        fast = self._fast(segment, known) if usable else None
        self._rows += 1
        if fast is not None and (any(s.checked < PROFILE_ROWS for s in states) or self._rows % CHECK_EVERY == 0):
            for state in states:
                state.checked += 1
            if not _same(fast, self.detector.findings(segment)):
                for state in states:
                    state.disabled = True
                fast = None
        if fast is None:
            full.append(segment)
            order.append(len(full) - 1)
        else:
            for state in states:
                state.fast += 1
            order.append(fast)

    def _in_order(self, order: list[list[Finding] | int], full: list[Segment]) -> list[Finding]:
        """The findings of `order`, each int replaced by the findings of that row of `full`, read the full way."""
        by_row = self._full(full)
        out: list[Finding] = []
        for item in order:
            out.extend(by_row[item] if isinstance(item, int) else item)
        return out

    def _full(self, rows: list[Segment]) -> list[list[Finding]]:
        """Each row's findings the full way (rows packed into few analyses, as Detector.findings_in)."""
        found = self.detector.packed_findings(rows)
        where = {id(s): i for i, s in enumerate(rows)}
        by_row: list[list[Finding]] = [[] for _ in rows]
        for segment, finding in found:
            by_row[where[id(segment)]].append(finding)
        return by_row

    def state(self, column: str) -> ColumnState | None:
        """What is known about the column with this header (None: nothing yet)."""
        return self._columns.get(column)

    def _state(self, column: str) -> ColumnState:
        state = self._columns.get(column)
        if state is None:
            if len(self._columns) >= COLUMNS:
                self._columns.clear()
            state = self._columns[column] = ColumnState()
        return state

    def _fast(self, segment: Segment, known: dict[str, "_Cell"]) -> list[Finding] | None:
        """The row's findings cell by cell (their readings in `known`), or None when the row must be read whole."""
        texts = self._cell_texts(segment)
        if texts is None:
            return None
        cells = [(offset, where, known[cell_text]) for (offset, where), (cell_text, _) in zip(segment.parts, texts)]
        text = segment.text
        # a term's subject is the row's person; the density rule weighs a row's numbers together
        if any(cell.term for _, _, cell in cells) or sum(cell.numbers for _, _, cell in cells) >= DENSITY_MIN_NUMBERS:
            return None
        out: list[tuple[Entity, Finding]] = []
        for offset, where, cell in cells:
            for e, f in zip(cell.entities, cell.findings):
                out.append((Entity(e.entity_type, e.start + offset, e.end + offset, e.score), f.at(where)))
        if any(cell.bank_word for _, _, cell in cells):
            out.extend((e, self.detector.finding(segment, e)) for e in self._row_wide_entities(text))
        if len(out) > 1:  # the order of the full way: by start, then by score and length
            out.sort(key=lambda pair: (pair[0].start, -pair[0].score, pair[0].start - pair[0].end))
        return [finding for _, finding in out]

    def _cell_texts(self, segment: Segment) -> list[tuple[str, int]] | None:
        """(cell text, where its value starts) of each cell of a row, or None when the row must be read whole."""
        text = segment.text
        if len(text) > self.max_row_chars:
            return None  # analysed in chunks: read whole, as before
        if len(segment.parts) != len(segment.columns) or any(not c or _ODD_HEADER.search(c) for c in segment.columns):
            return None
        bounds = [offset for offset, _ in segment.parts[1:]] + [len(text) + 1]
        return [(text[offset:end - 1], len(header) + 2)
                for (offset, _), end, header in zip(segment.parts, bounds, segment.columns)]

    def _recognizers_for(self, text: str, value_start: int) -> tuple:
        """The recognisers that can find something in a cell text (see MIN_DIGITS)."""
        digits = len(_DIGIT.findall(text))
        capital = _UPPER.search(text, value_start) is not None  # the header's own words are context, never a name
        recognizers = [r for r, least, needs_capital in self._digits if digits >= least and (capital or not needs_capital)
                       and (r not in self._iban or _IBAN_START.search(text))]
        if "@" in text:
            recognizers += self._at
        if capital:
            recognizers += self._upper
        return tuple(recognizers)

    def _remembered(self, text: str) -> _Cell | None:
        """A cell text's reading if remembered. Two generations of MEMO_CELLS / 2 cell texts: when the
        young one is full it becomes the old one, and a cell found in the old one moves to the young
        one, so cells that repeat stay while a column of values that never repeat (customer numbers)
        passes through."""
        cell = self._cells.get(text)
        if cell is None:
            cell = self._older.get(text)
            if cell is not None:
                self._keep(text, cell)
        return cell

    def _keep(self, text: str, cell: _Cell) -> None:
        if len(self._cells) >= MEMO_CELLS // 2:
            self._older, self._cells = self._cells, {}
        self._cells[text] = cell

    def _learn(self, segments: list[Segment]) -> dict[str, _Cell]:
        """What each cell text of `segments` alone gives: remembered, or read now."""
        return self._learn_texts({text: value_start for segment in segments
                                  if segment.columns and segment.context == (0, 0)
                                  for text, value_start in self._cell_texts(segment) or ()})

    def _learn_texts(self, texts: dict[str, int]) -> dict[str, _Cell]:
        """What each cell text (with where its value starts) alone gives: remembered, or read now."""
        known: dict[str, _Cell] = {}
        missing: dict[str, int] = {}
        for text, value_start in texts.items():
            cell = self._remembered(text)
            if cell is not None:
                known[text] = cell
            elif (_LETTER.search(text, value_start) is None and len(_DIGIT.findall(text)) < MIN_DIGITS["DK_CPR"]
                  and not self._recognizers_for(text, value_start)):
                known[text] = self._header_cell(text[:value_start - 2])  # `Kundenr: 48213`, `Beløb: 1.200,00`
            else:
                missing[text] = value_start
        if missing:
            known.update(self._learn_cells(missing))
        return known

    def _header_cell(self, header: str) -> _Cell:
        """The reading of a cell whose value has no letter, with fewer digits than a CPR number and
        too few for any recogniser (see MIN_DIGITS): lexicon terms (which start with a letter) and
        bank words can only be in its header."""
        cell = self._headers.get(header)
        if cell is None:
            if len(self._headers) >= COLUMNS:
                self._headers.clear()
            cell = self._headers[header] = _Cell((), (), term=any(True for _ in lexicon_terms(header)), numbers=0,
                                                 bank_word=_BANK_WORD.search(header) is not None)
        return cell

    def _learn_cells(self, missing: dict[str, int]) -> dict[str, _Cell]:
        """Reads cell texts, many in one analysis: those that need the same recognisers are packed with
        SEGMENT_GAP between them, as Detector.findings_in packs rows (nothing reaches across a gap)."""
        groups: dict[tuple, list[str]] = {}
        for text, value_start in missing.items():
            groups.setdefault(self._recognizers_for(text, value_start), []).append(text)
        entities: dict[str, list[Entity]] = {}
        for recognizers, texts in groups.items():
            if recognizers:
                entities.update(self._packed(texts, lambda joined: self.detector.entities(joined, list(recognizers)),
                                             lambda e: (e.start, e.end), lambda e, at: Entity(e.entity_type, e.start - at,
                                                                                            e.end - at, e.score)))
        terms = self._packed(list(missing), lambda joined: [m for _, m in lexicon_terms(joined)],
                             lambda m: m.span(), lambda m, at: True, gap=_TERM_GAP, piece=1 << 20)
        out = {}
        for text in missing:
            found = entities.get(text, [])
            out[text] = cell = _Cell(tuple(found), tuple(self.detector.finding_in(text, e) for e in found),
                                     term=bool(terms.get(text)),
                                     numbers=len(candidates(text)) if len(_DIGIT.findall(text)) >= 10 else 0,
                                     bank_word=_BANK_WORD.search(text) is not None)
            self._keep(text, cell)
        return out

    def _packed(self, texts: list[str], analyse, span, relative, gap: str = SEGMENT_GAP,
                piece: int | None = None) -> dict[str, list]:
        """`analyse` run on `texts` joined by `gap` into pieces of at most `piece` characters (`max_row_chars`);
        what it returns, by the text it lies in (`span`: its start and end; `relative(item, text_start)`: as
        found in that text alone). A text too long for a piece is analysed alone."""
        piece = piece or self.max_row_chars
        out: dict[str, list] = {text: [] for text in texts}
        batch: list[str] = []
        size = 0

        def flush():
            if not batch:
                return
            starts, offset = [], 0
            for text in batch:
                starts.append(offset)
                offset += len(text) + len(gap)
            for item in analyse(gap.join(batch)):
                start, end = span(item)
                i = bisect.bisect_right(starts, start) - 1
                if end - starts[i] <= len(batch[i]):  # never in a gap
                    out[batch[i]].append(relative(item, starts[i]))

        for text in texts:
            if len(text) + len(gap) > piece:
                out[text] = [relative(item, 0) for item in analyse(text)]
                continue
            if size + len(text) > piece:
                flush()
                batch, size = [], 0
            batch.append(text)
            size += len(text) + len(gap)
        flush()
        return out

    def _row_wide_entities(self, text: str) -> list[Entity]:
        threshold = self.detector.threshold
        results = []
        for recognizer in self._row_wide:
            results += recognizer.analyze(text=text, entities=self._lean.entities, nlp_artifacts=None) or []
        return [Entity(r.entity_type, r.start, r.end, r.score)
                for r in EntityRecognizer.remove_duplicates([r for r in results if r.score >= threshold])]


def _same(a: list[Finding], b: list[Finding]) -> bool:
    key = lambda f: (f.entity_type, f.category, f.score, f.masked, f.value_hash, f.where)  # noqa: E731
    return Counter(map(key, a)) == Counter(map(key, b))


def _too_long(cells: list[str], header: tuple[str, ...], limit: int) -> bool:
    """Whether a row's segment text would be longer than `limit` (then it is analysed in chunks, whole)."""
    filled = [col for col, cell in enumerate(cells) if cell]
    length = sum(len(cells[col]) + 1 + (len(header[col]) + 2 if col < len(header) and header[col] else 0)
                 for col in filled) - 1
    return length > limit
