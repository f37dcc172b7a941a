"""The message catalogue: every word the reports show people, English in the code, Danish in a .po file.

The source strings are English and marked in the code with `_()` (translated where they are
used) or `N_()` (only marked: tables of labels translated later). The Danish translations live
in `locale/da/LC_MESSAGES/datakort.po`, the file translators edit; Babel reads it when a report
is first written ("compiled on the fly", so the install stays pure pip). A string with no Danish
translation is shown in English and remembered in `MISSING`, which the tests check is empty
after rendering every report in Danish (tests/test_report_language.py).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "datakort"
LANGS = ("da", "en")
SOURCE_LANG = "en"
MISSING: set[tuple[str, str]] = set()   # (language, English source string) asked for but not translated


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it here."""
    return message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The translations of one language: English source string -> translation (fuzzy ones left out)."""
    if lang == SOURCE_LANG:
        return {}
    with po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang, domain=DOMAIN)
    return {m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def gettext(message: str, lang: str) -> str:
    """`message` in `lang`; the English source (remembered in MISSING) when it has no translation."""
    if lang == SOURCE_LANG or not message:
        return message
    translated = catalogue(lang).get(message)
    if translated is None:
        MISSING.add((lang, message))
        return message
    return translated


def translator(lang: str) -> Callable[[str], str]:
    """A `_` for one language: `_ = translator(lang)`, then `_("Gaps")`."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    return lambda message: gettext(message, lang)
