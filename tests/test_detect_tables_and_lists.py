"""Detection by structure, second round: tables written as text (a header line of column labels,
then rows, split by tabs, semicolons, pipes, commas or only spaces), list fields of minutes,
a label above its value, a recipient above an address, phone numbers by column and signature,
and lexicon terms by row, record and list item. Names, companies and wording here are made up
for these tests."""
from __future__ import annotations

import pytest

from detectors.recognizers.name import person_columns
from detectors.recognizers.table import tables
from scanner.model import Segment


def found(detector, text: str, entity: str) -> list[str]:
    return [text[e.start:e.end] for e in detector.entities(text) if e.entity_type == entity]


def kinds(findings) -> list[str]:
    return [f.entity_type for f in findings]


# --- tables written as text -------------------------------------------------------------------

@pytest.mark.parametrize("header, separator, person", [
    ("Afdeling | Medarbejder | Lokal | Bemærkning", "|", [1]),
    ("Kundenr;Navn;Mobil;By", ";", [1]),
    ("Name\tDepartment\tPhone\tComments", "\t", [0]),
    ("Employee,Mobile,Notes", ",", [0]),
    ("Kontakt Firma Tlf Note", " ", [0]),
])
def test_a_header_line_of_column_labels_is_a_table(header, separator, person):
    text = f"Oversigt\n{header}\nførste række\nanden række\n\nEfter tabellen kommer brødtekst."
    [table] = tables(text)
    assert table.separator == separator and person_columns(table) == person
    assert [text[s:e] for s, e in table.rows] == ["første række", "anden række"]  # up to the blank line


@pytest.mark.parametrize("line", [
    "Navn og adresse skal stå på fakturaen, ikke telefon eller mail.",
    "Telefon, mail eller brev: vi svarer inden for 2 dage.",
    "Navn: Hans Holm",
])
def test_prose_and_fields_are_no_table(line):
    assert tables(line + "\nLise Holt;2233 4455\n") == ()


def test_names_in_a_delimited_person_column_whatever_the_name(detector):
    text = ("Afdeling | Medarbejder | Direkte | Bemærkning\n"
            "Lager | Bongani Dlamini | 2145 8890 | dyrker crossfit\n"
            "Regnskab | Hiroko Watanabe | 3312 4455 | har cøliaki\n")
    assert found(detector, text, "PERSON") == ["Bongani Dlamini", "Hiroko Watanabe"]
    assert found(detector, text, "DK_PHONE") == ["2145 8890", "3312 4455"]  # `xxxx xxxx` needs a label: the column
    assert found(detector, text, "DK_PERSONAL_DETAILS") == ["crossfit"]
    assert found(detector, text, "DK_HEALTH") == ["cøliaki"]


def test_a_delimited_row_with_the_name_in_a_later_column(detector):
    text = "Kundenr;Navn;Mobil;By\n4411;Priyanka Raman;2761 9043;Odense\n4412;Bao Ngoc Vu;31907722;Vejle\n"
    assert found(detector, text, "PERSON") == ["Priyanka Raman", "Bao Ngoc Vu"]
    assert found(detector, text, "DK_PHONE") == ["2761 9043", "31907722"]


def test_a_space_separated_table_starts_each_row_with_the_name(detector):
    text = ("Employee Department Mobile Remarks\n"
            "Tariq Mahmood Regnskab 4512 8890 dyrker crossfit\n"
            "Ingeborg Halvorsen Lager 61902233 holder med AGF\n")
    assert found(detector, text, "PERSON") == ["Tariq Mahmood", "Ingeborg Halvorsen"]
    assert found(detector, text, "DK_PHONE") == ["4512 8890", "61902233"]
    assert found(detector, text, "DK_PERSONAL_DETAILS") == ["crossfit", "holder med AGF"]


