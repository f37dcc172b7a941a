"""Detection by structure: addresses with floors and towns, names by position in a table or
field, and Art. 9 terms and interests that belong to the person of their row, paragraph or
short document."""
from __future__ import annotations

import pytest

from scanner.model import Segment


def found(detector, text: str, entity: str) -> list[str]:
    return [text[e.start:e.end] for e in detector.entities(text) if e.entity_type == entity]


# --- addresses -------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "Pilestræde 43, 3. sal, 1112 København K", "Pilestræde 43, 3. sal, 1112 København",
    "Nørregade 7, st. tv., 8000 Aarhus C", "Søndergade 3, 2. th., 8000 Aarhus", "Strandvej 198, 1tv, 2000 Frederiksberg",
    "Østergade 3, 4.tv, 2100 København Ø", "Fælledvej 9, kl., 2200 København N", "Algade 2, 1. sal th., 4000 Roskilde",
    "Lyngby Hovedgade 12, 2800 Kgs. Lyngby", "Banegårdsgade 4\n9000 Aalborg", "Rådhuspladsen 1, 1550 Kbh. V",
])
def test_addresses_with_floor_door_and_towns_with_or_without_district(detector, address):
    text = f"Vores nye adresse er {address}, fra 1. marts."
    assert found(detector, text, "DK_ADDRESS") == [address]


def test_a_postcode_of_another_town_still_gives_an_address_at_a_lower_score(detector):
    [typo] = [e for e in detector.entities("Send den til Skovvej 14, 8600 Vejle.") if e.entity_type == "DK_ADDRESS"]
    [right] = [e for e in detector.entities("Send den til Skovvej 14, 7100 Vejle.") if e.entity_type == "DK_ADDRESS"]
    assert 0.5 <= typo.score < right.score
    assert found(detector, "Bestil 14 stk, 8600 Vejle har dem", "DK_ADDRESS") == []


@pytest.mark.parametrize("text", [
    "Kontoret ligger på H.C. Andersens Boulevard 27, 1553 København V.",
    "Niels Bohrs Allé 12, 5230 Odense M",
    "Vi mødes ved Jens Baggesens Vej i morgen.",
    "Konferencen er på H.C. Ørsteds Institut.",
    "Adresse: Peter Bangs Vej 30, 2000 Frederiksberg",
])
def test_streets_named_after_people_are_not_persons(detector, text):
    assert found(detector, text, "PERSON") == []
