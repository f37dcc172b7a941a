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


# --- names by position ---------------------------------------------------------------------

@pytest.mark.parametrize("header, name", [
    ("Navn", "Oluwaseun Adeyemi"), ("Medarbejder", "Zbigniew Wójcik"), ("Kontaktperson", "Nguyen Thi Lan"),
    ("Pårørende", "Anna van Dijk"), ("Name", "Li Wei"), ("Elevens navn", "Aisha Rahimi"), ("Kundenavn", "Juan García"),
    ("Nærmeste pårørende", "PAULSEN, Weena"), ("Medarbejder", "Mark Krogh"),
])
def test_a_value_under_a_person_header_is_a_person(detector, header, name):
    row = Segment(f"{header}: {name}\nTelefon: 22 33 44 55\nAfdeling: Lager")
    people = [f for f in detector.findings(row) if f.entity_type == "PERSON"]
    assert len(people) == 1 and people[0].value_hash == detector.hasher("PERSON", name)


@pytest.mark.parametrize("text", ["Firmanavn: Bodum", "Brugernavn: Lagerstyring", "Kontakt: Nordlys ApS",
                                  "Navn: Ukendt", "Filnavn: Rapport.docx"])
def test_a_value_under_other_headers_is_not_a_person(detector, text):
    assert found(detector, text, "PERSON") == []


@pytest.mark.parametrize("text, name", [
    ("Mark Krogh kommer kl. 10 og ser på taget.", "Mark Krogh"),
    ("Said Jørgensen har sendt tilbuddet.", "Said Jørgensen"),
    ("Hej Mark, tak for i går.", "Mark"),
    ("Kontaktperson: Bo", "Bo"),
])
def test_a_first_name_that_is_also_a_word_counts_before_a_surname_or_after_a_label(detector, text, name):
    assert found(detector, text, "PERSON") == [name]


@pytest.mark.parametrize("text", ["Mark og skov ligger øde hen.", "Said og gjort.", "Ask efter frokost."])
def test_a_first_name_that_is_also_a_word_alone_is_a_word(detector, text):
    assert found(detector, text, "PERSON") == []


def test_names_after_numbers_in_an_emergency_contact_row(detector):
    text = "Ingrid Mortensen 120384 2231 Rashid Paulsen Bror 61 72 83 94"
    assert found(detector, text, "PERSON") == ["Ingrid Mortensen", "Rashid Paulsen"]
    assert found(detector, text, "DK_PHONE") == ["61 72 83 94"]


def test_an_english_readme_has_no_persons_at_sentence_starts(detector):
    readme = ("# Sync tool\n\nInstall it with pip. Will it run on Windows? Yes.\n"
              "Max file size is 2 GB. June releases are tagged; Victor is the default backend.\n"
              "Chase the logs when a job fails, and Grant access to the service account first.")
    assert found(detector, readme, "PERSON") == []
