"""Danish person names without a language model: name lists, capitalisation and context.

One compiled regex finds runs of capitalised words (hyphenated and double names, æøå,
middle initials such as `M.`); each run is then judged by set look-ups in the bundled
first-name and surname lists (detectors/data) and by what stands around it:

- a known first name followed by known names (`Mette Kjær Hansen`) is a name;
- a known first name followed by unknown capitalised words (`Mette Qvistgaard`) is
  probably one (Danish does not capitalise ordinary nouns);
- a single known name counts when context says a person is meant: a title (`Direktør`,
  `hr.`), a greeting (`Hej`, `Kære`, `Med venlig hilsen`), `Att.:`, a table column or
  field such as `Navn:` / `Kontaktperson:`, or an e-mail display name (`Mette <m@…>`);
  after a field header any capitalised words count, known or not.
Town names stop a run, and a word at the start of a sentence needs more evidence than
one in the middle of it.
"""
from __future__ import annotations

import re

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import first_names, surnames, town_words

_WORD = r"[A-ZÆØÅÉ][a-zæøåéüöäë]+(?:-[A-ZÆØÅÉ][a-zæøåéüöäë]+)*"
RUN = re.compile(rf"(?<![\w@.\-]){_WORD}(?:[ \t]+(?:[A-ZÆØÅ]\.[ \t]+)?{_WORD}){{0,4}}(?![\w@\-])")
_SPLIT = re.compile(rf"{_WORD}")

# Context right before a run: words that announce a person.
_FIELD = re.compile(
    r"(?:navn|fornavn|efternavn|kontaktperson|kontakt|medarbejder|ansat|sagsbehandler|ansvarlig|modtager|"
    r"afsender|att|attn|name|contact|elev|patient|pårørende|underskrift|ejer|indehaver)\.?\s*[:=]\s*$", re.IGNORECASE)
_GREETING = re.compile(
    r"(?:^|\W)(?:hej|kære|goddag|hi|dear|hilsen|vh|mvh|knus|tak|att\.?|attn\.?|v/|c/o|cc)[ \t]*[,:!.]?\s*$",
    re.IGNORECASE)
_TITLE = re.compile(
    r"(?:^|\W)(?:hr|fru|frk|dr|prof|direktør|adm\.\s*direktør|konsulent|chef|leder|advokat|revisor|læge|"
    r"sygeplejerske|formand|næstformand|medarbejder|medarbejderen|kollega|kollegaen|ansatte|kunden|"
    r"mor|far|søn|datter|bror|søster|kone|hustru|mand|ægtefælle|kæreste|barnet|lærer|pædagog|"
    r"ingeniør|sælger|bogholder|assistent|elev|praktikant|mr|mrs|ms)\.?[ \t]*,?[ \t]*$",
    re.IGNORECASE)
_DISPLAY_NAME_AFTER = re.compile(r"^\"?[ \t]*<[^<>@\s]+@")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"'(\-–•*]\s*|\n\s*)$")

SCORE_FULL = 0.85        # first name + known surname/first name, or any run after a field header
SCORE_FIRST_UNKNOWN = 0.65  # first name + unknown capitalised word
SCORE_CONTEXT_SINGLE = 0.75  # one known name after a title/greeting/header
SCORE_SINGLE = 0.4       # one known name mid-sentence: under the default threshold


def _known(word: str) -> str:
    """'F' first name, 'S' surname, 'P' town, 'U' unknown; lower case 'f'/'s' for a genitive (`Mettes`)."""
    for w, genitive in ((word, False), (word[:-1] if word.endswith("s") and len(word) > 3 else "", True)):
        if not w:
            continue
        parts = w.split("-")
        kind = "F" if all(p in first_names() for p in parts) else \
            "S" if all(p in surnames() or p in first_names() for p in parts) else ""
        if kind:
            return kind.lower() if genitive else kind
    return "P" if word in town_words() else "U"


def _announced(text: str, start: int, end: int) -> bool:
    """Whether the words before text[start:end] (or an e-mail address after it) say a person is meant."""
    before = text[max(0, start - 40):start]
    return bool(_FIELD.search(before) or _GREETING.search(before) or _TITLE.search(before)
                or _DISPLAY_NAME_AFTER.match(text[end:end + 80]))


class DkNameRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish person names (entity PERSON)."""

    ENTITY = "PERSON"

    def load(self) -> None:
        first_names(), surnames(), town_words()

    def find(self, text):
        for run in RUN.finditer(text):
            yield from self._names_in_run(text, run)

    @staticmethod
    def _names_in_run(text: str, run: re.Match) -> list[tuple[int, int, float]]:
        words = [(m.start() + run.start(), m.end() + run.start()) for m in _SPLIT.finditer(run.group())]
        kinds = [_known(text[s:e]) for s, e in words]
        if _FIELD.search(text[max(0, run.start() - 40):run.start()]):
            # `Navn: Xiomara Quist`: the whole run is the value (less a trailing town)
            j = len(words)
            while j > 0 and kinds[j - 1] == "P":
                j -= 1
            return [(words[0][0], words[j - 1][1], SCORE_FULL)] if j else []
        out = []
        i = 0
        while i < len(words):
            kind = kinds[i].upper()
            announced = kind in ("F", "S") and _announced(text, words[i][0], words[-1][1])
            # a name starts with a first name, or with a surname right after a title (`hr. Jensen`)
            if not (kind == "F" or (kind == "S" and announced)):
                i += 1
                continue
            j = i + 1
            while j < len(words) and kinds[j - 1].isupper() and kinds[j] in ("F", "S", "U", "f", "s"):
                j += 1
            span = [k.upper() for k in kinds[i:j]]
            at_sentence_start = bool(_SENTENCE_START.search(text[max(0, words[i][0] - 3):words[i][0]]))
            if len(span) >= 2:
                score = SCORE_FULL if "U" not in span else SCORE_FIRST_UNKNOWN
                if at_sentence_start and span[-1] == "U" and not announced:
                    score = SCORE_SINGLE  # `Per Mail` at the start of a line: too weak
            elif announced:
                score = SCORE_CONTEXT_SINGLE
            else:
                score = SCORE_SINGLE if not at_sentence_start else 0.3
            out.append((words[i][0], words[j - 1][1], score))
            i = j
        return out
