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
  (`field_names`); so is a value in a list field (`Deltagere: A, B; C og D`), a value on the line
  below its label, the cell under a person column of a table written as text (`table_names`,
  table.py), and the line above an address (a recipient); two or three unknown words right
  before a relation (`Weena Qvist Søster`) are one.

Town names, relation and title words (`Søster`, `Direktør`) and business words (`VVS`,
`Revision`: a run of them is a business) stop a run; words inside an
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
from detectors.recognizers.base import ScoredRecognizer, lead
from detectors.recognizers.lists import PLACES, first_names, name_words, postcodes, surnames, town_words, word_first_names
from detectors.recognizers.table import COLUMN_LABELS, Table, tables
from detectors.types import segment_window

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"  # Latin letters with accents too: `Öztürk`, `Çelik`, `Zielińska`, `Lefèvre`
_LOWER = "a-zß-öø-ÿā-žı"
_AFTER_CAPITAL = rf"(?:['’][{_UPPER}])?[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_WORD = rf"[{_UPPER}]{_AFTER_CAPITAL}"  # `O'Brien`, `Ji-woo`
_INITIAL = r"[A-ZÆØÅ]\.(?=[ \t]*[A-ZÆØÅ])"
# the words of one name stand one space apart; two spaces or a tab end a cell (a fixed-width or tab table):
# `(?<![\w@.\-])(?:{_INITIAL}[ \t]*){0,3}{_WORD}(?: (?:{_INITIAL}[ \t]*)*{_WORD}){0,4}(?![\w@\-])`, written with
# its first capital first (base.lead), then as an initial (`H. C. Andersen`) or as the first letter of a word
RUN = re.compile(lead(f"[{_UPPER}]", r"[\w@.\-]")
                 + rf"(?:(?<=[A-ZÆØÅ])\.(?=[ \t]*[A-ZÆØÅ])[ \t]*(?:{_INITIAL}[ \t]*){{0,2}}{_WORD}|{_AFTER_CAPITAL})"
                 + rf"(?: (?:{_INITIAL}[ \t]*)*{_WORD}){{0,4}}(?![\w@\-])")
_SPLIT = re.compile(rf"{_WORD}|{_INITIAL}")

# Context: the word right before a name (lower case), by what it announces.
FIELD_WORDS = frozenset("""navn fornavn efternavn kontaktperson kontakt medarbejder ansat sagsbehandler ansvarlig
    modtager afsender att attn name contact elev patient pårørende underskrift ejer indehaver foto fotograf
    journalist redaktør forfatter af employee person""".split())  # `af`: `Registreret af:`, `Udfyldt af:`
# fields whose value is a list of people (`Deltagere: Ida Krag, Ali Haddad; Bo Holm`, `Til stede: …`, `Afbud: …`)
LIST_FIELD_WORDS = frozenset("""deltagere deltager mødedeltagere fremmødte stede afbud fraværende referent
    ordstyrer mødeleder participants attendees present absent apologies""".split())
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
ROLE_WORDS = TITLE_WORDS | RELATION_WORDS | FIELD_WORDS | LIST_FIELD_WORDS  # capitalised in a table cell (`Søster`), they end a name
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
# words of a business's name (`Granly IT`, `Havblik VVS`, `Fjordbyen Revision`): a run holding one is no person
COMPANY_WORDS = frozenset("""vvs it elektro elektrik tømrer tømrerfirma snedker murer maler malerfirma blikkenslager
    revision revisorer advokater advokatfirma consult consulting konsulenter rådgivning service services
    logistik transport spedition vognmand maskinfabrik maskiner værktøj tryk trykkeri grafisk reklame
    emballage kontorforsyning køleteknik ventilation anlægsgartner gartneri rengøring catering kantine
    byg byggeri entreprise entreprenør ejendomme ejendom bolig boliger administration invest holding
    group gruppen koncern handel import export engros auto autoværksted værksted teknik automation
    data software systems solutions design media medie marketing kommunikation foods fødevarer bageri
    slagter møbler interiør optik apotek klinik tandlægerne fysioterapi energi solar
    forsikring sparekasse pension finans leasing kommune region styrelsen ministeriet skole skolen gymnasium
    hospital hospitalet universitet forening foreningen""".split())
# the ending of a word that names a unit of an organisation, not a person (`Att.: Indkøbsafdelingen`)
UNIT_ENDINGS = ("afdeling", "afdelingen", "kontor", "kontoret", "sekretariat", "sekretariatet", "ledelse", "ledelsen",
                "direktion", "direktionen", "teamet", "gruppen", "udvalg", "udvalget", "centret", "centeret")
