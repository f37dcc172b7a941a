"""Content dates: the dates a document states about itself ("Ordredato: 04-03-2019").

The `content` retention clock counts from such a date (an order confirmation is kept five
years from its order date, whenever the file was last copied). A date counts only when a
label like Ordredato, Fakturadato, Dato, Order date or Date stands right before it; of
several, the newest wins, so a ledger counts from its last posting.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Iterator

from scanner.model import Segment, TableRows

LABELS = ("ordredato", "ordre dato", "fakturadato", "faktura dato", "bilagsdato", "dato",
          "order date", "invoice date", "date")
MONTHS = {"januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
          "september": 9, "oktober": 10, "november": 11, "december": 12,
          "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10}
_NUMERIC = r"(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
_WORDS = r"(?P<wd>\d{1,2})\.?\s+(?P<wm>[a-zæøå]+)\.?\s+(?P<wy>\d{4})"
_MAYBE_LABEL = re.compile("[dD][aA][tT]")  # in every label (`dato`, `date`)
_APART = "\x00"  # between the values of a column: no label reaches across it (`\s` does not match it)
_ENDS_IN_LABEL = re.compile(rf"\b(?:{'|'.join(LABELS)})\s*[:.]?\s*$", re.IGNORECASE)
_LABELLED = re.compile(rf"\b(?:{'|'.join(LABELS)})\b\s*[:.]?\s*(?:{_NUMERIC}|{_WORDS})", re.IGNORECASE)


def _to_datetime(m: re.Match) -> datetime | None:
    if m.group("y"):
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("iy"):
        year, month, day = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    else:
        month = MONTHS.get(m.group("wm").lower())
        if month is None:
            return None
        year, day = int(m.group("wy")), int(m.group("wd"))
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None


def labelled_dates(text: str) -> list[datetime]:
    """Every valid date in `text` that follows a date label."""
    if not _MAYBE_LABEL.search(text):  # a plain search, ten times faster than the labels': most texts have none
        return []
    return [d for d in map(_to_datetime, _LABELLED.finditer(text)) if d is not None]


def content_date(segments: Iterable[Segment | TableRows]) -> datetime | None:
    """The newest labelled date in the item's text, or None when it states none. In table rows a
    column's header is the label of its values (`Ordredato` over `04-03-2019`), and a value
    may hold a label and a date itself."""
    dates = [d for segment in segments for text in _texts(segment) for d in labelled_dates(text)]
    return max(dates) if dates else None


def _texts(item: Segment | TableRows) -> Iterator[str]:
    """The texts of a segment or table rows in which labelled dates are looked for: a table's
    columns one at a time, `header: value` lines only under a header that ends in a label."""
    if isinstance(item, Segment):
        yield item.text
        return
    for col, name in enumerate(item.header):
        values = [cells[col] for _, cells in item.rows if col < len(cells) and cells[col]]
        yield _APART.join(values)
        if _ENDS_IN_LABEL.search(name):
            yield _APART.join(f"{name}: {value}" for value in values)
    width = len(item.header)
    yield _APART.join(cell for _, cells in item.rows for cell in cells[width:] if cell)
