"""The compact word lists bundled in detectors/data, loaded once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    """Danish first names (detectors/data/first_names_da.txt, word_first_names_da.txt)."""
    return frozenset(_lines("first_names_da.txt")) | word_first_names()


@lru_cache(maxsize=None)
def word_first_names() -> frozenset[str]:
    """First names that are also ordinary words (Mark, Said): weak alone (word_first_names_da.txt)."""
    return frozenset(_lines("word_first_names_da.txt"))


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    """Danish surnames (detectors/data/surnames_da.txt)."""
    return frozenset(_lines("surnames_da.txt"))


@lru_cache(maxsize=None)
def postcodes() -> dict[str, str]:
    """Danish postcode -> town (detectors/data/dk_postcodes.tsv)."""
    return dict(line.split("\t", 1) for line in _lines("dk_postcodes.tsv"))


# places that are not Danish postcode towns but stand capitalised in Danish text
PLACES = frozenset(("Danmark", "Norge", "Sverige", "Finland", "Island", "Grønland", "Færøerne", "Tyskland", "England",
          "Frankrig", "Spanien", "Italien", "Polen", "Holland", "Belgien", "Schweiz", "Østrig", "Europa", "Amerika",
          "USA", "Kina", "Japan", "Indien", "Rusland", "Afrika", "Asien", "Paris", "London", "Berlin", "Stockholm",
          "Oslo", "Hamborg", "Malmø", "Rom", "Bruxelles", "Jylland", "Sjælland", "Fyn", "Lolland", "Bornholm",
          # countries people in Denmark come from and travel to (their names are in the name lists: `Taiwan`)
          "Tyrkiet", "Syrien", "Irak", "Iran", "Libanon", "Palæstina", "Afghanistan", "Pakistan", "Somalia", "Eritrea",
          "Marokko", "Egypten", "Vietnam", "Thailand", "Filippinerne", "Taiwan", "Korea", "Kina", "Indonesien",
          "Ukraine", "Rumænien", "Bulgarien", "Litauen", "Letland", "Estland", "Ungarn", "Tjekkiet", "Kroatien",
          "Serbien", "Bosnien", "Grækenland", "Portugal", "Irland", "Skotland", "Canada", "Mexico", "Brasilien",
          "Argentina", "Australien", "Mallorca", "Kreta", "Kalmar", "Göteborg", "Gøteborg", "Madrid", "Barcelona",
          "Lissabon", "Warszawa", "Prag", "Wien", "Budapest", "Istanbul", "Ankara", "Bagdad", "Teheran", "Kabul",
          "Beijing", "Tokyo", "Bangkok", "Hanoi", "Kyiv", "Kiev"))


@lru_cache(maxsize=None)
def town_words() -> frozenset[str]:
    """Every word of every town name in the postcode list (Horsens, Aarhus, København …) and PLACES."""
    return frozenset(word for town in postcodes().values() for word in town.split()) | PLACES


@lru_cache(maxsize=None)
def name_words() -> frozenset[str]:
    """Names that are also ordinary words or towns (Bo, Per, Skov, Mørk, Mark): weak evidence alone."""
    return frozenset(_lines("name_words_da.txt")) | word_first_names()
