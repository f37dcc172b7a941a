"""The Detector: a Presidio analyzer for Danish with every registered recogniser, and
chunked analysis that turns Segments into masked, hashed Findings.

A user's own recognisers come from a YAML file in Presidio's format (`recognizers_yaml`).
"""
from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from detectors.nlp import LANGUAGE, DanishNlpEngine
from detectors.presidio_fixes import FastContextEnhancer, LeanAnalyzer
from detectors.privacy import ValueHasher, mask
from detectors.recognizers import ENTITY_CATEGORY, category_of, danish_recognizers, load_yaml_recognizers
from detectors.recognizers.cpr import by_chance, candidates, group_by_column
from detectors.recognizers.lexicon import SCORE_ONE_PERSON_DOCUMENT, document_terms
from detectors.recognizers.name import DkNameRecognizer
from detectors.tables import MIN_ROWS, TableReader
from detectors.types import SEGMENT_GAP, Entity, Finding, Segment, TableRows, expand

CHUNK_CHARS = 4000
CHUNK_OVERLAP = 300
DEFAULT_THRESHOLD = 0.5
SHORT_DOCUMENT_CHARS = 4000  # a document this short that names one person is about that person
_CLOSING = re.compile(r"(?im)^[ \t]*(?:med venlig hilsen|venlig hilsen|de bedste hilsner|mvh|vh|kind regards|best regards|"
                      r"regards|hilsen)\b")

LIBRARIES = ("presidio-analyzer", "spacy", "opencv-python-headless", "Pillow")  # their versions change what is found
CODE_SUFFIXES = (".py", ".txt", ".yaml", ".yml", ".tsv", ".csv")  # code and the bundled name lists/lexicons

log = logging.getLogger(__name__)


def code_digest(*roots: Path, libraries: Iterable[str] = ()) -> str:
    """A hash of the code and data files under `roots` and of the installed versions of
    `libraries`: what decides what a scan finds, so a change means re-reading every file."""
    h = hashlib.sha256()
    for root in roots:
        files = sorted(f for f in root.rglob("*") if f.suffix in CODE_SUFFIXES) if root.is_dir() else [root]
        for file in files:
            h.update(str(file.relative_to(root.parent)).encode() + b"\0" + file.read_bytes())
    for lib in libraries:
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class DetectorSpec:
    """What another process needs to build the same Detector (a Dask worker): the secret key,
    the threshold, the spaCy model (None: none) and the user's recognisers file (its path must
    be readable there too)."""

    key: bytes
    threshold: float = 0.5
    spacy_model: str | None = None
    recognizers_yaml: str | None = None


def build_analyzer(spacy_model: str | None = None, extra=()) -> AnalyzerEngine:
    """A Presidio AnalyzerEngine for Danish with every registered recogniser (and `extra` ones).

    With a spaCy model, Presidio's SpacyRecognizer adds the model's person entities.
    """
    nlp_engine = DanishNlpEngine(spacy_model)
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    recognizers = [*danish_recognizers(LANGUAGE), *extra]
    if spacy_model:
        recognizers.append(SpacyRecognizer(supported_language=LANGUAGE, supported_entities=["PERSON"]))
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE],
                          context_aware_enhancer=FastContextEnhancer())


