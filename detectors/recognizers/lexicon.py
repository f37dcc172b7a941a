"""The lexicon recogniser: personal details, special categories (Art. 9) and criminal offences.

The terms are Danish regular expressions in detectors/data/lexicons_da.yaml, one list per
group, matched in one pass; a group is an entity type, or one of `GROUP_ENTITY` (interests
and relatives are personal details). A word such as `sygemeldt` or `løber maraton` is only
about a person when a person is there, so a term is reported when

- a pronoun or role word (han, hun, medarbejderen …) or a known first name stands within
  `WINDOW` characters, or
- its paragraph or table row (text between blank lines or segments, at most `SCOPE_CHARS`
  either side) names a person: a name, or a person field (`Navn:`, `Medarbejder:`).

An item of a numbered or bulleted list is its own paragraph (`3. Ny politik for sygefravær`
is about no one). A relative (`søster`, `samlever`: `NEXT_TO_PERSON` groups) is a personal
detail only right next to a person (`RELATIVE_REACH`, same line): `Weena Paulsen, søster`,
`hans samlever`, or as the whole value of a record's field (`Relation: Søster`) in a record
that names a person. Terms in an address or in a table's header line (`Allergier` as a
column label) are no terms.
A short document that names one person (a sick-leave record) makes its terms about that
person: the Detector does that across the segments of an item (`document_terms`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from re import _casefix, _constants as _c, _parser  # to read each term's first letters (see _beginnings)
from functools import lru_cache

import yaml

from detectors.recognizers.address import address_spans
from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import DATA_DIR, first_names, name_words
from detectors.recognizers.name import names_in, person_field
from detectors.recognizers.table import tables
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
_WORD_START = re.compile(rf"(?<!\w)(?!{SEGMENT_GAP_WORD})[^\W\d_]{{1,2}}")  # terms start with a letter
_PARAGRAPH_END = re.compile(rf"\n[ \t]*\n|{SEGMENT_GAP_WORD}")
_FIELD = re.compile(r"([A-Za-zÆØÅæøå][\wæøåÆØÅ\-]*)[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*:")
_LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[a-z][.)]|[-•*–])[ \t]")
_FIELD_BEFORE = re.compile(r"[ \t]*[A-Za-zÆØÅæøå][\w .\-æøåÆØÅ]{0,40}:[ \t]*")
# a term as the topic of a rule, a course or a statistic, not about someone (`politik for sygefravær`)
_ABOUT_A_TOPIC = re.compile(r"(?i)(?<!\w)(?:politik|procedure|regler|retningslinjer|kursus|kurset|kurser|pjece|statistik|"
                            r"håndtering|forebyggelse|oplæg|foredrag|temadag|policy)(?:en|er|erne)? (?:for|om|af|ved|mod)"
                            r"(?: \w+){0,2} $")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")


def person_near(text: str, start: int, end: int, reach: int = WINDOW, bounds: tuple[int, int] | None = None) -> bool:
    """Whether a pronoun, a role word or a known first name stands within `reach` of text[start:end]
    (and within `bounds`, when given)."""
    lo, hi = max(0, start - reach), end + reach
    if bounds:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    if _PERSON_WORD.search(text, lo, hi):
        return True
    names = first_names()
    return any(m.group() in names and m.group() not in name_words() for m in _CAPITALISED.finditer(text, lo, hi))


def names_person(text: str, lo: int, hi: int, names: list[tuple[int, int]], outside: tuple[int, int] = (0, 0)) -> bool:
    """Whether text[lo:hi] names a person (outside text[outside[0]:outside[1]]): one of `names` (the
    text's names at the default threshold), or a person field."""
    return any(s < hi and e > lo and (e <= outside[0] or s >= outside[1]) for s, e in names) \
        or any(person_field(m.group(1).casefold()) for m in _FIELD.finditer(text, lo, hi))


def about_a_topic(text: str, start: int) -> bool:
    """Whether the term at `start` is the topic of a rule, a course or a statistic (`politik for sygefravær`)."""
    before = text[max(0, start - 40):start]
    return any(w in before for w in (" for ", " om ", " af ", " ved ", " mod ")) \
        and bool(_ABOUT_A_TOPIC.search(text, max(0, start - 40), start))


def list_item(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line of text[start:end] when it is an item of a numbered or bulleted list (`3. Ny politik for
    sygefravær …`, `- …`): an agenda item is about what it names, not about the people of the items
    around it. None otherwise."""
    lo = text.rfind("\n", 0, start) + 1
    if not _LIST_ITEM.match(text, lo, start):
        return None
    hi = text.find("\n", end)
    return lo, len(text) if hi < 0 else hi


def field_value(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the whole value of a field on its line (`Relation: Søster`)."""
    lo = text.rfind("\n", 0, start) + 1
    return bool(_FIELD_BEFORE.fullmatch(text, lo, start) and _LINE_END.match(text, end))


def scope(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph or row around text[start:end]: up to a blank line or a segment gap, at most SCOPE_CHARS;
    an item of a list only (`list_item`)."""
    item = list_item(text, start, end)
    if item:
        return item
    lo, hi = max(0, start - SCOPE_CHARS), min(len(text), end + SCOPE_CHARS)
    for m in _PARAGRAPH_END.finditer(text, lo, start):
        lo = m.end()
    m = _PARAGRAPH_END.search(text, end, hi)
    return lo, m.start() if m else hi


def next_to_person(text: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """Whether a person is named or referred to right next to text[start:end], on its line."""
    lo = max(text.rfind("\n", max(0, start - RELATIVE_REACH), start) + 1, start - RELATIVE_REACH)
    hi = text.find("\n", end, end + RELATIVE_REACH)
    hi = hi if hi >= 0 else min(len(text), end + RELATIVE_REACH)
    return bool(_PERSONAL_PRONOUN.search(text, lo, hi)) or names_person(text, lo, hi, names, (start, end))


def _beginnings(items, n: int) -> set[tuple[str, bool]]:
    """(beginning, whole) of a parsed regex: every match starts with one of the beginnings (lower case, at
    most `n` characters; shorter: anything may follow); `whole`: the match is the beginning so far."""
    out = {("", True)}
    for op, av in items:
        if not any(whole and len(p) < n for p, whole in out):
            break
        if op is _c.LITERAL:
            step = {(chr(av).lower(), True)}
        elif op is _c.IN and all(o is _c.LITERAL for o, _ in av):
            step = {(chr(a).lower(), True) for _, a in av}
        elif op is _c.SUBPATTERN:
            step = _beginnings(av[-1].data, n)
        elif op is _c.BRANCH:
            step = set().union(*(_beginnings(b.data, n) for b in av[1]))
        else:
            return {(p, False) for p, _ in out}  # what follows is not known: the beginnings so far stand
        out = {((p + q)[:n], whole and len(p + q) <= n) if extends and len(p) < n else (p, False)
               for p, extends in out for q, whole in step}
    return out


def _trie(beginnings: set[str]) -> str:
    """A regex matching any of `beginnings`, as a trie (few alternatives tried at each character)."""
    rests: dict[str, set[str]] = {}
    for b in beginnings:
        rests.setdefault(b[0], set()).add(b[1:])
    return "(?:" + "|".join(re.escape(c) + ("" if "" in r else _trie(r)) for c, r in sorted(rests.items())) + ")"


FIRST_CHARS = 4  # `lexicon_terms` looks first for where a term's first characters stand


@dataclass(frozen=True)
class _Lexicon:
    """The lexicon's terms, ready to be found (`_lexicon`)."""

    patterns: dict[str, re.Pattern]  # the terms that can start with a beginning (two letters, or one)
    groups: dict[str, str]  # the lexicon group of each named group in the patterns
    firsts: re.Pattern  # where a term's first FIRST_CHARS characters (lower case) stand at a word start
    folded: re.Pattern  # characters IGNORECASE matches as a term's character that `str.lower` does not make it


@lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    """The lexicon's terms as one regex per beginning (two letters, or one) a term can start with.

    `lexicon_terms` tries at each word start only the regex of its beginning: most words have
    none, and one alternation of some 300 terms tried at every word costs a fifth of detection;
    it looks for the word starts where a term's first characters stand first (in the lower-case
    text, where those of every match of a term stand: `ſ` and `ı` aside, which IGNORECASE reads as `s`, `i`)."""
    data = yaml.safe_load((DATA_DIR / "lexicons_da.yaml").read_text(encoding="utf-8"))
    names = {f"g{i}": group for i, group in enumerate(data)}
    terms = []  # (named group, term, beginnings)
    firsts: set[str] = set()
    for name, group in names.items():
        for term in data[group]:
            parsed = _parser.parse(term, re.IGNORECASE).data
            beginnings = {b for b, _ in _beginnings(parsed, 2)}
            if "" in beginnings:
                raise ValueError(f"lexicon term {term!r} must start with known letters")
            terms.append((name, term, beginnings))
            firsts |= {b for b, _ in _beginnings(parsed, FIRST_CHARS)}
    keys = {b for _, _, beginnings in terms for b in beginnings} | {b[0] for _, _, bs in terms for b in bs}
    patterns = {}
    for key in keys:
        chosen: dict[str, list[str]] = {}
        for name, term, beginnings in terms:
            if key in beginnings or key[0] in beginnings:
                chosen.setdefault(name, []).append(term)
        if chosen:
            patterns[key] = re.compile("(?:" + "|".join(
                f"(?P<{name}>" + "|".join(f"(?:{t})" for t in ts) + ")" for name, ts in chosen.items()) + r")(?!\w)",
                re.IGNORECASE)
    folded = {chr(c) for k in set("".join(firsts)) for c in _casefix._EXTRA_CASES.get(ord(k), ())
              if chr(c).lower() != k}
    return _Lexicon(patterns, names, re.compile(rf"(?<!\w)(?={_trie(firsts)})"),
                    re.compile("[" + re.escape("".join(sorted(folded))) + "]" if folded else "(?!)"))


def lexicon_groups() -> set[str]:
    """The lexicon groups of the YAML file (entity types, DK_INTERESTS, DK_RELATIVES)."""
    return set(_lexicon().groups.values())


def lexicon_terms(text: str) -> Iterator[tuple[str, re.Match]]:
    """(lexicon group, match) of every term in `text`."""
    lexicon = _lexicon()
    patterns, names = lexicon.patterns, lexicon.groups
    lower = text.lower()
    if len(lower) == len(text) and not lexicon.folded.search(text):  # a term's first characters stand in `lower`
        starts = (m.start() for m in lexicon.firsts.finditer(lower))
        words = (w for w in map(_WORD_START.match, repeat(text), starts) if w)
    else:
        words = _WORD_START.finditer(text)
    end = 0
    for w in words:
        if w.start() < end:
            continue
        two = w.group().lower()
        pattern = patterns.get(two) or patterns.get(two[0])
        m = pattern.match(text, w.start()) if pattern else None
        if m:
            end = m.end()
            yield names[m.lastgroup], m


def entity_of(group: str) -> str:
    return GROUP_ENTITY.get(group, group)


def document_terms(text: str) -> Iterator[tuple[str, int, int]]:
    """(entity, start, end) of the terms in `text` that a document about one person makes about
    that person (every group but relatives)."""
    addresses = list(address_spans(text)) + [(*table.header, 0.0) for table in tables(text)]
    for group, m in lexicon_terms(text):
        if group not in NEXT_TO_PERSON and not any(s < m.end() and m.start() < e for s, e, _ in addresses):
            yield entity_of(group), m.start(), m.end()


class DkLexiconRecognizer(ScoredRecognizer):
    """Lexicon terms of every type, reported when they are about a person (see the module docstring)."""

    ENTITIES = ("DK_HEALTH", "DK_TRADE_UNION", "DK_RELIGION", "DK_ETHNICITY", "DK_POLITICS",
                "DK_SEXUAL_ORIENTATION", "DK_CRIMINAL", "DK_PERSONAL_DETAILS")

    def load(self) -> None:
        _lexicon()

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        # `Marathonstræde 58`: a street, not an interest; `Navn;Telefon;Allergier`: a column label, not a remark
        addresses = list(address_spans(text)) + [(*table.header, 0.0) for table in tables(text)]
        names: list[tuple[int, int]] | None = None  # the text's names, found once when first needed
        for group, m in lexicon_terms(text):
            entity = entity_of(group)
            if entity not in entities or any(s < m.end() and m.start() < e for s, e, _ in addresses) \
                    or about_a_topic(text, m.start()):
                continue
            if group not in NEXT_TO_PERSON and person_near(text, m.start(), m.end(),
                                                           bounds=list_item(text, m.start(), m.end())):
                about_person = True
            else:
                if names is None:
                    names = [(s, e) for s, e, score in names_in(text) if score >= 0.5]
                if group in NEXT_TO_PERSON:
                    # `Weena Paulsen, søster`; or a record's field (`Relation: Søster`) in a row that names a person
                    about_person = next_to_person(text, m.start(), m.end(), names) or (
                        field_value(text, m.start(), m.end()) and names_person(text, *scope(text, m.start(), m.end()), names))
                else:
                    about_person = names_person(text, *scope(text, m.start(), m.end()), names)
            if about_person:
                results.append(self.result(entity, m.start(), m.end(), SCORE_NEAR_PERSON))
        return results
