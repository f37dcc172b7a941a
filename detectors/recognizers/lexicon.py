"""Lexicon recognisers: personal details, special categories (Art. 9) and criminal offences.

The terms are Danish regular expressions in detectors/data/lexicons_da.yaml, one list
per entity type. A word such as `sygemeldt` or `straffeattest` is only about a person
when a person is nearby, so a term is reported only when the same stretch of text
(`WINDOW` characters either side) refers to one: a pronoun or role word (han, hun,
medarbejderen …) or a capitalised name-like word pair. Scores are conservative.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import DATA_DIR

WINDOW = 80
SCORE_NEAR_PERSON = 0.6
_PERSON_NEAR = re.compile(
    r"(?i)\b(?:han|hun|ham|hende|hans|hendes|du|din|dit|dine|jeg|min|mit|mine|medarbejder(?:en|ens)?|"
    r"den ansatte|ansatte|kollega(?:en)?|elev(?:en)?|kunden|patient(?:en)?|borger(?:en)?|hr\.|fru)\b"
    r"|\b[A-ZÆØÅ][a-zæøå]+ [A-ZÆØÅ][a-zæøå]+sen\b")


@lru_cache(maxsize=None)
def lexicons() -> dict[str, re.Pattern]:
    """Entity type -> one compiled alternation of its terms."""
    data = yaml.safe_load((DATA_DIR / "lexicons_da.yaml").read_text(encoding="utf-8"))
    return {entity: re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{t})" for t in terms) + r")(?!\w)", re.IGNORECASE)
            for entity, terms in data.items()}


class LexiconRecognizer(ScoredRecognizer):
    """Terms of one lexicon, reported when a person is referred to nearby."""

    def find(self, text):
        for m in lexicons()[self.ENTITY].finditer(text):
            near = text[max(0, m.start() - WINDOW):m.end() + WINDOW]
            if _PERSON_NEAR.search(near):
                yield m.start(), m.end(), SCORE_NEAR_PERSON


def _lexicon_class(entity: str) -> type[LexiconRecognizer]:
    name = "Dk" + "".join(w.title() for w in entity.removeprefix("DK_").split("_")) + "Recognizer"
    return type(name, (LexiconRecognizer,), {"ENTITY": entity, "__doc__": f"Lexicon recogniser for {entity}."})


LEXICON_ENTITIES = ("DK_HEALTH", "DK_TRADE_UNION", "DK_RELIGION", "DK_ETHNICITY", "DK_POLITICS",
                    "DK_SEXUAL_ORIENTATION", "DK_CRIMINAL", "DK_PERSONAL_DETAILS")
LEXICON_RECOGNIZERS = tuple(_lexicon_class(e) for e in LEXICON_ENTITIES)