def chunk_starts(length: int, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> range:
    """Start offsets of overlapping chunks covering a text of `length` characters."""
    return range(0, max(length - overlap, 1), size - overlap)


class Detector:
    """Finds personal data in text segments and returns masked, hashed Findings.

    `spacy_model`: a Danish spaCy model's name or path (optional); `recognizers_yaml`: a
    file of the user's own pattern recognisers (detectors.recognizers.load_yaml_recognizers).
    """

    def __init__(self, key: bytes, threshold: float = DEFAULT_THRESHOLD, spacy_model: str | None = None,
                 recognizers_yaml: str | None = None):
        extra, extra_categories = load_yaml_recognizers(recognizers_yaml, LANGUAGE) if recognizers_yaml else ([], {})
        self.analyzer = build_analyzer(spacy_model, extra)
        self.categories = {**ENTITY_CATEGORY, **extra_categories}
        self.hasher = ValueHasher(key)
        self.threshold = threshold
        self.spec = DetectorSpec(key, threshold, spacy_model, recognizers_yaml)
        self.packs = not spacy_model and not recognizers_yaml  # see findings_in
        # datakort's own recognisers need no NLP artifacts: analysed without Presidio's per-call machinery
        self.lean = LeanAnalyzer(self.analyzer, LANGUAGE) if self.packs else None
        self._tables = TableReader(self, CHUNK_CHARS) if self.lean else None  # big tables cell by cell (detectors/tables.py)
        self._names = DkNameRecognizer()

    @classmethod
    def from_spec(cls, spec: DetectorSpec) -> "Detector":
        return cls(spec.key, spec.threshold, spec.spacy_model, spec.recognizers_yaml)

    def fingerprint(self) -> str:
        """A hash of everything that decides what this Detector finds: the detection code and
        data, the library versions, the recognisers (a user's YAML ones included) and their
        patterns, the threshold, the spaCy model, and the secret key (through a keyed hash of
        a constant, never the key)."""
        recognizers = sorted(
            f"{type(r).__name__}:{r.name}:{sorted(r.supported_entities)}:{r.context}:"
            f"{[(p.regex, p.score) for p in getattr(r, 'patterns', [])]}:{getattr(r, 'deny_list', None)}"
            for r in self.analyzer.registry.recognizers)
        h = hashlib.sha256(code_digest(Path(__file__).resolve().parent, libraries=LIBRARIES).encode())
        h.update(repr((recognizers, self.threshold, self.spec.spacy_model)).encode())
        h.update(self.hasher("FINGERPRINT", "datakort").encode())
        return h.hexdigest()

    def entities(self, text: str, recognizers: list | None = None) -> list[Entity]:
        """All entities in `text` at or above the threshold, analysed in overlapping chunks
        (by `recognizers` only, a subset of `lean.recognizers`, when given).

        Each chunk reports only the entities that start in its own share of the text, from
        half the overlap after its start to half the overlap before its end, so every
        entity shorter than half the overlap is found once and whole, with at least half
        the overlap of context on each side. Work is linear in the text's length.
        """
        half = CHUNK_OVERLAP // 2
        best: dict[tuple[str, int, int], float] = {}
        for start in chunk_starts(len(text)):
            chunk = text[start:start + CHUNK_CHARS]
            low = 0 if start == 0 else half
            high = len(chunk) if start + CHUNK_CHARS >= len(text) else CHUNK_CHARS - half
            for r in self.analyze_chunk(chunk, recognizers):
                if low <= r.start < high:
                    key = (r.entity_type, start + r.start, start + r.end)
                    best[key] = max(best.get(key, 0.0), r.score)
        return [Entity(t, s, e, score) for (t, s, e), score in sorted(best.items(), key=lambda kv: kv[0][1])]

    def analyze_chunk(self, text: str, recognizers: list | None = None) -> list:
        """Presidio's results for one text of at most CHUNK_CHARS at or above the threshold."""
        if self.lean:
            return self.lean.analyze(text, self.threshold, recognizers)
        return self.analyzer.analyze(text, language=LANGUAGE, score_threshold=self.threshold)

    def findings(self, segment: Segment) -> list[Finding]:
        """The segment's entities as Findings: category, mask and keyed hash, never the value.
        Entities starting in the segment's context (`Segment.context`) are left to its neighbour."""
        return [self.finding(segment, entity) for entity in self.entities(segment.text) if segment.owns(entity.start)]

    def findings_in(self, segments: Iterable[Segment | TableRows], whole_item: bool = True) -> list[Finding]:
        """Findings of many segments (one item's), the same as `findings` on each in turn; with
        `whole_item` False they are a part of an item (a batch of a long file: see `item_findings`).

        Short segments (table rows, paragraphs) are packed, with SEGMENT_GAP between them,
        into texts of up to CHUNK_CHARS for one Presidio call each: per call overhead
        otherwise dominates. The gap keeps context from crossing from one segment to the
        next. With a spaCy model (its NER reads whole sentences) or the user's own
        recognisers (their patterns may reach across the gap) each segment is analysed alone.
        Many rows of a table (`TableRows`, or segments that are rows) are read cell by cell
        (detectors/tables.py), with the same findings.
        """
        items = list(segments)
        blocks = [item for item in items if isinstance(item, TableRows)]
        if blocks and (not self.packs or sum(len(b.rows) for b in blocks) < MIN_ROWS):
            items, blocks = list(expand(items)), []
        segments = [item for item in items if not isinstance(item, TableRows)]
        if not self.packs:
            return self.item_findings(segments, [f for segment in segments for f in self.findings(segment)], whole_item)
        if blocks:
            found = [f for _, f in self.packed_findings(segments)]
            for block in blocks:
                found += self._tables.block_findings(block)
            return self.item_findings(items, found, whole_item)
        if self._tables.usable(segments):
            return self.item_findings(segments, self._tables.findings(segments), whole_item)
        return self.item_findings(segments, [f for _, f in self.packed_findings(segments)], whole_item)

    def packed_findings(self, segments: list[Segment]) -> list[tuple[Segment, Finding]]:
        """(segment, finding) of every segment, short ones packed into few Presidio calls (see `findings_in`)."""
        out: list[tuple[Segment, Finding]] = []
        batch: list[Segment] = []
        size = 0
        for segment in segments:
            if len(segment.text) + len(SEGMENT_GAP) > CHUNK_CHARS:
                out.extend(self._packed_findings(batch))
                out.extend((segment, f) for f in self.findings(segment))
                batch, size = [], 0
                continue
            if size + len(segment.text) > CHUNK_CHARS:
                out.extend(self._packed_findings(batch))
                batch, size = [], 0
            batch.append(segment)
            size += len(segment.text) + len(SEGMENT_GAP)
        out.extend(self._packed_findings(batch))
        return out

    def item_findings(self, items: list[Segment | TableRows], findings: list[Finding],
                      whole_item: bool = True) -> list[Finding]:
        """`findings` of one item's segments, judged across the whole item: a CPR number that passes
        the checks by chance in a column of look-alikes is dropped (the density rule of
        recognizers/cpr.py over all rows), and a short document that names one person makes
        its Art. 9 terms and interests about that person — not when `items` are only a part of
        the item (the last lines of a long log are short, but no document about one person)."""
        cpr = any(f.entity_type == "DK_CPR" for f in findings)
        if all(isinstance(item, Segment) for item in items):
            segments = items
        elif cpr or (whole_item and _chars(items) <= SHORT_DOCUMENT_CHARS):  # (table rows: their cells' length)
            segments = list(expand(items))
        else:
            return findings
        if cpr:
            found = [(segment, c) for segment in segments for c in candidates(segment.text)]
            chance = {self.hasher("DK_CPR", c.value) for c in by_chance(group_by_column(c for _, c in found))}
            findings = [f for f in findings if not (f.entity_type == "DK_CPR" and f.value_hash in chance)]
        return findings + (self._about_one_person(segments, findings) if whole_item else [])

    def _about_one_person(self, segments: list[Segment], findings: list[Finding]) -> list[Finding]:
        """Lexicon terms (not relatives) of a short item that names exactly one person (before any
        closing greeting: the signature's writer is not what it is about), not yet reported."""
        if sum(len(s.text) for s in segments) > SHORT_DOCUMENT_CHARS:
            return []
        reported = {(f.entity_type, f.value_hash) for f in findings}
        terms = [(segment, Entity(entity, start, end, SCORE_ONE_PERSON_DOCUMENT)) for segment in segments
                 for entity, start, end in document_terms(segment.text)]
        terms = [(s, e) for s, e in terms if (e.entity_type, self.hasher(e.entity_type, s.text[e.start:e.end])) not in reported]
        if not terms:
            return []
        names: set[str] = set()
        for segment in segments:
            closing = _CLOSING.search(segment.text)
            text = segment.text[:closing.start()] if closing else segment.text
            names.update(" ".join(text[s:e].casefold().split()) for s, e, score in self._names.find(text)
                         if score >= self.threshold and " " in text[s:e].strip())
            if closing:
                break
        if len(names) != 1:
            return []
        out, seen = [], set()
        for segment, entity in terms:
            finding = self.finding(segment, entity)
            if (finding.entity_type, finding.value_hash, finding.where) not in seen:
                seen.add((finding.entity_type, finding.value_hash, finding.where))
                out.append(finding)
        return out

    def _packed_findings(self, batch: list[Segment]) -> list[tuple[Segment, Finding]]:
        """(segment, finding) of `batch` (at most CHUNK_CHARS with gaps) from one Presidio call."""
        if len(batch) <= 1:
            return [(segment, f) for segment in batch for f in self.findings(segment)]
        starts, offset = [], 0
        for segment in batch:
            starts.append(offset)
            offset += len(segment.text) + len(SEGMENT_GAP)
        out = []
        for entity in self.entities(SEGMENT_GAP.join(s.text for s in batch)):
            i = bisect.bisect_right(starts, entity.start) - 1
            segment, start = batch[i], entity.start - starts[i]
            if entity.end - starts[i] <= len(segment.text) and segment.owns(start):  # never in a gap
                out.append((segment, self.finding(segment, Entity(entity.entity_type, start, entity.end - starts[i], entity.score))))
        return out

    def finding(self, segment: Segment, entity: Entity) -> Finding:
        """The Finding of `entity` in `segment`: category, mask, keyed hash and where; never the value."""
        return self.finding_in(segment.text, entity, segment.where_at(entity.start))

    def finding_in(self, text: str, entity: Entity, where: str = "") -> Finding:
        """The Finding of `entity` in a plain `text` (a table cell's), at `where`."""
        kind, value = entity.entity_type, text[entity.start:entity.end]
        return Finding(kind, self.categories.get(kind) or category_of(kind), round(entity.score, 2),
                       mask(kind, value), self.hasher(kind, value), where)


def _chars(items: Iterable[Segment | TableRows]) -> int:
    """The length of the items' text, the headers of table rows not counted."""
    return sum(item.chars if isinstance(item, TableRows) else len(item.text) for item in items)
