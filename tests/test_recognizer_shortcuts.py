"""The recognisers' shortcuts find what the plain way finds: a look-behind written after a pattern's
first character, the lexicon's first look for its terms' beginnings, addresses tried only on the
lines with a postcode, labels searched only on their line and grouped by their first letter, e-mail
addresses found from each `@`."""
from __future__ import annotations

import random
import re

from detectors.recognizers import address, email, lexicon
from detectors.recognizers.base import lead
from detectors.recognizers.cpr import NOT_CPR_LABELS
from detectors.recognizers.labels import _one, label_before, search_before
from detectors.recognizers.phone import PHONE_LABELS

WORDS = ["sygemeldt", "SYGEMELDT", "Diskusprolaps", "ſygemeldt", "dıagnose", "DİAGNOSE", "løber maraton", "spiller golf",
         "søster", "Samlever", "ondt i ryggen", "egen læge", "KOL", "hiv", "3F", "medlem af 3F", "muslim", "straffet", "Kræft",
         "kræftsyg", "usyg", "Mette", "hun", "Vestergade 12, 2. th.", "8700 Horsens", "Pilestræde 43\n1112 København K",
         "Adresse: Søndergade 14", "ordre", "nr.", "p-nr", "Tlf.:", "mobil", "CPR", "fak-nr", "customer no", "20 30 40 50", "\n",
         " ", ", ", ". ", "-", "(", ")", "_", ":", "\t", "1", "Charlotte"]


def texts(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(WORDS) + rng.choice(("", " ", " ", "\n", ", ")) for _ in range(rng.randrange(1, 12)))


def test_lead_matches_what_the_look_behind_before_the_character_matches():
    rng = random.Random(1)
    for first, not_after in (("[2-9]", r"[\w+\-/.]"), (r"\d", r"\d\."), ("[A-Z]", "[A-Za-z0-9]")):
        plain, led = re.compile(f"(?<!{not_after}){first}"), re.compile(lead(first, not_after))
        for _ in range(3000):
            s = "".join(rng.choice("0123456789Aa.-/+ \n") for _ in range(rng.randrange(0, 12)))
            assert [m.span() for m in plain.finditer(s)] == [m.span() for m in led.finditer(s)], s


def test_lexicon_finds_every_term_that_trying_every_word_finds():
    patterns, groups = lexicon._lexicon().patterns, lexicon._lexicon().groups

    def every_word(text):
        end = 0
        for w in lexicon._WORD_START.finditer(text):
            if w.start() >= end:
                two = w.group().lower()
                pattern = patterns.get(two) or patterns.get(two[0])
                m = pattern.match(text, w.start()) if pattern else None
                if m:
                    end = m.end()
                    yield groups[m.lastgroup], m.span()

    found = 0
    for text in texts(3000, 2):
        expected = list(every_word(text))
        assert [(group, m.span()) for group, m in lexicon.lexicon_terms(text)] == expected, text
        found += len(expected)
    assert found > 3000


def test_addresses_on_postcode_lines_are_every_address():
    found = 0
    for text in texts(3000, 3):
        plain = [m.span() for m in address.ADDRESS.finditer(text)]
        assert [m.span() for lo, hi in address._postcode_lines(text) for m in address.ADDRESS.finditer(text, lo, hi)] == plain
        if address.LABELLED.search(text):
            assert address._LABEL_WORD.search(text), text
        found += len(plain)
    assert found > 200


def test_labels_on_their_line_grouped_by_first_letter_are_the_plain_alternation():
    rng = random.Random(4)
    tokens = ["ordre", "nr", ".", ":", " ", "\n", "Tlf", "mobil", "CVR", "p-nr", "p.nr", "kunde", "\t", "#", "ring", "-",
              "Charlotte", "P", "no", "customer no", "test report", "fak", "ſe", "se", "Kontakt", "telefonnummer", "x"]
    for labels in (NOT_CPR_LABELS, PHONE_LABELS):
        plain = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(_one, labels), key=len, reverse=True)) + r")(?!\w)"
                           r"[ \t]*[:#=.]?[ \t]*$", re.IGNORECASE)
        ours = label_before(labels)
        for _ in range(5000):
            s = "".join(rng.choice(tokens) for _ in range(rng.randrange(1, 9)))
            start = len(s)
            s += "12345678"
            assert bool(plain.search(s, max(0, start - 40), start)) == bool(search_before(ours, s, start, 40)), s


def test_email_addresses_from_each_at_sign_are_the_patterns_matches():
    flags = re.IGNORECASE | re.MULTILINE | re.DOTALL
    pattern, domain = re.compile(email.PATTERN.regex, flags), re.compile(email._DOMAIN, flags)
    rng = random.Random(5)
    tokens = ["a", "b.c", "@", "x.dk", "-", ".", "..", "_", "é", "½", " ", "\n", "firma", "+", "#", "mail@", "@@", "a@b",
              ".dk", "-x", "ø", "\u0301", ",", "<"]
    found = 0
    for _ in range(20000):
        s = "".join(rng.choice(tokens) for _ in range(rng.randrange(1, 10)))
        expected = [m.span() for m in pattern.finditer(s)]
        assert list(email._from_at_signs(s, domain)) == expected, s
        found += len(expected)
    assert found > 500
