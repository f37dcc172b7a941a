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


def test_a_street_and_number_labelled_as_an_address_need_no_postcode(detector, tmp_path):
    """A form's field or an export's column (the postcode and town in columns of their own)."""
    assert found(detector, "Bopæl: Engtoften 4, 1. tv.\nTlf.: 20 30 40 50", "DK_ADDRESS") == ["Engtoften 4, 1. tv."]
    assert found(detector, "Ny adresse: Jens Baggesens Vej 88B", "DK_ADDRESS") == ["Jens Baggesens Vej 88B"]
    assert found(detector, "Jens Baggesens Vej 88B", "DK_ADDRESS") == []  # no label, no postcode: not enough
    assert found(detector, "Adresse: se vedlagte 2 sider", "DK_ADDRESS") == []
    from scanner.extract.text import extract_csv
    from scanner.model import Blob
    other = tmp_path / "kunder.csv"
    other.write_text("Kunde;Adresse;Postnr;By\nIb Holm;Åvej 3, st.;6000;Kolding\n", encoding="utf-8")
    rows = list(extract_csv(Blob(name=other.name, size=other.stat().st_size, open=lambda: open(other, "rb"),
                                 path=str(other))).segments)
    assert [(f.entity_type, f.where) for f in detector.findings_in(rows) if f.entity_type == "DK_ADDRESS"] == [
        ("DK_ADDRESS", "row 2, column Adresse")]


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
                                  "Navn: Ukendt", "Filnavn: Rapport.docx", "Ansvarlig: Teknisk afdeling, Vejle"])
def test_a_value_under_other_headers_is_not_a_person(detector, text):
    assert found(detector, text, "PERSON") == []


@pytest.mark.parametrize("text, name", [
    ("Mark Krogh kommer kl. 10 og ser på taget.", "Mark Krogh"),
    ("Said Jørgensen har sendt tilbuddet.", "Said Jørgensen"),
    ("Hej Mark, tak for i går.", "Mark"),
    ("Kontaktperson: Bo", "Bo"),
    ("Have Nørgaard ringede i går om taget.", "Have Nørgaard"),
    ("Bo Lindholm kommer forbi med nøglerne.", "Bo Lindholm"),
])
def test_a_first_name_that_is_also_a_word_counts_before_a_surname_or_after_a_label(detector, text, name):
    assert found(detector, text, "PERSON") == [name]


@pytest.mark.parametrize("text", ["Mark og skov ligger øde hen.", "Said og gjort.", "Ask efter frokost.",
                                  "Have og terrasse er nyanlagt."])
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


# --- context by structure ------------------------------------------------------------------

def kinds(findings) -> list[str]:
    return sorted(f.entity_type for f in findings)


def test_a_short_record_about_one_employee_is_health_data_about_them(detector):
    record = [Segment(p, where=f"paragraph {i + 1}") for i, p in enumerate([
        "Fraværsregistrering", "Medarbejder: Jonas Eriksen", "Afdeling: Lager og forsendelse",
        "Fraværsårsag: Diskusprolaps i lænden.", "Lægeerklæring modtaget 12. marts.",
        "Forventet tilbage: uge 14, på nedsat tid de første to uger."])]
    health = [f for f in detector.findings_in(record) if f.entity_type == "DK_HEALTH"]
    assert {f.where for f in health} == {"paragraph 4", "paragraph 5"}


def test_a_short_document_naming_two_people_does_not_pin_a_term_on_either(detector):
    minutes = [Segment(p) for p in [
        "Referat af driftsmøde", "Deltagere: Jonas Eriksen og Lise Holm", "Punkt 3: Ny procedure ved sygemelding.",
        "Punkt 4: Lægeerklæring kræves fremover efter tre dages fravær."]]
    assert "DK_HEALTH" not in kinds(detector.findings_in(minutes))


def test_a_signature_is_not_who_the_record_is_about(detector):
    letter = [Segment(p) for p in [
        "Kære Amalie Brask", "Vi bekræfter, at din sygemelding er registreret fra 3. april.",
        "Husk at sende lægeerklæringen inden fredag.", "Med venlig hilsen", "Torben Lykke", "HR"]]
    assert kinds(detector.findings_in(letter)).count("DK_HEALTH") == 2


