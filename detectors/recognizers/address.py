"""Danish postal addresses: street, house number, floor/side, postcode and town.

`Vestergade 12B, 2. th., 8700 Horsens` (on one line or two). The postcode must be in
the bundled list (detectors/data/dk_postcodes.tsv) and the town after it must be that
postcode's town; that check is what tells an address from a number followed by a word.
"""
from __future__ import annotations

import re

from detectors.recognizers.base import ScoredRecognizer
from detectors.recognizers.lists import postcodes

_STREET = r"(?:(?:[A-ZÆØÅ]\.){1,3}|[A-ZÆØÅ][\wæøåÆØÅé]*\.?)(?:[ \-](?:[A-ZÆØÅ][\wæøåÆØÅé]*\.?|[a-zæøå]{1,6}\.?)){0,3}"
_FLOOR = r"(?:,?[ \t]*(?:st|kl|\d{1,2})\.?(?:[ \t]*,?[ \t]*(?:th|tv|mf|\d{1,3})\.?)?)?"
ADDRESS = re.compile(
    rf"(?<![\w.])(?P<street>{_STREET})[ \t]+(?P<number>[1-9]\d{{0,2}}[ \t]?[A-Za-z]?)(?![\d\-/]){_FLOOR}"
    rf"[ \t]*(?:,|\n|,?[ \t]*\n)?[ \t]*(?:DK-)?(?P<postcode>[1-9]\d{{3}})[ \t]+(?P<town>[A-ZÆØÅ][\wæøåÆØÅ]*(?:[ \t][A-ZÆØÅ]\w*\.?)?)")
STREET_ENDINGS = ("vej", "vejen", "gade", "allé", "alle", "boulevard", "plads", "torv", "torvet", "stræde", "vænge",
                  "vænget", "park", "parken", "sti", "stien", "bakke", "bakken", "høj", "højen", "toft", "toften",
                  "eng", "engen", "mark", "marken", "have", "haven", "lund", "skov", "vang", "vangen", "dal", "dalen",
                  "strand", "havn", "holm", "bro", "kaj", "gård", "hegn", "løkke", "ager", "krog", "bjerg", "ring",
                  "ringen", "kær", "kæret", "brink", "bryn", "rækken", "passage", "promenade", "kvarter", "mose")
SCORE = 0.85          # known postcode, its town, and a street name that looks like one
SCORE_ODD_STREET = 0.55  # known postcode and town, street name without a usual ending


def _town_matches(found: str, town: str) -> bool:
    return found.split()[0].casefold() == town.split()[0].casefold()


class DkAddressRecognizer(ScoredRecognizer):
    """Presidio recogniser for Danish addresses (entity DK_ADDRESS)."""

    ENTITY = "DK_ADDRESS"

    def load(self) -> None:
        postcodes()

    def find(self, text):
        towns = postcodes()
        for m in ADDRESS.finditer(text):
            town = towns.get(m.group("postcode"))
            if town and _town_matches(m.group("town"), town):
                end = m.start("town") + len(town) if m.group("town").startswith(town) else m.end("town")
                street = m.group("street").rstrip(".").casefold()
                yield m.start("street"), end, SCORE if street.endswith(STREET_ENDINGS) else SCORE_ODD_STREET
