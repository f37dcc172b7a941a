"""The Danish recognisers added for issue 3: names, addresses, CVR, bank, lexicons, YAML, spaCy, chunks."""
from __future__ import annotations

import pytest

from detectors.categories import CATEGORIES, NON_PERSONAL_CATEGORIES, PERSONAL_CATEGORIES
from detectors.recognizers import ENTITY_CATEGORY
from detectors.recognizers import REGISTRY, RecognizerFileError, load_yaml_recognizers
from detectors.recognizers.lists import first_names, postcodes, surnames
from scanner.model import Segment


def found(detector, text, entity=None):
    """(entity type, the text it covers) for each entity found, optionally of one type."""
    return [(e.entity_type, text[e.start:e.end]) for e in detector.entities(text)
            if entity is None or e.entity_type == entity]


def names(detector, text):
    return [value for _, value in found(detector, text, "PERSON")]


# --- the bundled lists -------------------------------------------------------------

def test_bundled_lists_are_compact_and_danish():
    assert 2000 < len(first_names()) < 10000 and 2000 < len(surnames()) < 10000
    assert {"Mette", "Søren", "Jørgen", "Hans"} <= first_names()
    assert {"Nielsen", "Jensen", "Sørensen", "Kjærgaard"} <= surnames()
    assert not {"Horsens", "Aarhus", "Danmark"} & (first_names() | surnames())  # towns are not names
    assert postcodes()["8700"] == "Horsens" and postcodes()["2100"] == "København Ø"
    assert all(1000 <= int(code) <= 9990 for code in postcodes())


# --- names -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Vi holdt møde med Anne-Mette Sørensen i går.", ["Anne-Mette Sørensen"]),
    ("Kopi til Jens Peter Kjærgaard og Søren Ølgaard.", ["Jens Peter Kjærgaard", "Søren Ølgaard"]),
    ("Hej Mette\n\nTak for sidst.", ["Mette"]),
    ("Kære Bo, se vedhæftede.", ["Bo"]),
    ("Med venlig hilsen\n\nLone Bak\nSalgschef", ["Lone Bak"]),
    ("Att.: Karsten M. Holm", ["Karsten M. Holm"]),
    ("Direktør Hansen ringede i morges.", ["Hansen"]),
    ("Navn: Xiomara Quist", ["Xiomara Quist"]),            # a table column: unknown names count too
    ('Fra: "Lars Holm" <lh@firma.dk>', ["Lars Holm"]),
])
def test_danish_names_are_found(detector, text, expected):
    assert names(detector, text) == expected


@pytest.mark.parametrize("text", [
    "Hans bil holdt ved Horsens Station.",      # `Hans` (his) at the start of a sentence
    "Per stk. 12,50 kr. Leveres fra Aarhus.",   # `Per` (each)
    "Varekatalog – Kaffe Mørk Rist 500 g, Pakke Stor",
    "Horsens Bryghus ApS, Vestjysk Mejeri A/S",
    "Mette",                                    # one name alone, no context: not enough
])
def test_words_and_places_are_not_names(detector, text):
    assert names(detector, text) == []


def test_table_row_column_header_gives_context(detector):
    segment = Segment.joined([("Kontaktperson: Ragna Søndergaard", "B2"), ("Telefon: 20 12 34 56", "C2")])
    kinds = {(f.entity_type, f.where, f.masked) for f in detector.findings(segment)}
    assert ("PERSON", "B2", "R**** S**********") in kinds and ("DK_PHONE", "C2", "xxxxxx56") in kinds


# --- addresses ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Adresse: Vestergade 12B, 2. th., 8700 Horsens", "Vestergade 12B, 2. th., 8700 Horsens"),
    ("H.C. Andersens Boulevard 27\n1553 København V", "H.C. Andersens Boulevard 27\n1553 København V"),
    ("Mølleparken 4, st. tv., 8000 Aarhus C", "Mølleparken 4, st. tv., 8000 Aarhus C"),
])
def test_danish_addresses(detector, text, expected):
    assert found(detector, text, "DK_ADDRESS") == [("DK_ADDRESS", expected)]


