"""The speed-ups inside one Presidio call change nothing: the lean analyser gives what Presidio's
AnalyzerEngine.analyze gives, and the e-mail recogniser what Presidio's PatternRecognizer gives,
also on text with characters the two regex engines class differently (combining marks, `²`)."""
from __future__ import annotations

import random
import sys

from presidio_analyzer import PatternRecognizer

from detectors.detector import LANGUAGE
from detectors.recognizers.email import OfflineEmailRecognizer
from tests.conftest import REPO

sys.path.insert(0, str(REPO))
from bench.corpus import corpus  # noqa: E402


def test_lean_analyzer_answers_as_presidio(detector):
    for doc in corpus(80, seed=21):
        text = doc.text[:4000]
        lean = sorted((r.entity_type, r.start, r.end, r.score) for r in detector.lean.analyze(text, detector.threshold))
        stock = sorted((r.entity_type, r.start, r.end, r.score)
                       for r in detector.analyzer.analyze(text, language=LANGUAGE, score_threshold=detector.threshold))
        assert lean == stock


def test_email_recogniser_answers_as_presidios_pattern_recogniser():
    recognizer = OfflineEmailRecognizer()
    recognizer.analyze("skriv til a@b.dk", ["EMAIL_ADDRESS"])
    rng = random.Random(5)
    parts = ["a", "bø", ".", "-", "_", "\u0301", "²", "é", "x1", "+", "/", "#", " ", "ß", "‿", "İ", "\u200d"]
    found = 0
    for _ in range(4000):
        local = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 6)))
        domain = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 5)))
        text = (rng.choice(["", "mail ", "x."]) + local + "@" + domain + rng.choice([".dk", ".com", "", ".x²"])
                + rng.choice(["", " ", ".", "\u0301", "²y"]))
        ours = sorted((r.start, r.end, r.score) for r in recognizer.analyze(text, ["EMAIL_ADDRESS"]))
        presidio = sorted((r.start, r.end, r.score) for r in PatternRecognizer.analyze(recognizer, text, ["EMAIL_ADDRESS"]))
        assert ours == presidio, text
        found += bool(ours)
    assert found > 100


def test_duplicates_are_removed_as_presidio_removes_them():
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    from detectors.presidio_fixes import _remove_duplicates
    from detectors.types import Entity

    rng = random.Random(8)
    for _ in range(3000):
        found = [Entity(rng.choice(["PERSON", "DK_PHONE"]), s, s + rng.randrange(0, 6), rng.choice([0, 0.4, 0.5, 0.85, 1.0]))
                 for s in (rng.randrange(0, 12) for _ in range(rng.randrange(0, 8)))]
        presidio = EntityRecognizer.remove_duplicates([RecognizerResult(e.entity_type, e.start, e.end, e.score) for e in found])
        assert _remove_duplicates(found) == [Entity(r.entity_type, r.start, r.end, r.score) for r in presidio]