def test_a_space_separated_row_splits_the_name_from_the_company_after_it(detector):
    text = ("Kontakt Firma Tlf Note\n"
            "Kwame Mensah Bakkegårdens Smedie ApS 28174455 kwame@smedie.dk venter barn, termin i marts\n"
            "Sigrún Jónsdóttir Vindelev Auto A/S 3344 5566 sj@vindelev-auto.dk bor med sin kæreste og to hunde\n"
            "Jens Erik Mortensen Vindrose Glas I/S 4455 6677 jek@glas.dk ring efter frokost\n")
    assert found(detector, text, "PERSON") == ["Kwame Mensah", "Sigrún Jónsdóttir", "Jens Erik Mortensen"]
    assert found(detector, text, "DK_PHONE") == ["28174455", "3344 5566", "4455 6677"]
    assert "DK_HEALTH" in kinds(detector.findings_in([Segment(text)]))  # `termin i marts`: pregnancy


def test_a_later_person_column_after_a_number_in_a_space_separated_table(detector):
    text = ("Medarbejder Personnummer Kontakt ved ulykke Tilknytning Telefon\n"
            "Oskar Lindqvist 140583-1237 Mai Thi Tran Kæreste 4512 7788\n"
            "Yusuf Demir 020291-2231 Hatice Demir Mor 2288 1144 Kirkevej 12, 7100 Vejle\n")
    people = found(detector, text, "PERSON")
    assert {"Mai Thi Tran", "Hatice Demir"} <= set(people) and "Kirkevej" not in " ".join(people)
    assert found(detector, text, "DK_PHONE") == ["4512 7788", "2288 1144"]


def test_a_header_with_an_order_column_does_not_make_every_number_a_phone(detector):
    text = "Navn Ordrenr Telefon\nLise Holt 28174455 20 30 40 50\n"
    assert found(detector, text, "DK_PHONE") == ["20 30 40 50"]


# --- phone numbers by structure --------------------------------------------------------------------

@pytest.mark.parametrize("text, phone", [
    ("Kontakt: Ulla Bjerre, 2938 4410", "2938 4410"),
    ("Referencer: Morten Krag; 61223345", "61223345"),
    ("Venlig hilsen\nIda\nM: 61223345", "61223345"),
    ("Hilsen Per\nT: 3344 5567 · per@firma.dk", "3344 5567"),
    ("Bo Ek,23-45-67-89,bo@ek.dk", "23-45-67-89"),
])
def test_phone_numbers_by_a_name_before_them_a_signature_letter_or_a_csv_field(detector, text, phone):
    assert found(detector, text, "DK_PHONE") == [phone]


@pytest.mark.parametrize("text", ["Målt: 3,45 67 89 12 mm", "Lager 2938 4410 stk", "Side 12, 61223345"])
def test_no_phone_after_decimals_or_without_a_label(detector, text):
    assert found(detector, text, "DK_PHONE") == []


# --- addresses --------------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "Kastanjevej 12 - 5500 Middelfart", "Bøgeallé 3, 1. tv. – 2970 Hørsholm", "Industrivej 4 · 7400 Herning",
    "Skolegade 9, 6372 Bylderup-Bov",
])
def test_a_dash_or_dot_between_street_and_postcode_and_hyphenated_towns(detector, address):
    text = f"Leveres til {address} senest fredag."
    assert found(detector, text, "DK_ADDRESS") == [address]


# --- names by position --------------------------------------------------------------------------

def test_list_fields_of_minutes_hold_several_names(detector):
    text = ("Fremmødte: Birgit Lykkegaard, Hamid Sadeghi og Tuan Pham\n"
            "Fraværende: Jonas Mikkelsen (barsel)\nMødeleder: Yasmin El-Amin\n1. Budget for 2026")
    assert found(detector, text, "PERSON") == ["Birgit Lykkegaard", "Hamid Sadeghi", "Tuan Pham", "Jonas Mikkelsen",
                                               "Yasmin El-Amin"]


@pytest.mark.parametrize("text, name", [
    ("Stamdata: Navn\nMilica Petrović\nStamdata: Telefon\n2233 4455", "Milica Petrović"),
    ("Kontaktperson\nSeamus Gallagher\n", "Seamus Gallagher"),
    ("Registreret af: Hamid Sadeghi", "Hamid Sadeghi"),
    ("Udfyldt af: Çağla Yıldız, HR", "Çağla Yıldız"),
])
def test_a_name_below_its_label_or_after_registered_by(detector, text, name):
    assert found(detector, text, "PERSON") == [name]


