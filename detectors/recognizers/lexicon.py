"""The lexicon recogniser: personal details, special categories (Art. 9) and criminal offences.

The terms are Danish regular expressions in detectors/data/lexicons_da.yaml, one list per
group, matched in one pass; a group is an entity type, or one of `GROUP_ENTITY` (interests
and relatives are personal details). A word such as `sygemeldt` or `løber maraton` is only
about a person when a person is there, so a term is reported when

- a pronoun or role word (han, hun, medarbejderen …) or a known first name stands within
  `WINDOW` characters, or
- its paragraph or table row (text between blank lines or segments, at most `SCOPE_CHARS`
  either side) names a person: a name, or a person field (`Navn:`, `Medarbejder:`).

A relative (`søster`, `samlever`: `NEXT_TO_PERSON` groups) is a personal detail only right
next to a person (`RELATIVE_REACH`, same line): `Weena Paulsen, søster`, `hans samlever`.
A short document that names one person (a sick-leave record) makes its terms about that
person: the Detector does that across the segments of an item (`document_terms`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as _c, _parser  # to read each term's first letters (see _lexicon)
from functools import lru_cache

import yaml

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import DATA_DIR, first_names, name_words
from detectors.recognizers.name import DkNameRecognizer, person_field
from detectors.types import SEGMENT_GAP_WORD

WINDOW = 80
SCOPE_CHARS = 400
RELATIVE_REACH = 40
SCORE_NEAR_PERSON = 0.6
SCORE_ONE_PERSON_DOCUMENT = 0.55
GROUP_ENTITY = {"DK_INTERESTS": "DK_PERSONAL_DETAILS", "DK_RELATIVES": "DK_PERSONAL_DETAILS"}
NEXT_TO_PERSON = frozenset({"DK_RELATIVES"})
_PERSON_WORD = re.compile(
    r"(?i)\b(?:han|hun|ham|hende|hans|hendes|du|din|dit|dine|jeg|min|mit|mine|medarbejder(?:en|ens)?|"
    r"den ansatte|ansatte|kollega(?:en)?|elev(?:en)?|kunden|patient(?:en)?|borger(?:en)?|hr\.|fru)\b")
_PERSONAL_PRONOUN = re.compile(r"(?i)\b(?:han|hun|jeg|du|hans|hendes|min|mit|mine|din|dit|dine|sin|sit|sine)\b")
_CAPITALISED = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+\b")
_PARAGRAPH_END = re.compile(rf"\n[ \t]*\n|{SEGMENT_GAP_WORD}")
_FIELD = re.compile(r"([A-Za-zÆØÅæøå][\wæøåÆØÅ\-]*)[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*:")
_NAMES = DkNameRecognizer()


def person_near(text: str, start: int, end: int, reach: int = WINDOW) -> bool:
    """Whether a pronoun, a role word or a known first name stands within `reach` of text[start:end]."""
    lo, hi = max(0, start - reach), end + reach
    if _PERSON_WORD.search(text, lo, hi):
        return True
    names = first_names()
    return any(m.group() in names and m.group() not in name_words() for m in _CAPITALISED.finditer(text, lo, hi))


def names_person(text: str, outside: tuple[int, int] = (0, 0)) -> bool:
    """Whether `text` names a person (outside text[outside[0]:outside[1]]): a name at the default
    threshold, or a person field."""
    return any(score >= 0.5 and (end <= outside[0] or start >= outside[1]) for start, end, score in _NAMES.find(text)) \
        or any(person_field(m.group(1).casefold()) for m in _FIELD.finditer(text))


def scope(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph or row around text[start:end]: up to a blank line or a segment gap, at most SCOPE_CHARS."""
    lo, hi = max(0, start - SCOPE_CHARS), min(len(text), end + SCOPE_CHARS)
    for m in _PARAGRAPH_END.finditer(text, lo, start):
        lo = m.end()
    m = _PARAGRAPH_END.search(text, end, hi)
    return lo, m.start() if m else hi