PARTICLES = frozenset("van von der den de da di la le du dos das del bin ibn al el af zu ten ter".split())
NO_VALUE_WORDS = frozenset("""ingen ukendt intet nej ja se n/a na none unknown tbd ikke anonym anonymiseret
    slettet deleted x xx""".split())
_NAME_TOKEN = rf"(?:[{_UPPER}][\w'’.\-]*|(?:van|von|der|den|de|da|di|la|le|du|bin|ibn|al|el|af)(?= [A-ZÆØÅ]))"
_HEADER_START = re.compile(r"(?:^|[\n\t;|])[ \t]*([A-Za-zÆØÅæøå]+)(?:[ \t]+[a-zæøå]+){1,2}[ \t]+$")
_FIELD_COLON = re.compile(r"[:=](?=[ \t]*[A-Za-zÆØÅæøåÉ])")
_FIELD_VALUE = re.compile(
    rf"[ \t]*({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,5}}(?:,[ \t]*{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,2}}(?=[ \t]*(?:\n|$)))?)"
    rf"(?=[ \t]*(?:$|[\n,;(|\t/]|[ \t]+[a-zæøå\d]|[ \t]*-))")
_LIST_VALUE = re.compile(
    rf"[ \t]*({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,5}})(?=[ \t]*(?:$|[\n,;(|\t/&]|[ \t]+[a-zæøå\d]|[ \t]*-))")
_POSTCODE_BEFORE = re.compile(r"(?<!\d)(\d{4})[ \t]+$")
# English words that no Danish sentence puts right after its subject: a README's `Will it …`, `Max file size`
ENGLISH_WORDS = frozenset("""the is are was were will would can could should shall it its this that these those you
    your we they he she his of and or not with has have had does did been being from which who what when where
    file files size releases feedback access issue issues bug bugs data default version""".split())
ENGLISH_BEFORE = ENGLISH_WORDS | {"by", "to", "for", "from", "at", "on"}  # `prepared by Grace`
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
    """'F' first name, 'S' surname, 'P' place (or role), 'C' business word, 'U' unknown; lower case 'f'/'s' for a genitive (`Mettes`).

    A place (`Paris`, `Danmarks`) wins over a name, a postcode town only over a word that
    is no name (`Flemming` is both: a name, weak alone, see name_words_da.txt)."""
    if len(word) == 2 and word[1] == ".":
        return "F"  # an initial: `H. C. Andersen`
    if word.casefold() in ROLE_WORDS:
        return "P"  # `Weena Paulsen Søster`: a relation or a title is no part of the name
    if word.casefold() in COMPANY_WORDS or word.casefold().endswith(UNIT_ENDINGS):
        return "C"  # `Havblik Rengøring`: a business; `Indkøbsafdelingen`, `Direktionen`: a unit of one
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
    if header in FIELD_WORDS or header in LIST_FIELD_WORDS:
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
        header = text[i:j].casefold()
        first = _HEADER_START.search(text, max(0, i - 30), i)  # `Kontakt ved ulykke:`
        if not person_field(header) and not (first and person_field(first.group(1).casefold())):
            continue
        line_end = text.find("\n", colon.end())
        if header in ("navn", "name") and _company(text, colon.end(), len(text) if line_end < 0 else line_end):
            continue  # `P-nr.: 1009177594  Navn: Havblik Tryk`: a business's record
        if header in LIST_FIELD_WORDS or (first and first.group(1).casefold() in LIST_FIELD_WORDS):
            out.extend(_listed_names(text, colon.end()))
            continue
        span = _value_name(text, colon.end())
        if span:
            out.append((*span, SCORE_FULL))
    out.extend(_names_below_label(text))
    return out


_LIST_ITEM = re.compile(r"[ \t]*(?:[,;/&]|\bog\b|\band\b)?[ \t]*")
_LIST_SEPARATOR = re.compile(r"[,;]|\bog\b|\band\b")
# labels of a record or table of things, not people: its bare `Navn` is a production unit's or a product's
THING_LABELS = ("p-nr", "pnr", "p-nummer", "produktionsenhed", "varenr", "varenummer", "vare", "produkt", "produktnr",
                "sku", "ean", "item", "artikel", "artikelnr")
# a record of a thing, not a person: a field labelled so, at a line start (`P-nr.: 1016118292`),
# not such a word in a person's notes (`Noter: pnr 1008503050`)
_COMPANY_RECORD = re.compile(r"(?im)^[ \t]*(?:p-?nr|p-nummer|pnr|produktionsenhed|varenr|varenummer|produktnr|sku|ean"
                             r"|item no|artikelnr)\.?[ \t]*(?:[:=]|\t|$)")