def test_address_needs_a_real_postcode_and_its_town(detector):
    # 8700 is Horsens: still an address (street, number, postcode, a town stand together), at a lower score
    [mismatch] = [e for e in detector.entities("Vestergade 12, 8700 Odense") if e.entity_type == "DK_ADDRESS"]
    [matching] = [e for e in detector.entities("Vestergade 12, 8700 Horsens") if e.entity_type == "DK_ADDRESS"]
    assert mismatch.score < matching.score
    assert found(detector, "Vestergade 12, 8700 Odensevej", "DK_ADDRESS") == []  # no town
    assert found(detector, "Lagerrum 12, 8700 Odense", "DK_ADDRESS") == []  # no usual street name
    assert found(detector, "Vestergade 12, 0999 Horsens", "DK_ADDRESS") == []
    assert found(detector, "Vare 1234 8700 Horsens", "DK_ADDRESS") == []


def test_address_mask_hides_street_and_number(detector):
    [f] = [f for f in detector.findings(Segment("Vestergade 12B, 8700 Horsens")) if f.entity_type == "DK_ADDRESS"]
    assert f.masked == "V********* 1*** 8700 Horsens" and "12" not in f.masked


# --- CVR, bank ---------------------------------------------------------------------

def test_cvr_with_mod11_after_its_word_is_company_data(detector):
    assert found(detector, "CVR-nr.: 86397250") == [("DK_CVR", "86397250")]
    assert found(detector, "SE-nr. 44 23 47 85") == [("DK_CVR", "44 23 47 85")]
    assert found(detector, "Momsnr. DK22597620") == [("DK_CVR", "22597620")]
    assert found(detector, "CVR 86397251") == []              # fails modulus-11
    assert "DK_CVR" not in {t for t, _ in found(detector, "Ordre 86397250")}
    assert ENTITY_CATEGORY["DK_CVR"] == "company" and "company" not in PERSONAL_CATEGORIES


def test_bank_account_and_iban(detector):
    assert found(detector, "Reg.nr. 1234 Kontonr. 0012345678") == [("DK_BANK_ACCOUNT", "1234 Kontonr. 0012345678")]
    assert found(detector, "Løn til konto 1234-12345678") == [("DK_BANK_ACCOUNT", "1234-12345678")]
    assert found(detector, "IBAN: DK50 0040 0440 1162 43") == [("IBAN_CODE", "DK50 0040 0440 1162 43")]
    assert found(detector, "IBAN: DK50 0040 0440 1162 44") == []   # wrong check digits
    assert found(detector, "Varenr. 1234-123456") == []


# --- lexicons ----------------------------------------------------------------------

@pytest.mark.parametrize("text, entity", [
    ("Hun er sygemeldt med stress siden marts.", "DK_HEALTH"),
    ("Medarbejderen har fremvist straffeattest med en betinget dom.", "DK_CRIMINAL"),
    ("Han er tillidsrepræsentant og medlem af HK.", "DK_TRADE_UNION"),
    ("Hun holder fri under ramadan.", "DK_RELIGION"),
    ("Han er gift med Søren og har to børn.", "DK_PERSONAL_DETAILS"),
    ("Nicoline er passioneret lystfisker.", "DK_PERSONAL_DETAILS"),   # a known first name is the person
])
def test_special_categories_about_a_person(detector, text, entity):
    assert entity in {t for t, _ in found(detector, text)}


def test_lexicon_words_without_a_person_are_not_reported(detector):
    text = "Produktet er testet for diabetikere. Lagerstatus: fængsel-tema brætspil, 12 stk."
    assert not {t for t, _ in found(detector, text)} & {"DK_HEALTH", "DK_CRIMINAL"}


