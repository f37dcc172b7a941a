"""Danish postal addresses: street, house number, floor/side, postcode and town.

`Vestergade 12B, 2. th., 8700 Horsens`, `Pilestræde 43, 3. sal, 1112 København K` (on one
line or two, or with a dash or a dot between street and postcode: `Birkevej 7 - 4000 Roskilde`); the district letter may be left out (`1112 København`). The postcode must
be in the bundled list (detectors/data/dk_postcodes.tsv) and the town after it must be that
postcode's town (`Kbh.`, `Århus`, `Kgs. Lyngby` count as their towns): that check is what
tells an address from a number followed by a word. When the postcode is unknown or belongs
to another town, a street with a usual street ending, its number, a four-digit postcode and a
known Danish town standing together are still an address, at a lower score (a typing error
in the postcode, a new postcode).

A street and house number standing alone as the value of a field or column labelled an address
(`Adresse: Søndergade 14, 2. th`, a CSV export with the postcode and town in columns of their
own) is an address too, at a lower score.

`address_spans(text)` is shared with the name recogniser: words inside an address are not
a person (`Niels Bohrs Allé 12, 5230 Odense M`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import postcodes

_STREET = (r"(?:(?:[A-ZÆØÅ]\.[ ]?){1,3}|[A-ZÆØÅ][\wæøåÆØÅé]*\.?)(?:[ \-][A-ZÆØÅ][\wæøåÆØÅé]*\.?){0,3}"
           r"(?:[ \-][a-zæøå]{1,6}\.?)?")  # a lower-case word only last: `Peter Bangs vej`, never `Send den til …`
_SIDE = r"(?:th|tv|mf|\d{1,4})\.?"
_FLOOR = (rf"(?:,?[ \t]*(?:st|stuen|kl|kld|kælder|\d{{1,2}})\.?(?:[ \t]*(?:sal|etage))?\.?"
          rf"(?:[ \t]*,?[ \t]*{_SIDE})?)?")
ADDRESS = re.compile(
    rf"(?<![\w.])(?P<street>{_STREET})[ \t]+(?P<number>[1-9]\d{{0,2}}[ \t]?[A-Za-z]?)(?![\d\-/]){_FLOOR}"
    rf"[ \t]*(?:,|\n|,?[ \t]*\n|[,;]?[ \t]*[-–·|][ \t])?[ \t]*(?:DK-)?(?P<postcode>[1-9]\d{{3}})[ \t]+"
    rf"(?P<town>[A-ZÆØÅ][\wæøåÆØÅ]*(?:-[A-ZÆØÅ][\wæøåÆØÅ]*)?\.?(?:[ \t][A-ZÆØÅ][\wæøåÆØÅ]*\.?)?)")
STREET_ENDINGS = ("vej", "vejen", "gade", "gaden", "pladsen", "boulevarden", "alléen", "allé", "alle", "boulevard", "plads", "torv", "torvet", "stræde", "vænge",
                  "vænget", "park", "parken", "sti", "stien", "bakke", "bakken", "høj", "højen", "toft", "toften",
                  "eng", "engen", "mark", "marken", "have", "haven", "lund", "skov", "vang", "vangen", "dal", "dalen",
                  "strand", "havn", "holm", "bro", "kaj", "gård", "hegn", "løkke", "ager", "krog", "bjerg", "ring",
                  "ringen", "kær", "kæret", "brink", "bryn", "rækken", "passage", "promenade", "kvarter", "mose")
# other spellings of a town's first word
TOWN_ALIASES = {"kbh": "københavn", "kbh.": "københavn", "århus": "aarhus", "kgs.": "kongens", "kgs": "kongens",
                "aalborg": "aalborg", "ålborg": "aalborg", "frb.": "frederiksberg"}
SCORE = 0.85             # known postcode, its town, and a street name that looks like one
SCORE_ODD_STREET = 0.55  # known postcode and town, street name without a usual ending
SCORE_OTHER_TOWN = 0.5   # usual street name, a known town, but not the postcode's town (or no known postcode)
SCORE_LABELLED = 0.6     # a street and its number as the whole value of a field or column labelled an address
_ADDRESS_LABEL = (r"(?:adr\.?|adresse|address|privatadresse|hjemmeadresse|bopælsadresse|bopæl|gadeadresse|vejnavn|"
                  r"leveringsadresse|street)")
# `Adresse: Søndergade 14, 2. th` on a line of its own: a form's field or a table's column (the
# postcode and town in columns of their own), so no postcode is needed to tell it from a number
LABELLED = re.compile(rf"(?im)^[ \t]*(?:[\w.]+[ \t]+){{0,2}}{_ADDRESS_LABEL}[ \t]*[:=][ \t]*(?P<street>{_STREET})[ \t]+"
                      rf"(?P<number>[1-9]\d{{0,2}}[ \t]?[A-Za-z]?)(?![\d\-/]){_FLOOR}[ \t]*$")


# what an address cannot do without, searched first: a postcode and a town's first letter; a label's word
_POSTCODE_TOWN = re.compile(r"[1-9]\d{3}[ \t]+[A-ZÆØÅ]")
_LABEL_WORD = re.compile("[aAbBvVsSſ](?i:(?<=a)dr|(?<=b)opæl|(?<=v)ejnavn|(?<=s)treet)")  # in every _ADDRESS_LABEL


def _postcode_lines(text: str) -> list[tuple[int, int]]:
    """The spans of `text` an ADDRESS can stand in: each line with a postcode and a town, with the
    line above it (an address takes at most two lines and ends with its town), overlaps merged."""
    out: list[tuple[int, int]] = []
    for m in _POSTCODE_TOWN.finditer(text):
        line = text.rfind("\n", 0, m.start()) + 1
        lo = text.rfind("\n", 0, line - 1) + 1 if line else 0
        hi = text.find("\n", m.end())
        hi = len(text) if hi < 0 else hi
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _first_word(town: str) -> str:
    word = town.split()[0].casefold()
    return TOWN_ALIASES.get(word) or TOWN_ALIASES.get(word.rstrip("."), word.rstrip("."))


def _town_end(m: re.Match, town: str) -> int:
    """Where the town ends: the words of `m`'s town that are the postcode's town (`København K`, or
    `København` alone when the next word is something else)."""
    found, words = m.group("town").split(), town.split()
    if len(found) > 1 and len(words) > 1 and found[1].rstrip(".").casefold() == words[1].rstrip(".").casefold():
        return m.end("town")
    first = found[0] if found[0].casefold().rstrip(".") != words[0].casefold() else words[0]  # `Horsens.`: no dot
    return m.start("town") + len(first)


@lru_cache(maxsize=None)
def _known_towns() -> frozenset[str]:
    """The first words of every Danish postcode town, lower case, with the aliases."""
    return frozenset(_first_word(town) for town in postcodes().values()) | frozenset(TOWN_ALIASES.values())


@lru_cache(maxsize=4)
def address_spans(text: str) -> tuple[tuple[int, int, float], ...]:
    """(start, end, score) of every address in `text` (cached: the name recogniser asks for the same text)."""
    towns = postcodes()
    out = []
    for m in (m for lo, hi in _postcode_lines(text) for m in ADDRESS.finditer(text, lo, hi)):
        town = towns.get(m.group("postcode"))
        found = _first_word(m.group("town"))
        usual_street = m.group("street").rstrip(".").casefold().endswith(STREET_ENDINGS)
        if town and found == _first_word(town):
            out.append((m.start("street"), _town_end(m, town), SCORE if usual_street else SCORE_ODD_STREET))
        elif usual_street and found in _known_towns():
            out.append((m.start("street"), m.start("town") + len(m.group("town").split()[0].rstrip(".")), SCORE_OTHER_TOWN))
    for m in LABELLED.finditer(text) if _LABEL_WORD.search(text) else ():
        start, end = m.start("street"), m.end() - (len(m.group()) - len(m.group().rstrip()))
        if not any(s < end and start < e for s, e, _ in out):
            out.append((start, end, SCORE_LABELLED))
    return tuple(sorted(out))


class DkAddressRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish addresses (entity DK_ADDRESS)."""

    ENTITY = "DK_ADDRESS"

    def load(self) -> None:
        postcodes()

    def find(self, text):
        return address_spans(text)