def _listed_names(text: str, start: int) -> list[tuple[int, int, float]]:
    """The names of a list field's value (`Deltagere: Ida Krag, Ali Haddad; Bo Holm og Lis Bech`) on its line."""
    out = []
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    pos = start
    while pos < end and len(out) < 30:
        m = _LIST_ITEM.match(text, pos, end)
        pos = m.end()
        span = _value_name(text, pos, list_item=True)
        if span and span[1] <= end:
            out.append((*span, SCORE_FULL))
            pos = span[1]
        nxt = _LIST_SEPARATOR.search(text, pos, end)
        if not nxt:
            break
        pos = nxt.start()
    return out


# a label on a line of its own (or after a section title: `Personlige oplysninger: Navn`) with the value on the next line
LABELS_ABOVE = ("navn", "name", "kontaktperson", "medarbejder", "pårørende")
_LABEL_ABOVE = re.compile(rf"(?i)(navn|name|kontaktperson|medarbejder|pårørende)[ \t]*:?[ \t]*\n"
                          rf"[ \t]*({_NAME_TOKEN}(?: {_NAME_TOKEN}){{1,4}})[ \t]*(?=\n|$)")


def _names_below_label(text: str) -> list[tuple[int, int, float]]:
    """`Navn` on one line and `Sten Ravn` on the next (a two-column form read column by column); not
    when the next line's words are column labels, roles or a business (`Navn` / `Firma Adresse`)."""
    out = []
    low = text.lower()
    for label in LABELS_ABOVE:  # a few `find`s: cheaper than a case-insensitive regex tried at every position
        at = low.find(label)
        while at >= 0:
            m = _LABEL_ABOVE.match(text, at) if at == 0 or low[at - 1] in "\n: \t" else None
            if m and not any(w.casefold() in ROLE_WORDS or _known(w) == "C" or w.casefold().rstrip(".:") in COLUMN_LABELS
                             for w in m.group(2).split()):
                out.append((m.start(2), m.end(2), SCORE_FULL))
            at = low.find(label, at + len(label))
    return out


def _value_name(text: str, start: int, list_item: bool = False, stop: int | None = None) -> tuple[int, int] | None:
    """The name at the start of a field's value (a table cell: up to `stop`), or None (`list_item`: one of
    several, never `Holm, Birgitte`)."""
    m = (_LIST_VALUE if list_item else _FIELD_VALUE).match(text, start, len(text) if stop is None else stop)
    if not m or m.group(1).split()[0].strip(",.").casefold() in NO_VALUE_WORDS:
        return None
    end = m.start(1)
    for token in re.finditer(r"[^ \t,]+", m.group(1)):
        if token.group().casefold() in ROLE_WORDS:
            break  # `Signe Bech  Pårørende 2: …`: the next cell's header
        end = m.start(1) + token.end()
    if end == m.start(1) or (" " not in text[m.start(1):end].strip() and _NOUN_AFTER.match(text, end)):
        return None  # `Ansvarlig: Teknisk afdeling`: one capitalised word before a noun
    limit = len(text) if stop is None else stop  # a business in the next cell is no part of this one
    if _COMPANY_AFTER.match(text, start, min(end + 20, limit)) or _COMPANY_AFTER.match(text, end, min(end + 20, limit)):
        return None
    words = text[m.start(1):end].replace(",", " ").split()
    if not any(w[0].isupper() and w.casefold() not in PARTICLES for w in words):
        return None
    if any(_known(w) == "C" for w in words):
        return None  # `Navn: Granly IT`, `Att.: Indkøbsafdelingen`
    return m.start(1), end


_ROW_TOKENS = re.compile(rf"[ \t]*({_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,6}})")
_AFTER_LOWER = re.compile(r"(?<![\w.])[a-zæøå]+ $")
_HOUSE_NUMBER = re.compile(r"[ \t]+\d{1,3}(?!\d)")
_AFTER_NUMBER = re.compile(rf"(?<=\d)[ \t]+({_NAME_TOKEN}(?: {_NAME_TOKEN}){{1,4}})")


def person_columns(table: Table) -> list[int]:
    """The columns of `table` whose label announces a person's name (`person_field` of its last word);
    a bare `Navn` not in a table of things (`Varenr;Navn;Pris`, `Pnr;Navn;Adresse`)."""
    things = any(w.replace(".", "") in THING_LABELS for words in table.columns for w in words)
    return [k for k, words in enumerate(table.columns)
            if words and person_field(words[-1]) and not (things and words == (words[-1],) and words[-1] in ("navn", "name"))]