def test_every_entity_has_a_category_and_a_recogniser():
    from detectors.recognizers import danish_recognizers
    from detectors.recognizers.lexicon import entity_of, lexicon_groups
    emitted = {e for r in danish_recognizers() for e in r.supported_entities}
    assert all(ENTITY_CATEGORY[e] in {**CATEGORIES, **NON_PERSONAL_CATEGORIES} for e in emitted)
    assert emitted <= set(ENTITY_CATEGORY) and len(REGISTRY) >= 9  # pictures emit the others
    for row in REGISTRY:  # the table names exactly the entity types its recogniser emits
        assert set(row.categories) == set(row.recognizer(supported_language="da").supported_entities)
    assert {entity_of(g) for g in lexicon_groups()} <= emitted  # every lexicon in the YAML is reported


# --- YAML recognisers --------------------------------------------------------------

def test_user_recognisers_from_presidio_yaml(tmp_path):
    from detectors.detector import Detector
    path = tmp_path / "mine.yaml"
    path.write_text("recognizers:\n  - name: employee no\n    supported_entity: EMPLOYEE_NO\n"
                    "    category: personal_details\n    patterns:\n      - name: no\n"
                    "        regex: '\\bIK-\\d{5}\\b'\n        score: 0.6\n", encoding="utf-8")
    detector = Detector(b"k" * 32, recognizers_yaml=str(path))
    [f] = detector.findings(Segment("Medarbejder IK-12345 er ansat"))
    assert (f.entity_type, f.category, f.masked) == ("EMPLOYEE_NO", "personal_details", "xxx45")


def test_example_yaml_in_docs_loads():
    from pathlib import Path
    recognizers, categories = load_yaml_recognizers(Path(__file__).parents[1] / "docs" / "recognizers.example.yaml")
    assert len(recognizers) == 2 and set(categories.values()) <= set(PERSONAL_CATEGORIES)


@pytest.mark.parametrize("content, message", [
    ("recognizers: [", "not valid YAML"),
    ("foo: 1", "no `recognizers:` list"),
    ("recognizers:\n  - name: x\n    supported_entity: X\n    patterns: []\n", "`category` must be one of"),
])
def test_bad_yaml_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RecognizerFileError, match=message):
        load_yaml_recognizers(path)