def test_the_line_above_an_address_is_a_recipient(detector):
    assert found(detector, "Lønseddel\n\nFatma Arslan\nHedevej 14\n6000 Kolding\n", "PERSON") == ["Fatma Arslan"]
    assert found(detector, "Østjysk Murerfirma\nHedevej 14\n6000 Kolding\n", "PERSON") == []
    assert found(detector, "Kolding Kommune\nAkseltorv 1\n6000 Kolding\n", "PERSON") == []


@pytest.mark.parametrize("text", [
    "P-nummer: 1012345678\nNavn: Solbakken Bageri\nAdresse: Torvet 1, 4600 Køge",
    "Navn: Fjordglimt Rådgivning", "Kunde: Havneby Murer ApS", "Lyngbakken Autoværksted;Torvet 2;4600 Køge",
])
def test_businesses_are_no_persons(detector, text):
    assert found(detector, text, "PERSON") == []


def test_a_first_name_that_is_a_word_in_an_item_line_but_not_in_prose(detector):
    assert found(detector, "4711  Palle EUR-standard 120x80  3 stk", "PERSON") == []
    assert found(detector, "Ring til Kim på 22 33 44 55 i morgen.", "PERSON") == ["Kim"]
    assert found(detector, "Exports from May and June are larger.", "PERSON") == []


@pytest.mark.parametrize("text, name", [
    ("Vi har ansat Mehmet Aydın i marts.", "Mehmet Aydın"),
    ("Tak til Aoife O'Connor for hjælpen.", "Aoife O'Connor"),
    ("Mødet blev ledet af Olena Kravchenko.", "Olena Kravchenko"),
    ("Spørg Farida Hussaini om nøglen.", "Farida Hussaini"),
])
def test_foreign_names_common_in_denmark(detector, text, name):
    assert found(detector, text, "PERSON") == [name]


# --- lexicon terms by row, record and list item -------------------------------------------------

@pytest.mark.parametrize("note, entity", [
    ("venter barn, termin i februar", "DK_HEALTH"), ("skal have en hofteoperation", "DK_HEALTH"),
    ("laktoseintolerant", "DK_HEALTH"), ("har tinnitus", "DK_HEALTH"), ("går med krykker", "DK_HEALTH"),
    ("3 sygedage i marts", "DK_HEALTH"), ("har lige købt sommerhus", "DK_PERSONAL_DETAILS"),
    ("blev farmor i sidste uge", "DK_PERSONAL_DETAILS"), ("holder med AGF", "DK_PERSONAL_DETAILS"),
    ("har to hunde", "DK_PERSONAL_DETAILS"), ("fisker havørred ved Møn", "DK_PERSONAL_DETAILS"),
    ("tager på skiferie hver vinter", "DK_PERSONAL_DETAILS"), ("spiller i et bigband", "DK_PERSONAL_DETAILS"),
])
def test_a_remark_in_a_csv_notes_column_is_about_the_row(detector, note, entity):
    text = f"Navn;Telefon;Kommentar\nSvetlana Ivanova;2233 4455;{note}\nLeif Dam;2233 4466;ring efter 12\n"
    assert entity in kinds(detector.findings_in([Segment(text)]))


def test_a_relation_as_a_record_field_is_a_personal_detail(detector):
    record = Segment("Ansat: Rikke Brodersen\nKontakt ved ulykke: Jens Brodersen\nTilknytning: Ægtefælle\n"
                     "Telefon: 2211 3344")
    assert "DK_PERSONAL_DETAILS" in kinds(detector.findings_in([record]))
    assert "DK_PERSONAL_DETAILS" not in kinds(detector.findings_in([Segment("Tilknytning: Ægtefælle")]))


def test_an_agenda_item_is_about_what_it_names(detector):
    agenda = Segment("Deltagere: Lise Holt, Omar Farouk\n1. Procedure for sygemelding gennemgås\n2. Budget\n")
    assert "DK_HEALTH" not in kinds(detector.findings_in([agenda]))
    item = Segment("Deltagere: Lise Holt, Omar Farouk\n1. Budget\n2. Personale: Omar er sygemeldt med influenza\n")
    assert "DK_HEALTH" in kinds(detector.findings_in([item]))