def table_names(text: str) -> list[tuple[int, int, float]]:
    """Names in the person columns of tables written as text (table.py): the cell under `Navn`,
    `Medarbejder`, `Pårørende`, `Name` … of every row, whatever the name; with only spaces between
    the cells (a PDF), the words a row starts with under a first person column, and the words right
    after a number under a later one (`… 260996 3517 Weena Qvist Søster …`, not a street before its number)."""
    out = []
    for table in tables(text):
        persons = person_columns(table)
        if not persons:
            continue
        for row in table.rows:
            if not table.space_separated:
                cells = table.cells(text, row)
                for k in persons:
                    if k < len(cells) and cells[k][1] > cells[k][0]:
                        span = _value_name(text, cells[k][0], stop=cells[k][1])
                        if span and span[1] <= cells[k][1]:
                            out.append((*span, SCORE_FULL))
                continue
            if persons[0] == 0:
                span = _row_start_name(text, row, table)
                if span:
                    out.append((*span, SCORE_FULL))
            if persons[-1] > 0:
                for m in _AFTER_NUMBER.finditer(text, row[0], row[1]):
                    span = _cut_name(text, [(t.start() + m.start(1), t.end() + m.start(1))
                                            for t in re.finditer(r"\S+", m.group(1))], more_columns=False)
                    if span and not _HOUSE_NUMBER.match(text, span[1]):  # `… 6777 8881 Ny Østergade 90`: a street
                        out.append((*span, SCORE_FULL))
    return out


def _row_start_name(text: str, row: tuple[int, int], table: Table) -> tuple[int, int] | None:
    """The name a row of a space-separated table starts with (its first column is a person column)."""
    m = _ROW_TOKENS.match(text, *row)
    if not m:
        return None
    tokens = [(t.start() + m.start(1), t.end() + m.start(1)) for t in re.finditer(r"\S+", m.group(1))]
    return _cut_name(text, tokens, more_columns="text" in table.kind(1))


def _cut_name(text: str, tokens: list[tuple[int, int]], more_columns: bool) -> tuple[int, int] | None:
    """The name among the capitalised `tokens` a cell starts with: up to a relation or title word, a
    business word or form (`A/S`); when the next column holds words too (a company, a department),
    two words and then only known names, leaving at least one word to the next column."""
    words = []
    company_follows = more_columns
    for s, e in tokens:
        word = text[s:e]
        if _known(word) == "C" or text.startswith("/", e):
            company_follows = True
            break
        if word.casefold() in ROLE_WORDS or word.casefold() in NO_VALUE_WORDS or _known(word) == "P":
            break
        words.append((s, e))
    if company_follows and len(words) > 2:
        j = 2
        while j < len(words) - 1 and _known(text[words[j][0]:words[j][1]]) in ("S", "F"):
            j += 1
        words = words[:j]
    words = words[:4]
    if len(words) < 2:
        return None
    return words[0][0], words[-1][1]


_RECIPIENT = re.compile(rf"[ \t]*(?:Att\.?:?[ \t]*)?({_NAME_TOKEN}(?: {_NAME_TOKEN}){{1,3}})[ \t]*\n")


def names_above_addresses(text: str, addresses) -> list[tuple[int, int, float]]:
    """The line right above an address that starts a line (a letter's or a payslip's recipient,
    `Declan O'Brien` / `Vesterbrogade 10` / `4230 Skælskør`): a name when it starts with a known
    first name or ends with a known surname, and no word of it is a place, a role or a business."""
    out = []
    for start, _, _ in addresses:
        if start < 2 or text[start - 1] != "\n":
            continue
        line = text.rfind("\n", 0, start - 1) + 1
        m = _RECIPIENT.fullmatch(text, line, start)
        if not m or _COMPANY_AFTER.match(text, m.end(1)):
            continue
        words = m.group(1).split()
        kinds = [_known(w) for w in words]
        if "P" in kinds or "C" in kinds or any(w.casefold() in NO_VALUE_WORDS for w in words):
            continue
        if kinds[0] == "F" or kinds[-1] == "S":
            out.append((m.start(1), m.end(1), SCORE_FULL))
    return out


class DkNameRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish person names (entity PERSON)."""

    ENTITY = "PERSON"

    def load(self) -> None:
        first_names(), surnames(), town_words(), name_words()

    def find(self, text):
        return names_in(text)

    @staticmethod
    def _names_in_run(text: str, run: re.Match) -> list[tuple[int, int, float]]:
        parts = _run_parts(run.group())
        if parts is None:
            return []
        start = run.start()
        field = _after_field_header(text, start)
        if parts[1] == ("U",) and not field and not _maybe_greeted(text, start, run.end()):
            return []  # the most common run: one unknown word (at a sentence start), named by nothing around it
        words, kinds = [(s + start, e + start) for s, e in parts[0]], parts[1]
        if field:
            if _COMPANY_AFTER.match(text, run.end(), run.end() + 20) or \
                    text[words[0][0]:words[0][1]].casefold() in NO_VALUE_WORDS or (
                    len(words) == 1 and _NOUN_AFTER.match(text, run.end())) or _company(text, run.start(), run.end()):
                return []  # `Navn: Ukendt`, `Ansvarlig: Teknisk afdeling`, `Navn: Havblik VVS`, `Kontakt: Interket A/S`
            # `Navn: Xiomara Quist`: the whole run is the value (less a trailing town)
            j = len(words)
            while j > 0 and kinds[j - 1] == "P":
                j -= 1
            return [(words[0][0], words[j - 1][1], SCORE_FULL)] if j else []
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
        out = out or _before_relation(text, words, kinds, run.end())
        if out and _COMPANY_AFTER.match(text, run.end(), run.end() + 20):
            return []  # `Pedersen Emballage A/S`
        postcode = _POSTCODE_BEFORE.search(text, max(0, start - 6), start) if out else None
        if postcode and postcode.group(1) in postcodes():
            return []  # `8586 Ørum Djurs`: a town (but `… 260996 3517 Weena Paulsen`: a name after a number)
        return out


@lru_cache(maxsize=65536)
def _run_parts(run: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]] | None:
    """The words of a run (spans in it) and their kinds (`_known`), cut before a business word after a
    name (`Mette Holm Revision`); None when no name can start in it: places and roles only, or a
    business (`Lyngholm Anlægsgartner`)."""
    words = [m.span() for m in _SPLIT.finditer(run)]
    kinds = [_known(run[s:e]) for s, e in words]
    if all(k == "P" for k in kinds):
        return None
    if "C" in kinds:
        company = kinds.index("C")
        if company < 2 or kinds[0] != "F":
            return None
        words, kinds = words[:company], kinds[:company]
    return tuple(words), tuple(kinds)


def _after_field_header(text: str, start: int) -> bool:
    """Whether a person field's header and its `:` or `=` stand right before `start` (`Navn: `)."""
    head = text[max(0, start - 6):start]
    if ":" not in head and "=" not in head:
        return False  # the quick test first: `_before` looks no further back for the colon
    word, between = _before(text, start)
    return word in FIELD_WORDS and (":" in between or "=" in between)


_NEXT_WORD = re.compile(r"[ \t]+([\w&]+)")


def _company(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words text[start:end] name a business: a business word in them or right
    after them (`Havblik VVS`, `Granly IT`), or a record of a business around them (`P-nr.:`, `CVR:`)."""
    words = text[start:end].split()
    if not words:
        return False
    nxt = _NEXT_WORD.match(text, end)
    return any(_known(w) == "C" for w in words) \
        or bool(nxt and _known(nxt.group(1)) == "C") \
        or (_known(words[0]) != "F" and bool(_COMPANY_RECORD.search(text, *segment_window(text, start, end, 200))))


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
    if first in word_first_names():
        before = _AFTER_LOWER.search(text, max(0, words[i][0] - 30), words[i][0])
        if not (before and before.group().strip() not in ENGLISH_BEFORE):
            return SCORE_WEAK  # `4711  Palle A4-papir`, `Mark the folder`: a word, unless running prose (`Ring til Kim`)
    return SCORE_WEAK if at_sentence_start and not prose else SCORE_SINGLE


@lru_cache(maxsize=4)
def names_in(text: str) -> tuple[tuple[int, int, float], ...]:
    """(start, end, score) of every name in `text` (cached: the lexicon asks for the names of the text
    the name recogniser has just read)."""
    addresses = address_spans(text)
    out = field_names(text) + table_names(text) + names_above_addresses(text, addresses)
    # words inside an address are a street or a town; a field's value is found already
    taken = sorted([(s, e) for s, e, _ in addresses] + [(s, e) for s, e, _ in out])
    starts = [t[0] for t in taken]
    for run in RUN.finditer(text):
        i = bisect.bisect_right(starts, run.start()) - 1
        if i >= 0 and run.end() <= taken[i][1]:
            continue  # the whole run is inside an address or a value found already
        for start, end, score in DkNameRecognizer._names_in_run(text, run):
            i = bisect.bisect_right(starts, start) - 1
            if not (0 <= i and start < taken[i][1]) and not (i + 1 < len(starts) and starts[i + 1] < end):
                out.append((start, end, score))
    return tuple(out)