def next_to_person(text: str, start: int, end: int) -> bool:
    """Whether a person is named or referred to right next to text[start:end], on its line."""
    lo = max(text.rfind("\n", 0, start) + 1, start - RELATIVE_REACH)
    hi = text.find("\n", end)
    hi = min(hi if hi >= 0 else len(text), end + RELATIVE_REACH)
    return bool(_PERSONAL_PRONOUN.search(text, lo, hi)) or names_person(text[lo:hi], (start - lo, end - lo))


def _first_letters(items) -> set[str] | None:
    """The lower-case letters a parsed regex can start with, or None when it is not known."""
    if not items:
        return None
    op, av = items[0]
    if op is _c.LITERAL:
        return {chr(av).lower()}
    if op is _c.IN and all(o is _c.LITERAL for o, _ in av):
        return {chr(a).lower() for _, a in av}
    if op is _c.SUBPATTERN:
        return _first_letters(av[-1].data)
    if op is _c.BRANCH:
        branches = [_first_letters(b.data) for b in av[1]]
        return None if any(b is None for b in branches) else set().union(*branches)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _first_letters(av[2].data)
    return None


@lru_cache(maxsize=None)
def _lexicon() -> tuple[re.Pattern, dict[str, str]]:
    """One regex of every lexicon's terms, and the lexicon group of each of its named groups.

    The terms are sorted by the letters they can start with, each set behind a lookahead for
    it, so at a word start only the terms that can begin there are tried (several times faster
    than one flat alternation of some 300 terms)."""
    data = yaml.safe_load((DATA_DIR / "lexicons_da.yaml").read_text(encoding="utf-8"))
    by_letters: dict[str, dict[str, list[str]]] = {}
    for group, terms in data.items():
        for term in terms:
            letters = _first_letters(_parser.parse(term, re.IGNORECASE).data) or set()
            key = "".join(sorted(letters | {c.upper() for c in letters}))
            by_letters.setdefault(key, {}).setdefault(group, []).append(term)
    names: dict[str, str] = {}
    branches = []
    for key, groups in by_letters.items():
        alternatives = []
        for group, terms in groups.items():
            name = f"g{len(names)}"
            names[name] = group
            alternatives.append(f"(?P<{name}>" + "|".join(f"(?:{t})" for t in terms) + ")")
        branches.append((f"(?=[{re.escape(key)}])" if key else "") + "(?:" + "|".join(alternatives) + ")")
    return re.compile(r"(?<!\w)(?=\w)(?:" + "|".join(branches) + r")(?!\w)", re.IGNORECASE), names


def lexicon_groups() -> set[str]:
    """The lexicon groups of the YAML file (entity types, DK_INTERESTS, DK_RELATIVES)."""
    return set(_lexicon()[1].values())


def lexicon_terms(text: str) -> Iterator[tuple[str, re.Match]]:
    """(lexicon group, match) of every term in `text`."""
    pattern, names = _lexicon()
    for m in pattern.finditer(text):
        yield names[m.lastgroup], m


def entity_of(group: str) -> str:
    return GROUP_ENTITY.get(group, group)


def document_terms(text: str) -> Iterator[tuple[str, int, int]]:
    """(entity, start, end) of the terms in `text` that a document about one person makes about
    that person (every group but relatives)."""
    for group, m in lexicon_terms(text):
        if group not in NEXT_TO_PERSON:
            yield entity_of(group), m.start(), m.end()


class DkLexiconRecognizer(ScoredRecognizer):
    """Lexicon terms of every type, reported when they are about a person (see the module docstring)."""

    ENTITIES = ("DK_HEALTH", "DK_TRADE_UNION", "DK_RELIGION", "DK_ETHNICITY", "DK_POLITICS",
                "DK_SEXUAL_ORIENTATION", "DK_CRIMINAL", "DK_PERSONAL_DETAILS")

    def load(self) -> None:
        _lexicon()

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for group, m in lexicon_terms(text):
            entity = entity_of(group)
            if entity in entities and self._about_person(text, group, m):
                results.append(self.result(entity, m.start(), m.end(), SCORE_NEAR_PERSON))
        return results

    @staticmethod
    def _about_person(text: str, group: str, m: re.Match) -> bool:
        if group in NEXT_TO_PERSON:
            return next_to_person(text, m.start(), m.end())
        if person_near(text, m.start(), m.end()):
            return True
        lo, hi = scope(text, m.start(), m.end())
        return names_person(text[lo:hi])