@pytest.mark.parametrize("note, entity", [
    ("Løber maraton hvert forår", "DK_PERSONAL_DETAILS"), ("går på jagt i Nordjylland", "DK_PERSONAL_DETAILS"),
    ("Spiller golf om lørdagen", "DK_PERSONAL_DETAILS"), ("sejler kajak, har hund", "DK_PERSONAL_DETAILS"),
    ("synger i kor", "DK_PERSONAL_DETAILS"), ("Har været sygemeldt med stress", "DK_HEALTH"),
])
def test_a_notes_column_is_about_the_person_of_its_row(detector, note, entity):
    row = Segment(f"Kunde: Kasper Dahl Nygaard\nE-mail: kdn@posteo.dk\nTelefon: 40 50 60 70\n"
                  f"Adresse: Tværgade 4, 8900 Randers C\nNoter: {note}")
    assert entity in kinds(detector.findings_in([row]))


def test_an_interest_without_a_person_is_no_personal_detail(detector):
    rows = [Segment("Vare: Golfsæt til begyndere\nNoter: Til alle der spiller golf"),
            Segment("Kategori: Friluft\nBeskrivelse: Jagttegn kræves for at købe, går på jagt-serien")]
    assert "DK_PERSONAL_DETAILS" not in kinds(detector.findings_in(rows))


def test_a_term_far_from_the_name_in_the_same_paragraph_belongs_to_them(detector):
    paragraph = ("Jonas Eriksen startede i lageret i 2019 og har siden haft ansvaret for varemodtagelsen, "
                 "indkøb af emballage og planlægningen af weekendvagter i højsæsonen. I fritiden træner "
                 "og løber maraton sammen med en lokal klub.")
    assert "DK_PERSONAL_DETAILS" in kinds(detector.findings(Segment(paragraph)))
    other = "Lageret holder lukket i påsken.\n\nKantinen serverer mad til alle, der løber maraton."
    assert "DK_PERSONAL_DETAILS" not in kinds(detector.findings(Segment(other)))


@pytest.mark.parametrize("text, expected", [
    ("Pårørende: Weena Paulsen, søster, 20 47 11 29", True),
    ("Kontakt ved ulykke: Hassan Ali (bror)", True),
    ("Hans samlever hedder Per.", True),
    ("Forældre skal hente børn senest kl. 16.", False),
    ("Vi søger en afløser for vores kollega på barsel: tante eller onkel kan ikke søge.", False),
])
def test_relatives_are_personal_details_only_next_to_a_person(detector, text, expected):
    assert ("DK_PERSONAL_DETAILS" in kinds(detector.findings(Segment(text)))) == expected


@pytest.mark.parametrize("row, names", [
    ("Tobias Holt 041188 1234 Yaw Quarshie Bror 31 41 51 61", ["Tobias Holt", "Yaw Quarshie"]),
    ("Medarbejder: Signe Bech  Pårørende 2: Ama Owusu, mor", ["Signe Bech", "Ama Owusu"]),
    ("Lærke Juhl | 27 18 29 30 | Kwabena Ofori (far) | 40 11 22 33", ["Lærke Juhl", "Kwabena Ofori"]),
])
def test_unknown_names_before_a_relation_in_an_emergency_contact_table(detector, row, names):
    assert found(detector, row, "PERSON") == names
    assert "DK_PERSONAL_DETAILS" in [e.entity_type for e in detector.entities(row)]


@pytest.mark.parametrize("row, name", [
    ("Mette Sagild +45 20 30 40 50", "Mette Sagild"),
    ("Karin Qvortrup; kq@posteo.dk; 22 33 44 55", "Karin Qvortrup"),
    ("Ulrik Brøchner | 61 22 33 44 | Lager", "Ulrik Brøchner"),
])
def test_a_contact_list_row_starting_with_a_name(detector, row, name):
    assert found(detector, row, "PERSON") == [name]