@pytest.mark.parametrize("option, message", [
    (["--recognizers", "BAD"], "your recognisers file cannot be used"),
    (["--spacy-model", "da_no_such_model"], "cannot load the spaCy model 'da_no_such_model' (is it installed?)"),
])
def test_cli_reports_a_bad_option_before_scanning(tmp_path, capsys, option, message):
    from datakort.main import main
    from tests.conftest import SAMPLE_DIR
    (tmp_path / "share").mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text("foo: 1", encoding="utf-8")
    option = [str(bad) if o == "BAD" else o for o in option]
    code = main(["scan", str(tmp_path / "share"), "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "out"), *option])
    assert code == 2 and message in capsys.readouterr().err


# --- a spaCy model's person entities -----------------------------------------------

def test_spacy_model_person_entities_are_used(tmp_path):
    """A saved spaCy pipeline (here: blank `da` + an entity ruler labelling PER) acts as the model."""
    import spacy
    from detectors.detector import Detector
    nlp = spacy.blank("da")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Qwzx Ypsilon"}])
    nlp.to_disk(tmp_path / "model")
    text = "Mødet med Qwzx Ypsilon blev aflyst."
    assert Detector(b"k" * 32).entities(text) == []
    with_model = Detector(b"k" * 32, spacy_model=str(tmp_path / "model"))
    assert [(e.entity_type, text[e.start:e.end]) for e in with_model.entities(text)] == [("PERSON", "Qwzx Ypsilon")]


# --- chunks ------------------------------------------------------------------------

def test_entities_at_every_chunk_border_offset_are_found_once_and_whole(detector):
    from detectors.detector import CHUNK_CHARS, CHUNK_OVERLAP
    sample = "Kontakt Mette Hansen, CPR 010190-1238, Vestergade 12, 8700 Horsens."
    for shift in range(0, CHUNK_OVERLAP + 40, 23):
        pad = "x " * ((CHUNK_CHARS - CHUNK_OVERLAP - len(sample) // 2 + shift) // 2)
        got = found(detector, pad + sample + " slut")
        assert got == [("PERSON", "Mette Hansen"), ("DK_CPR", "010190-1238"),
                       ("DK_ADDRESS", "Vestergade 12, 8700 Horsens")], shift


def test_word_tokens_keep_the_text_and_offsets():
    from detectors.nlp import word_tokens
    text = "Tlf.:  20 12 34 56\n\n\tCPR-nr. 010190-1238 ,hej  "
    words, starts = word_tokens(text)
    assert all(text[s:s + len(w)] == w for w, s in zip(words, starts))
    assert words[:4] == ["Tlf", ".", ":", " "]  # the other space is the colon's
    rebuilt = "".join(w + " " * (nxt - s - len(w)) for w, s, nxt in zip(words, starts, starts[1:] + [len(text)]))
    assert rebuilt == text  # only single spaces after a token are left out


def test_bare_eight_digits_need_a_context_word_close_before(detector):
    text = "Ring til Jens på 2684 9340 hvis lageret (34877528) løber tør."
    assert found(detector, text, "DK_PHONE") == [("DK_PHONE", "2684 9340")]
    assert found(detector, "som du kan ringe til på 85854179.", "DK_PHONE") == [("DK_PHONE", "85854179")]


def test_a_blacklisted_word_silences_only_the_number_after_it(detector):
    text = "Ordrenr. 010190-1238 er afsendt.\nMedarbejderens CPR: 010190-1238, tlf. 20 12 34 56."
    assert [t for t, _ in found(detector, text)].count("DK_CPR") == 1
    assert "DK_PHONE" in {t for t, _ in found(detector, text)}


@pytest.mark.parametrize("text, expected", [
    ("Kære Rosa\n\nTak for sidst.", ["Rosa"]),                         # unknown name after a greeting
    ("Venlig hilsen\nMaya Nilsson-Olesen\nLagerleder", ["Maya Nilsson-Olesen"]),
    ('"Xiomara Quist" <xq@firma.dk>', ["Xiomara Quist"]),              # display name, unknown names
    ("Min kollega Odeline Mathiesen ringer.", ["Odeline Mathiesen"]),  # unknown first name + surname
    ("Mathiasens Bageri og Ravn & Søn ApS har bestilt.", []),          # companies named after people
    ("Vi talte med Nielsen om sagen.", ["Nielsen"]),                   # one surname mid-sentence
    ("Anders fortalte, at mødet var flyttet.", ["Anders"]),            # a first name as the subject of prose
])
def test_unknown_names_with_evidence(detector, text, expected):
    assert names(detector, text) == expected


@pytest.mark.parametrize("text", [
    "Debatten om Danmarks rolle i Paris fortsætter.",   # places, also as genitive
    "Dronningens Tværgade 147A, 2. mf.\n8586 Ørum Djurs",  # a town after its postcode, though Ørum is a surname
])
def test_places_are_not_names(detector, text):
    assert names(detector, text) == []


def test_the_engine_does_not_grow_without_bound(monkeypatch):
    """Every new word (each order number) is remembered only up to a limit, and never in spaCy's vocabulary."""
    from detectors.detector import DanishNlpEngine, Detector
    monkeypatch.setattr(DanishNlpEngine, "MAX_KNOWN_WORDS", 5000)
    detector = Detector(b"k" * 32)
    engine = detector.analyzer.nlp_engine
    strings_before = len(engine.nlp["da"].vocab.strings)
    numbers = " ".join(str(n) for n in range(10_000_000, 10_020_000))
    detector.entities(numbers)
    assert len(engine.nlp["da"].vocab.strings) == strings_before
    assert len(engine._keyword) <= 5000 + 4000  # cleared at the limit; at most one chunk's words on top
    assert found(detector, "CPR 010190-1238, tlf. 20 12 34 56") == [("DK_CPR", "010190-1238"), ("DK_PHONE", "20 12 34 56")]
