"""Labels before a value (`CPR-nr.:`, `ordrenummer`, `customer no`, `Tlf.`), matched as words.

A label list is written as plain words; each becomes a pattern that starts at a word start
and ends at a word end, so `lot` is no label inside `Charlotte` and `ref` none inside
`Refsgaard`. A word may be followed by an explicit ending (`nr`, `nummer`, `no`, `number`
…), written together (`fakturanummer`, `bilagsnr`, with a linking `s`) or apart (`faktura
nr.`, `fak-nr`, `p.nr`). Spelling of a label:

- `ordre`: the word, alone or with an ending;
- `p!`: only with an ending (`p-nr`, `pnr`, `P-nummer`; never the letter alone);
- `telefon*`: the word and any longer word it starts (`telefonnummer`, `telefonisk`);
- `order number`, `test report`: several words, written with spaces, hyphens or none.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

ENDINGS = ("nr", "nummer", "numre", "numr", "no", "nos", "number", "numbers", "num", "nb", "id", "kode", "code")
_ENDING = "(?:" + "|".join(ENDINGS) + r")\.?"
_JOIN = r"(?:s?[ \t]*[.\-/_]?[ \t]*)"  # `bilagsnummer`, `faktura nr`, `fak-nr`, `p.nr`, `p. nr`


def _one(label: str) -> str:
    """The pattern of one label (see the module docstring)."""
    required, prefix = label.endswith("!"), label.endswith("*")
    words = label.rstrip("!*").split()
    body = r"[ \t\-_]*".join(re.escape(w) for w in words)
    if prefix:
        return body + r"\w*"
    ending = f"{_JOIN}{_ENDING}"
    return body + (ending if required else f"(?:{ending}|\\.)?")


def label_pattern(labels: Iterable[str]) -> str:
    """One alternation of `labels`, each starting at a word start and ending at a word end (grouped by
    their first character: at each word the regex engine tries the labels of its first letter only)."""
    by_first: dict[str, list[str]] = {}
    for label in labels:
        by_first.setdefault(re.escape(label[0]), []).append(_one(label))
    return r"(?<!\w)(?:" + "|".join(
        first + "(?:" + "|".join(sorted((a[len(first):] for a in alternatives), key=len, reverse=True)) + ")"
        for first, alternatives in by_first.items()) + r")(?!\w)"


def label_before(labels: Iterable[str], reach: str = r"[ \t]*[:#=.]?[ \t]*") -> re.Pattern:
    """A regex that finds one of `labels` at the very end of a text, with `reach` between it and the end.

    Search it in the text before a number: `search_before(label_before(...), text, start, 40)`."""
    return re.compile(label_pattern(labels) + reach + r"$", re.IGNORECASE)


def search_before(pattern: re.Pattern, text: str, start: int, chars: int) -> bool:
    """Whether `pattern.search(text, max(0, start - chars), start)` finds something, for a pattern that matches
    no line break and ends with `$` (a label before a number): only the line it can stand on is searched, the
    one `start` is on or the one above when a line break stands right before `start` (`$` matches before a
    final line break). A whole line's beginning (`Tlf.: `, `CVR: `) is looked up once per process."""
    lo = max(0, start - chars)
    end = start - 1 if start > lo and text[start - 1] == "\n" else start
    lo = max(lo, text.rfind("\n", lo, end) + 1)
    if lo == 0 or text[lo - 1] == "\n":
        return _search_line(pattern.pattern, pattern.flags, text[lo:start])  # what stands before it does not count
    return pattern.search(text, lo, start) is not None


@lru_cache(maxsize=4096)
def _search_line(regex: str, flags: int, line: str) -> bool:
    """Whether `regex` finds something in `line` (keyed by its text: hashing a compiled pattern reads all its code)."""
    return re.compile(regex, flags).search(line) is not None
