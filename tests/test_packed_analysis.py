"""Many short segments analysed in one Presidio call (Detector.findings_in) give exactly the
findings of one call per segment (Detector.findings): same values, where and scores."""
from __future__ import annotations

import sys
from dataclasses import asdict

import pytest

from detectors.detector import CHUNK_CHARS, Detector
from scanner.sources.local import crawl
from scanner.extract import CouldNotInspect, extractor_for
from scanner.model import Segment, TableRows, expand
from tests.conftest import REPO

sys.path.insert(0, str(REPO))
from bench.corpus import corpus  # noqa: E402


def one_by_one(detector: Detector, items: list[Segment | TableRows]) -> list[dict]:
    """One call per segment (a table's rows one by one), then the same judgement across the item
    (Detector.item_findings)."""
    segments = list(expand(items))
    return [asdict(f) for f in detector.item_findings(segments, [f for s in segments for f in detector.findings(s)])]


def packed(detector: Detector, segments: list[Segment]) -> list[dict]:
    return [asdict(f) for f in detector.findings_in(segments)]


def item_segments(blob) -> list[list[Segment]]:
    """The segments of a file and of everything inside it, item by item."""
    extract = extractor_for(blob)
    if extract is None:
        return []
    try:
        content = extract(blob)
    except CouldNotInspect:
        return []
    items = [list(content.segments)]
    for child in content.children:
        items.extend(item_segments(child))
    return items


def test_sample_share_findings_are_the_same_packed(detector, sample_share):
    root, _ = sample_share
    items = [segments for c in crawl(root) if c.blob for segments in item_segments(c.blob)]
    assert sum(len(s) > 1 for s in items) >= 10  # many items have several segments to pack
    total = 0
    for segments in items:
        expected = one_by_one(detector, segments)
        assert packed(detector, segments) == expected
        total += len(expected)
    assert total > 100


def test_bench_corpus_findings_are_the_same_packed(detector):
    """Each benchmark document cut into lines (like table rows) and into paragraphs."""
    for doc in corpus(120):
        lines = [Segment(line, where=f"line {i + 1}") for i, line in enumerate(doc.text.split("\n"))]
        paragraphs = [Segment(p, where=f"paragraph {i + 1}") for i, p in enumerate(doc.text.split("\n\n"))]
        for segments in (lines, paragraphs):
            assert packed(detector, segments) == one_by_one(detector, segments), doc.text


def test_realistic_corpus_findings_are_the_same_packed(detector):
    """The independent corpus's documents as the extractor hands them over (table rows, pages, mail
    bodies): rules that look at a row, a record or a table must not see a packed neighbour."""
    from bench.realistic_corpus import corpus as realistic

    for doc in realistic(120, seed=5):
        segments = [Segment(t, where=f"segment {i + 1}") for i, t in enumerate(doc.segment_texts())]
        assert packed(detector, segments) == one_by_one(detector, segments), doc.id


CROSSING = [  # context or a value that would reach into the next segment if the gap let it
    ["Kontakt tlf.", "2684 9340", "Ring på", "26849340"],
    ["CPR-nr.:", "010190-1234", "personnummer", " 0101901234 "],
    ["Med venlig hilsen", "Jens", "Direktør", "Hansen"],
    ["Hun er sygemeldt", "diagnose: diabetes", "fagforening", "Jens Hansen"],
    ["Ordre 1234", "020304-5678", "kunde:", "2684 9340"],
    ["Vestergade 12", "8700 Horsens", "reg. nr. 1234", "1234567890"],
    ["jens@", "firma.dk", "<jens", "@firma.dk>"],
    ["\n  \t", "Jens Hansen\n", "  tlf. 2684 9340  ", "", "."],
    ["Kundenr: 41\nNavn: Lene Krogh\nNoter: pnr 1016118292", "Kundenr: 42\nNavn: Xiomara Owusu\nTelefon: 30996663"],
    ["Navn\tTelefon\tNoter", "Xiomara Owusu\t30996663\tspiller golf", "Relation: Søster", "Dorte Winther"],
]


@pytest.mark.parametrize("texts", CROSSING)
def test_context_never_crosses_segments(detector, texts):
    segments = [Segment(t, where=f"row {i + 1}") for i, t in enumerate(texts)]
    assert packed(detector, segments) == one_by_one(detector, segments)


def test_long_segments_and_batches_at_the_chunk_size(detector):
    row = "Navn: Jens Hansen, CPR-nr.: 010190-1234, tlf. 2684 9340, jens@firma.dk"
    big = ("fyldtekst uden noget særligt " * 200 + "\nKontakt: tlf. 2684 9340\n") * 3
    assert len(big) > 2 * CHUNK_CHARS
    segments = [Segment(row, where=f"row {i}") for i in range(120)]
    segments.insert(60, Segment(big, where="notes"))
    result = packed(detector, segments)
    assert result == one_by_one(detector, segments)
    assert [f["where"] for f in result].count("notes") == 3
    assert {f["where"] for f in result} == {f"row {i}" for i in range(120)} | {"notes"}


def test_short_segments_take_one_presidio_call(detector, monkeypatch):
    calls = []
    analyze = detector.analyze_chunk
    monkeypatch.setattr(detector, "analyze_chunk", lambda text, recognizers=None: calls.append(text) or analyze(text, recognizers))
    segments = [Segment(f"Navn: Jens Hansen, tlf. 2684 93{i:02d}", where=f"row {i}") for i in range(20)]
    findings = detector.findings_in(segments)
    assert len(calls) == 1
    assert [f.where for f in findings if f.entity_type == "DK_PHONE"] == [f"row {i}" for i in range(20)]
