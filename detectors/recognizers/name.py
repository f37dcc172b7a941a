"""Danish person names without a language model: name lists, capitalisation, context and position.

One compiled regex finds runs of capitalised words (hyphenated and double names, æøå,
middle initials such as `M.`); each run is then judged by set look-ups in the bundled
first-name and surname lists (detectors/data) and by what stands around it:

- a known first name followed by known names (`Mette Kjær Hansen`) is a name;
- a known first name followed by unknown capitalised words (`Mette Qvistgaard`) is
  probably one (Danish does not capitalise ordinary nouns); at a sentence start only as the
  subject of running prose (`Jan Fahrenkrug har …`);
- a single known name counts when context says a person is meant: a title (`Direktør`,
  `amtsdirektør`, `hr.`), a greeting (`Hej`, `Kære`, `Med venlig hilsen`), a verb of saying
  after a quotation (`…, " siger Dalmark`), `Att.:`, or an e-mail display name (`Mette <m@…>`);
- by position: the value of a person field or column (`Navn:`, `Medarbejder:`, `Pårørende 2:`,
  `Elevnavn:`; table cells arrive as `header: value`) is a name, foreign or upper-case too
  (`field_names`); two or three unknown words right before a relation (`Weena Qvist Søster`)
  are one.

Town names, relation and title words (`Søster`, `Direktør`) stop a run; words inside an
address (address.py) are no name, nor is a genitive before a street or building word (`Niels
Bohrs Allé`, `H.C. Andersens Boulevard`). A word at the start of a sentence (unless a first
name opens running Danish prose: `Anders fortalte, at …`, not `Will it run?`), and a name
that is also an ordinary word (`Bo`, `Skov`, `Mark`: name_words_da.txt,
word_first_names_da.txt), need more evidence; a lone known surname counts in the middle of a
sentence. An unknown capitalised word right before a known surname mid-sentence (`kollega
Odeline Mathiesen`) is a name too; a run right before `A/S`, `ApS` … is a company, and one
right after a known postcode is a town.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from detectors.recognizers.address import address_spans
from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import PLACES, first_names, name_words, postcodes, surnames, town_words

_WORD = r"[A-ZÆØÅÉ][a-zæøåéüöäë]+(?:-[A-ZÆØÅÉ][a-zæøåéüöäë]+)*"
_INITIAL = r"[A-ZÆØÅ]\.(?=[ \t]*[A-ZÆØÅ])"
RUN = re.compile(rf"(?<![\w@.\-])(?:{_INITIAL}[ \t]*){{0,3}}{_WORD}(?:[ \t]+(?:{_INITIAL}[ \t]*)*{_WORD}){{0,4}}(?![\w@\-])")
_SPLIT = re.compile(rf"{_WORD}|{_INITIAL}")

# Context: the word right before a name (lower case), by what it announces.
FIELD_WORDS = frozenset("""navn fornavn efternavn kontaktperson kontakt medarbejder ansat sagsbehandler ansvarlig
    modtager afsender att attn name contact elev patient pårørende underskrift ejer indehaver foto fotograf
    journalist redaktør forfatter""".split())
GREETING_WORDS = frozenset("""hej hejsa kære goddag hi hello dear hilsen hilsner vh mvh knus tak att attn cc
    hr fru frk dr mr mrs ms prins prinsesse kong dronning""".split())
TITLE_WORDS = frozenset("""prof direktør konsulent chef leder advokat revisor læge sygeplejerske formand næstformand
    medarbejder medarbejderen kollega kollegaen ansatte kunden mor far søn datter bror søster kone hustru mand
    ægtefælle kæreste barnet lærer pædagog ingeniør sælger bogholder assistent elev praktikant""".split())
RELATION_WORDS = frozenset("""mor far søn datter bror søster kone hustru mand ægtefælle kæreste samlever forælder
    forældre barn svigermor svigerfar svigersøn svigerdatter onkel tante fætter kusine nevø niece bedstemor bedstefar
    farmor farfar mormor morfar barnebarn papfar papmor bonusmor bonusfar stedfar stedmor partner værge
    pårørende""".split())
_RELATION_AFTER = re.compile(rf"[ \t]*[,(]?[ \t]*(?i:{'|'.join(sorted(RELATION_WORDS, key=len, reverse=True))})\b")
ROLE_WORDS = TITLE_WORDS | RELATION_WORDS | FIELD_WORDS  # capitalised in a table cell (`Søster`), they end a name
# a lower-case word ending so is a title before a name (`amtsdirektør Bo Smith`, `udenrigsminister …`)
TITLE_ENDINGS = ("direktør", "minister", "formand", "chef", "præsident", "borgmester", "professor", "sekretær",
                 "rådgiver", "konsulent", "ordfører", "redaktør", "journalist", "forfatter", "kunstner", "advokat",
                 "læge", "dommer", "inspektør", "psykolog", "mester")  # not `leder`, `træner`: also verbs
# a verb of saying right after a quotation or a comma: the capitalised word after it is who said it
REPORTING_VERBS = frozenset("""siger sagde spurgte spørger svarer svarede forklarer forklarede mener mente fortæller
    fortalte tilføjer tilføjede understreger understregede påpeger påpegede konstaterer konstaterede udtaler udtalte
    råber råbte erkender erkendte vurderer vurderede""".split())
_REPORTED = re.compile(r"[\"”'»,][ \t]*[a-zæøå]+[ \t]+$")
STREET_NOUNS = frozenset("""Vej Gade Allé Alle Boulevard Plads Torv Stræde Vænge Park Have Gård Stien Sti Bakke Vænget
    Kvarter Skole Skolen Gymnasium Hospital Kirke Bro Hus Huset Minde Anlæg Institut Instituttet Fond Fonden""".split())
NOT_PERSON_NAMES = frozenset("""firma virksomhed bruger user fil file produkt product vej gade by bank domæne domain
    server projekt project company skole institution afdeling department vare item konto account
    mappe folder host computer maskine printer enhed device app program system kategori category kursus course
    firm organisation organization forening team gruppe group rolle role""".split())
PARTICLES = frozenset("van von der den de da di la le du dos das del bin ibn al el af zu ten ter".split())
NO_VALUE_WORDS = frozenset("""ingen ukendt intet nej ja se n/a na none unknown tbd ikke anonym anonymiseret
    slettet deleted x xx""".split())
_NAME_TOKEN = r"(?:[A-ZÆØÅÉÜÖÄ][\wæøåÆØÅéüöä'’.\-]*|(?:van|von|der|den|de|da|di|la|le|du|bin|ibn|al|el|af)(?=[ \t]+[A-ZÆØÅ]))"
_HEADER_START = re.compile(r"(?:^|[\n\t;|])[ \t]*([A-Za-zÆØÅæøå]+)(?:[ \t]+[a-zæøå]+){1,2}[ \t]+$")
_FIELD_COLON = re.compile(r"[:=](?=[ \t]*[A-Za-zÆØÅæøåÉ])")
_FIELD_VALUE = re.compile(
    rf"[ \t]*({_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,5}}(?:,[ \t]*{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,2}}(?=[ \t]*(?:\n|$)))?)"
    rf"(?=[ \t]*(?:$|[\n,;(|\t/]|[ \t]+[a-zæøå\d]|[ \t]*-))")
_POSTCODE_BEFORE = re.compile(r"(?<!\d)(\d{4})[ \t]+$")
# English words that no Danish sentence puts right after its subject: a README's `Will it …`, `Max file size`
ENGLISH_WORDS = frozenset("""the is are was were will would can could should shall it its this that these those you
    your we they he she his of and or not with has have had does did been being from which who what when where
    file files size releases feedback access issue issues bug bugs data default version""".split())
_NOUN_AFTER = re.compile(r"[ \t]+(?!og\b|eller\b|og/eller\b)[a-zæøå]")
_ROW_AFTER = re.compile(r"[ \t]*(?:[;|\t]|\(?\+\d|\d{2}[ \-]?\d{2}|<?[\w.\-]+@)")
_VERB_AFTER = re.compile(r" [a-zæøå]{2,}\b")
_PROSE_AFTER = re.compile(r" [a-zæøå]+,? [a-zæøå]")
_DISPLAY_NAME_AFTER = re.compile(r"\"?[ \t]*<[^<>@\s]+@")
_COMPANY_AFTER = re.compile(r"(?:[ \t]+[A-ZÆØÅ][\wæøåÆØÅ&\-]*){0,2}[ \t]*(?:A/S|ApS|I/S|K/S|P/S|IVS|A\.m\.b\.a\.|AMBA|&[ \t]*(?:Co|Søn|Sønner)|Holding)\b")
_LINE_ENDS = ".!?\n"
_SENTENCE_ENDS = ".!?:;\n\"'(-–•*"

SCORE_FULL = 0.85        # first name + known surname/first name, or any run after a field header
SCORE_FIRST_UNKNOWN = 0.65  # first name + unknown capitalised word
SCORE_CONTEXT_SINGLE = 0.75  # one known name after a title/greeting/header
SCORE_UNKNOWN_FIRST = 0.6  # unknown capitalised word + known surname, mid-sentence
SCORE_SINGLE = 0.5       # one known first name mid-sentence: at the default threshold
SCORE_WEAK = 0.4         # weaker evidence: under the default threshold


@lru_cache(maxsize=65536)
def _known(word: str) -> str:
    """'F' first name, 'S' surname, 'P' place, 'U' unknown; lower case 'f'/'s' for a genitive (`Mettes`).

    A place (`Paris`, `Danmarks`) wins over a name, a postcode town only over a word that
    is no name (`Flemming` is both: a name, weak alone, see name_words_da.txt)."""
    if len(word) == 2 and word[1] == ".":
        return "F"  # an initial: `H. C. Andersen`
    if word.casefold() in ROLE_WORDS:
        return "P"  # `Weena Paulsen Søster`: a relation or a title is no part of the name
    base = word[:-1] if word.endswith("s") and len(word) > 3 else ""
    if word in PLACES or base in PLACES or (
            (word in town_words() or base in town_words()) and word not in first_names() and word not in surnames()):
        return "P"
    for w, genitive in ((word, False), (base, True)):
        parts = w.split("-") if w else ()
        kind = "F" if parts and all(p in first_names() for p in parts) else \
            "S" if parts and all(p in surnames() or p in first_names() for p in parts) else ""
        if kind:
            return kind.lower() if genitive else kind
    return "P" if word in town_words() else "U"


def _before(text: str, start: int) -> tuple[str, str]:
    """The word right before `start` (lower case) and the characters between it and `start`."""
    k = start
    while k > 0 and start - k < 6 and not text[k - 1].isalnum():
        k -= 1
    j = k
    while j > 0 and k - j < 20 and text[j - 1].isalnum():
        j -= 1
    return text[j:k].lower(), text[k:start]


def _starts_sentence(text: str, start: int, ends: str) -> bool:
    """Whether text[start] opens a sentence (or line): only spaces between it and one of `ends`."""
    k = start
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    return k == 0 or text[k - 1] in ends


def _maybe_greeted(text: str, start: int, run_end: int) -> bool:
    """A quick look whether a greeting word stands shortly before `start` or an e-mail address
    follows the run: only then is an unknown word worth `_announced`."""
    before = text[max(0, start - 20):start].lower().replace(",", " ").replace(".", " ").split()
    return bool(GREETING_WORDS.intersection(before) or REPORTING_VERBS.intersection(before[-1:])) \
        or bool(_DISPLAY_NAME_AFTER.match(text, run_end, run_end + 80))


def _announced(text: str, start: int, end: int) -> str:
    """What says a person is meant at text[start:end]: 'greeting' (Hej, Med venlig hilsen, hr.,
    fru, or an e-mail address after it), 'title' (Direktør, kollega, a field header), or ''."""
    word, between = _before(text, start)
    if word in GREETING_WORDS or _DISPLAY_NAME_AFTER.match(text, end, end + 80):
        return "greeting"
    if word in TITLE_WORDS or word.endswith(TITLE_ENDINGS) or (word in FIELD_WORDS and (":" in between or "=" in between)):
        return "title"
    if word in REPORTING_VERBS and _REPORTED.search(text, max(0, start - 40), start):
        return "greeting"  # `…, " sagde Dalmark`: the one who speaks (any capitalised word)
    return ""


def person_field(header: str) -> bool:
    """Whether a field or column header (its last word, lower case) announces a person's name:
    `Navn`, `Medarbejder`, `Pårørende`, `Name`, or a compound such as `Elevnavn` (not `Firmanavn`)."""
    if header in FIELD_WORDS:
        return True
    for ending in ("navn", "name"):
        if header.endswith(ending) and len(header) > len(ending):
            return header[:-len(ending)].rstrip("-_ ") not in NOT_PERSON_NAMES
    return False


def field_names(text: str) -> list[tuple[int, int, float]]:
    """Names that are the value of a person field (`Navn: NGUYEN Thi Lan`, `Pårørende: Anna van Dijk`,
    `Medarbejder: Holm, Birgitte`): table cells arrive as `header: value`, so this is also the column.
    Any capitalised or upper-case words count (foreign names too), up to the first other word."""
    out = []
    for colon in _FIELD_COLON.finditer(text):
        k = colon.start()
        j = k
        while j > 0 and text[j - 1] in " \t)0123456789.#":  # `Kontaktperson (navn):`, `Pårørende 2:`
            j = text.rfind("(", max(0, j - 25), j) if text[j - 1] == ")" else j - 1
            if j < 0:
                break
        i = j
        while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "-_"):
            i -= 1
        if j <= i:
            continue
        first = _HEADER_START.search(text, max(0, i - 30), i)  # `Kontakt ved ulykke:`
        if not person_field(text[i:j].casefold()) and not (first and person_field(first.group(1).casefold())):
            continue
        span = _value_name(text, colon.end())
        if span:
            out.append((*span, SCORE_FULL))
    return out


def _value_name(text: str, start: int) -> tuple[int, int] | None:
    """The name at the start of a field's value, or None."""
    m = _FIELD_VALUE.match(text, start)
    if not m or m.group(1).split()[0].strip(",.").casefold() in NO_VALUE_WORDS:
        return None
    end = m.start(1)
    for token in re.finditer(r"[^ \t,]+", m.group(1)):
        if token.group().casefold() in ROLE_WORDS:
            break  # `Signe Bech  Pårørende 2: …`: the next cell's header
        end = m.start(1) + token.end()
    if end == m.start(1) or (" " not in text[m.start(1):end].strip() and _NOUN_AFTER.match(text, end)):
        return None  # `Ansvarlig: Teknisk afdeling`: one capitalised word before a noun
    if _COMPANY_AFTER.match(text, start, end + 20) or _COMPANY_AFTER.match(text, end, end + 20):
        return None
    if not any(w[0].isupper() and w.casefold() not in PARTICLES for w in m.group(1).replace(",", " ").split()):
        return None
    return m.start(1), end


class DkNameRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish person names (entity PERSON)."""

    ENTITY = "PERSON"

    def load(self) -> None:
        first_names(), surnames(), town_words(), name_words()

    def find(self, text):
        return names_in(text)

    @staticmethod
    def _find(text):
        fields = field_names(text)
        yield from fields
        # words inside an address are a street or a town; a field's value is found already
        taken = sorted([(s, e) for s, e, _ in address_spans(text)] + [(s, e) for s, e, _ in fields])
        starts = [t[0] for t in taken]
        for run in RUN.finditer(text):
            for start, end, score in DkNameRecognizer._names_in_run(text, run):
                i = bisect.bisect_right(starts, start) - 1
                if not (0 <= i and start < taken[i][1]) and not (i + 1 < len(starts) and starts[i + 1] < end):
                    yield start, end, score

    @staticmethod
    def _names_in_run(text: str, run: re.Match) -> list[tuple[int, int, float]]:
        words = [(m.start() + run.start(), m.end() + run.start()) for m in _SPLIT.finditer(run.group())]
        kinds = [_known(text[s:e]) for s, e in words]
        word, between = _before(text, run.start())
        if _COMPANY_AFTER.match(text, run.end(), run.end() + 20):
            return []  # `Pedersen Emballage A/S`, `Kontakt: Interket A/S`
        if word in FIELD_WORDS and (":" in between or "=" in between):
            if text[words[0][0]:words[0][1]].casefold() in NO_VALUE_WORDS or (
                    len(words) == 1 and _NOUN_AFTER.match(text, run.end())):
                return []  # `Navn: Ukendt`, `Ansvarlig: Teknisk afdeling`
            # `Navn: Xiomara Quist`: the whole run is the value (less a trailing town)
            j = len(words)
            while j > 0 and kinds[j - 1] == "P":
                j -= 1
            return [(words[0][0], words[j - 1][1], SCORE_FULL)] if j else []
        postcode = _POSTCODE_BEFORE.search(text, max(0, run.start() - 6), run.start())
        if postcode and postcode.group(1) in postcodes():
            return []  # `8586 Ørum Djurs`: a town (but `… 260996 3517 Weena Paulsen`: a name after a number)
        out = []
        i = 0
        while i < len(words):
            announced = _name_starts_here(text, words, kinds, i, run.end())
            if announced is None:
                i += 1
                continue
            j = i + 1
            while j < len(words) and kinds[j - 1].isupper() and kinds[j] in ("F", "S", "U", "f", "s"):
                j += 1  # a name runs on over known and unknown words, and ends after a genitive
            street = kinds[j - 1] in ("f", "s") and j < len(words) and text[words[j][0]:words[j][1]] in STREET_NOUNS
            initials = all(e - s == 2 and text[e - 1] == "." for s, e in words[i:j])  # `H.C.` before a place
            if not street and not initials:
                out.append((words[i][0], words[j - 1][1], _score(text, words, kinds, i, j, announced)))
            i = j  # `Niels Bohrs Allé`, `H.C. Andersens Boulevard`: a street named after a person
        return out or _before_relation(text, words, kinds, run.end())



@lru_cache(maxsize=4)
def names_in(text: str) -> tuple[tuple[int, int, float], ...]:
    """`DkNameRecognizer.find` (cached: the lexicon recogniser and the Detector ask for the same text's names)."""
    return tuple(DkNameRecognizer._find(text))


def _name_starts_here(text: str, words: list[tuple[int, int]], kinds: list[str], i: int, run_end: int) -> str | None:
    """None when no name starts at words[i]; else what announces it ('greeting', 'title' or '').

    A name starts with a known first name; with an unknown word right before a known
    surname mid-sentence (`kollega Odeline Mathiesen`) or after a greeting (`Kære Rosa`);
    with a surname after a title (`Direktør Hansen`) or standing alone mid-sentence."""
    kind, nxt = kinds[i].upper(), kinds[i + 1] if i + 1 < len(kinds) else ""
    start, end = words[i]
    if kind == "P":
        return None
    before_surname = nxt in ("S", "s") and text[words[i + 1][0]:words[i + 1][1]] not in name_words() \
        and not _starts_sentence(text, start, _LINE_ENDS)
    if kind == "U" and not before_surname and not _maybe_greeted(text, start, run_end):
        return None  # the quick test first: most unknown capitalised words start a sentence
    announced = _announced(text, start, words[-1][1])
    if kind == "U" and not before_surname and announced != "greeting" and not (
            announced == "title" and i == len(words) - 1 and _VERB_AFTER.match(text, end) is None
            and not _starts_sentence(text, start, _SENTENCE_ENDS)):
        return None  # (but `politimester Dahlfelt, der …`: after a title, followed by punctuation)
    lone_surname = kind == "S" and nxt == "" and not announced
    if lone_surname and (kinds[i] == "s" or i > 0 or _starts_sentence(text, start, _SENTENCE_ENDS)
                         or text[start:end] in name_words()):
        return None  # `Jensens Bøfhus`, `Nielsen sagde` at a sentence start, `Skov`
    return announced


def _before_relation(text: str, words: list[tuple[int, int]], kinds: list[str], run_end: int) -> list[tuple[int, int, float]]:
    """Unknown words right before a relation (`Weena Qvist Søster`, `Ama Owusu (mor)` in an emergency-contact
    table): a name. Two or three words, none a place, not at a sentence start."""
    if len(words) < 2 or _starts_sentence(text, words[0][0], _SENTENCE_ENDS):
        return []
    r = next((k for k, (s, e) in enumerate(words) if text[s:e].casefold() in RELATION_WORDS), None)
    if r is None and len(words) <= 3 and _RELATION_AFTER.match(text, run_end):
        r = len(words)
    if r is None or not 2 <= r <= 3 or "P" in kinds[:r]:
        return []
    return [(words[0][0], words[r - 1][1], SCORE_UNKNOWN_FIRST)]


def _subject(text: str, end: int) -> bool:
    """Whether the name ending at `end` is the subject of running Danish prose (`… har studeret`, `…, ekspert`)."""
    after = text[end:end + 30]
    if _ROW_AFTER.match(after):
        return True  # `Mette Sagild +45 20 30 40 50`, `Ida Krag; ik@firma.dk`: a row of a contact list
    return bool(_VERB_AFTER.match(after) or after.startswith(", ")) and \
        not ENGLISH_WORDS.intersection(after.replace(",", " ").split()[:3])


def _score(text: str, words: list[tuple[int, int]], kinds: list[str], i: int, j: int, announced: str) -> float:
    """The confidence that words[i:j] is a person's name."""
    span = [k.upper() for k in kinds[i:j]]
    first = text[words[i][0]:words[i][1]]
    at_sentence_start = _starts_sentence(text, words[i][0], _SENTENCE_ENDS) and not (
        text[words[i][0] - 1:words[i][0]] == "(" and text[words[j - 1][1]:words[j - 1][1] + 1] == ")")  # `(Ann Sheridan)`
    if announced:
        return SCORE_FULL if len(span) >= 2 else SCORE_CONTEXT_SINGLE
    if len(span) >= 2 and span[0] != "U":
        if "U" not in span:
            return SCORE_FULL
        if span[-1] == "U" and (first in name_words() or at_sentence_start and not _subject(text, words[j - 1][1])):
            return SCORE_WEAK  # `Per Mail` at the start of a line (but `Jan Caroc har studeret …`: a subject)
        return SCORE_FIRST_UNKNOWN
    if len(span) >= 2:
        return SCORE_UNKNOWN_FIRST  # `kollega Odeline Mathiesen`
    # one word: at a sentence start only as the subject of running prose (`Lars sagde`), and
    # a name that is also a word (`Tage`, `Bo`) only in the middle of a sentence
    prose = kinds[i] == "F" and first not in name_words() and _subject(text, words[i][1])  # not `Will it work?`
    return SCORE_WEAK if at_sentence_start and not prose else SCORE_SINGLE