def test_sick_days_on_a_payslip_are_health_data_about_its_employee(detector):
    payslip = Segment("Solbakken Bageri ApS\nLØNSEDDEL marts\n\nHelle Damsgaard\nAgervej 3\n4600 Køge\n\n"
                      "Timeløn 180,00\nSygedage: 2 (sygt barn)\nUdbetalt 31.03")
    assert "DK_HEALTH" in kinds(detector.findings_in([payslip]))
    holiday = Segment("Solbakken Bageri ApS\nLØNSEDDEL marts\n\nHelle Damsgaard\nAgervej 3\n4600 Køge\n\n"
                      "Timeløn 180,00\nFeriedage: 2\nUdbetalt 31.03")
    assert "DK_HEALTH" not in kinds(detector.findings_in([holiday]))


def test_compound_column_labels(detector):
    text = ("Medarbejdernavn\tArbejdstelefon\tAllergier\n"
            "Nikolai Sørlie\t3344 2211\tnøddeallergi\n"
            "Amara Diallo\t3344 2212\tingen\n")
    [table] = tables(text)
    assert person_columns(table) == [0] and table.columns_of("phone") == [1]
    assert found(detector, text, "PERSON") == ["Nikolai Sørlie", "Amara Diallo"]
    assert found(detector, text, "DK_PHONE") == ["3344 2211", "3344 2212"]
    assert found(detector, text, "DK_HEALTH") == ["nøddeallergi"]


@pytest.mark.parametrize("remark", [
    "næste termin den 1. april", "rapporten fylder 30 sider", "vi er ikke fan af den løsning",
    "vi rejser til messen i Herning", "leverer gipsplader",
])
def test_business_remarks_next_to_a_name_are_no_health_or_personal_details(detector, remark):
    text = f"Navn;Telefon;Kommentar\nSvetlana Ivanova;2233 4455;{remark}\n"
    assert not {"DK_HEALTH", "DK_PERSONAL_DETAILS"} & set(kinds(detector.findings_in([Segment(text)])))


def test_a_fixed_width_table_is_read_by_where_its_columns_start(detector):
    text = ("Personaleoversigt – Lager Vest\n"
            "Nr.  Navn                Stilling          Mobil        Bemærkning\n"
            "1    Jonas Kjeldsen      Truckfører        22 41 87 10  løber halvmaraton\n"
            "2    Ewa Nowicka         Pakker            31557890     ingen\n"
            "3    Hamza Yousef        Lagerchef          4091 3322   spiller fodbold i Serie 2\n")
    assert found(detector, text, "PERSON") == ["Jonas Kjeldsen", "Ewa Nowicka", "Hamza Yousef"]  # not `… Truckfører`
    assert found(detector, text, "DK_PHONE") == ["22 41 87 10", "31557890", "4091 3322"]
    assert found(detector, text, "DK_PERSONAL_DETAILS") == ["løber halvmaraton", "spiller fodbold"]


@pytest.mark.parametrize("text", ["Att.: Indkøbsafdelingen", "Med venlig hilsen\nDirektionen",
                                  "The report was prepared by Grace and Will."])
def test_units_of_an_organisation_and_english_words_are_no_persons(detector, text):
    assert found(detector, text, "PERSON") == []


def test_a_term_as_the_topic_of_a_rule_is_about_no_one(detector):
    text = "Tilmelding til Grethe senest tirsdag. Husk at vores nye politik for sygefravær træder i kraft 1. juni."
    assert found(detector, text, "DK_HEALTH") == []
    assert found(detector, "Grethe er sygemeldt resten af ugen.", "DK_HEALTH") == ["sygemeldt"]


@pytest.mark.parametrize("text", [
    "Varenr;Navn;Antal;Pris\n1001;Skruer M6 rustfri;100;45,00\n1002;Bordplade Eg;2;1.299,00\n",
    "Varenr: 1001\nNavn: Bordplade Eg\nPris: 1.299,00",
])
def test_the_name_column_of_a_table_of_things_is_no_person(detector, text):
    assert found(detector, text, "PERSON") == []
    assert found(detector, "Kundenr;Kundenavn;Varenr;Antal\n88;Lone Kragh;1001;2\n", "PERSON") == ["Lone Kragh"]
