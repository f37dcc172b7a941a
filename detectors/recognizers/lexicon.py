"""The lexicon recogniser: personal details, special categories (Art. 9) and criminal offences.

The terms are Danish regular expressions in detectors/data/lexicons_da.yaml, one list
per entity type, matched in one pass. A word such as `sygemeldt` or `straffeattest` is only about a person
when a person is nearby, so a term is reported only when the same stretch of text
(`WINDOW` characters either side) refers to one: a pronoun or role word (han, hun,
medarbejderen …) or a known first name. Scores are conservative.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import DATA_DIR, first_names, name_words

WINDOW = 80
SCORE_NEAR_PERSON = 0.6
_PERSON_WORD = re.compile(
    r"(?i)\b(?:han|hun|ham|hende|hans|hendes|du|din|dit|dine|jeg|min|mit|mine|medarbejder(?:en|ens)?|"
    r"den ansatte|ansatte|kollega(?:en)?|elev(?:en)?|kunden|patient(?:en)?|borger(?:en)?|hr\.|fru)\b")
_CAPITALISED = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+\b")


def person_near(text: str, start: int, end: int) -> bool:
    """Whether a pronoun, a role word or a known first name stands within WINDOW of text[start:end]."""
    lo, hi = max(0, start - WINDOW), end + WINDOW
    if _PERSON_WORD.search(text, lo, hi):
        return True
    names = first_names()
    return any(m.group() in names and m.group() not in name_words() for m in _CAPITALISED.finditer(text, lo, hi))


@lru_cache(maxsize=None)
def lexicon_pattern() -> re.Pattern:
    """One alternation of every lexicon's terms, a named group per entity type."""
    data = yaml.safe_load((DATA_DIR / "lexicons_da.yaml").read_text(encoding="utf-8"))
    groups = [f"(?P<{entity}>" + "|".join(f"(?:{t})" for t in terms) + ")" for entity, terms in data.items()]
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE)


class DkLexiconRecognizer(ScoredRecognizer):
    """Lexicon terms of every type, reported when a person is referred to nearby."""

    ENTITIES = ("DK_HEALTH", "DK_TRADE_UNION", "DK_RELIGION", "DK_ETHNICITY", "DK_POLITICS",
                "DK_SEXUAL_ORIENTATION", "DK_CRIMINAL", "DK_PERSONAL_DETAILS")

    def load(self) -> None:
        lexicon_pattern()

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for m in lexicon_pattern().finditer(text):
            if m.lastgroup in entities and person_near(text, m.start(), m.end()):
                results.append(self.result(m.lastgroup, m.start(), m.end(), SCORE_NEAR_PERSON))
        return results
