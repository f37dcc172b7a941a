"""datakort's engine (its own tokenizer, context lookup, chunks of 4 000 characters) finds
exactly what Presidio's AnalyzerEngine as it comes finds with the same recognisers: the
same entities at the same offsets with the same scores. Its speed-ups change nothing else."""
from __future__ import annotations

import sys

import pytest

from detectors.detector import CHUNK_CHARS, LANGUAGE
from tests.conftest import REPO

sys.path.insert(0, str(REPO))
from bench.corpus import corpus  # noqa: E402
from bench.stock import stock_analyzer  # noqa: E402


@pytest.fixture(scope="module")
def stock():
    return stock_analyzer()


def ours(detector, text: str) -> list[tuple]:
    return sorted((e.entity_type, e.start, e.end, round(e.score, 6)) for e in detector.entities(text))


def theirs(stock, text: str) -> list[tuple]:
    return sorted((r.entity_type, r.start, r.end, round(r.score, 6))
                  for r in stock.analyze(text, language=LANGUAGE, score_threshold=detector_threshold()))


def detector_threshold() -> float:
    from detectors.detector import DEFAULT_THRESHOLD
    return DEFAULT_THRESHOLD


def test_the_same_entities_as_stock_presidio_document_by_document(detector, stock):
    docs = corpus(150)
    found = 0
    for doc in docs:
        expected = theirs(stock, doc.text)
        assert ours(detector, doc.text) == expected, doc.kind
        found += len(expected)
    assert found > 1000  # the documents are full of what the comparison is about


def test_the_same_entities_as_stock_presidio_in_long_texts_over_chunk_borders(detector, stock):
    """Documents run together into texts several chunks long, shifted a little at a time, so
    entities and their context words fall on every side of the chunk borders."""
    docs = corpus(60, seed=11)
    long_texts = ["\n".join(d.text for d in docs[i:i + 30]) for i in range(0, len(docs), 30)]
    assert all(len(t) > 3 * CHUNK_CHARS for t in long_texts)
    for text in long_texts:
        for shift in range(0, 200, 23):
            shifted = "Bilag. " * shift + text
            assert ours(detector, shifted) == theirs(stock, shifted), shift
