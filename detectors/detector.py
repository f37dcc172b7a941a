"""The Danish Presidio engine: a spaCy pipeline for `da`, the recogniser registry, and
chunked analysis that turns a Segment into Findings.

By default texts are split by a plain word tokenizer into words with lower-case lemmas
(so Presidio's context words work), with spaCy's Danish stop words; it needs no download. A user with a
Danish model installed (`da_core_news_*`, DaCy) can pass its name or path as
`spacy_model`; its person entities (`PER`) are then reported as PERSON too. A user's
own recognisers come from a YAML file in Presidio's format (`recognizers_yaml`).
"""
from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.attrs import IS_PUNCT, IS_STOP
from spacy.language import Language

from detectors.categories import ENTITY_CATEGORY, category_of
from detectors.privacy import ValueHasher, mask
from detectors.recognizers import danish_recognizers, load_yaml_recognizers
from scanner.model import Finding, Segment

LANGUAGE = "da"
CHUNK_CHARS = 4000
CHUNK_OVERLAP = 300
DEFAULT_THRESHOLD = 0.5
# Between segments analysed in one Presidio call: a line of seven made-up lower-case words that
# no recogniser knows. 86 characters are wider than any recogniser's look-around (lexicon 80,
# names 80 after and 20 before, CPR 40, phone 25 before); with its newline it is more words than
# Presidio's context window (the match's own token and 5 before); and the newlines at both ends
# stand where a segment's own text would begin or end (for `\b`, `^`/`$`, sentence starts).
SEGMENT_GAP = "\n" + "xqxqxqxqxqx " * 7 + "\n"

log = logging.getLogger(__name__)


TOKEN = re.compile(r"\w+|[^\w\s]|\s+")


def word_tokens(text: str) -> tuple[list[str], list[int]]:
    """Words, single punctuation marks and whitespace runs of `text`, with their offsets.

    One space after a token belongs to it (as in spaCy) and is no token of its own; a longer
    run of whitespace, or a line break, is. All Presidio's context words need, and about
    seven times faster than spaCy's rule-based tokenizer on business text.
    """
    words: list[str] = []
    starts: list[int] = []
    for m in TOKEN.finditer(text):
        token, start = m.group(), m.start()
        if token[0] == " " and words:
            token, start = token[1:], start + 1
            if not token:
                continue
        words.append(token)
        starts.append(start)
    return words, starts


def build_pipeline(spacy_model: str | None = None) -> Language:
    """A Danish spaCy pipeline: the named model if given, else blank `da` (its stop words)."""
    return spacy.load(spacy_model) if spacy_model else spacy.blank(LANGUAGE)


class _Keywords(list):
    """Presidio's context keywords of a text, looked up in a set: Presidio asks `word in
    keywords` for each word around each match, which on a list grows with the text."""

    def __init__(self, words: list[str]):
        super().__init__(words)
        self._set = frozenset(words)

    def __contains__(self, word) -> bool:
        return word in self._set


class _WordArtifacts(NlpArtifacts):
    """Presidio's NLP artifacts of a text read by `word_tokens`: tokens are the words as
    strings, lemmas their lower-case forms, no entities."""

    def __init__(self, text: str, engine: "DanishNlpEngine", language: str):
        words, starts = word_tokens(text)
        lemmas = [w.lower() for w in words]
        super().__init__(entities=[], tokens=words, tokens_indices=starts, lemmas=lemmas, nlp_engine=None,
                         language=language)
        self.nlp_engine = engine
        self.keywords = engine.keywords(lemmas)


class DanishNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading our pipeline instead of downloading a model.

    Without a model, a text is split by `word_tokens` and never becomes a spaCy Doc: a
    blank pipeline adds nothing to it but cost (a Doc and a vocabulary entry per new word)
    and lemmas Presidio needs and a blank pipeline lacks. The lemmas are the lower-case
    words; stop words and punctuation are spaCy's Danish ones.

    With a model, spaCy keeps every string it has seen (each order number, each amount) in
    its vocabulary for good, so a long scan would grow without bound (600 000 distinct
    numbers: +250 MB); the pipeline is loaded afresh once it holds `MAX_VOCAB_STRINGS` strings.
    """

    MAX_VOCAB_STRINGS = 300_000
    MAX_KNOWN_WORDS = 300_000  # words whose keyword test is remembered (then forgotten, all at once)

    def __init__(self, spacy_model: str | None = None):
        ner = NerModelConfiguration(model_to_presidio_entity_mapping={"PER": "PERSON", "PERSON": "PERSON"},
                                    labels_to_ignore=["LOC", "ORG", "MISC", "GPE"])
        super().__init__(models=[{"lang_code": LANGUAGE, "model_name": spacy_model or "blank:da"}],
                         ner_model_configuration=ner)
        self._spacy_model = spacy_model

    def load(self) -> None:
        self.nlp = {LANGUAGE: build_pipeline(self._spacy_model)}
        getters = self.nlp[LANGUAGE].vocab.lex_attr_getters
        self._is_stop, self._is_punct = getters[IS_STOP], getters[IS_PUNCT]
        self._keyword: dict[str, bool] = {}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        if not self._spacy_model:
            return _WordArtifacts(text, self, language)
        if len(self.nlp[LANGUAGE].vocab.strings) > self.MAX_VOCAB_STRINGS:
            log.debug("reloading the spaCy pipeline to free its vocabulary")
            self.load()
        artifacts = super().process_text(text, language)
        artifacts.keywords = _Keywords(artifacts.keywords)
        return artifacts

    def keywords(self, lemmas: list[str]) -> _Keywords:
        """Presidio's context keywords (`NlpArtifacts.set_keywords`): the lemmas that are
        neither stop words nor punctuation, split at colons; each word's test remembered."""
        if len(self._keyword) > self.MAX_KNOWN_WORDS:
            self._keyword.clear()
        out = []
        for lemma in lemmas:
            keep = self._keyword.get(lemma)
            if keep is None:
                keep = self._keyword[lemma] = not (self._is_stop(lemma) or self._is_punct(lemma)
                                                   or lemma in ("-PRON-", "be"))
            if keep:
                out.extend(lemma.lower().split(":"))
        return _Keywords(out)

    def is_stopword(self, word: str, language: str) -> bool:
        return self._is_stop(word)

    def is_punct(self, word: str, language: str) -> bool:
        return self._is_punct(word)


class _InPlace(list):
    """A list of results that `copy.deepcopy` returns as it is (Presidio's enhancer copies its input)."""

    def __deepcopy__(self, memo):
        return self


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's context enhancer, finding a match's token by binary search.

    Presidio walks the chunk's tokens from the start for every result, which makes a
    chunk's cost grow with (results x tokens); here only results whose recogniser did not
    weigh context itself go through it (and `_Keywords` makes its word lookups constant).
    Presidio also deep-copies the results before raising their scores (about 40 objects each,
    ~8 % of a scan's CPU); the results are made in the same `analyze` call and dropped after
    it, so they are raised in place. Same answers.
    """

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        done = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY
        ready = [r for r in raw_results if r.recognition_metadata and r.recognition_metadata.get(done)]
        todo = _InPlace(r for r in raw_results if not (r.recognition_metadata and r.recognition_metadata.get(done)))
        return ready + super().enhance_using_context(text, todo, nlp_artifacts, recognizers, context)

    @staticmethod
    def _find_index_of_match_token(word, start, tokens, tokens_indices):
        i = bisect.bisect_right(tokens_indices, start) - 1
        if i >= 0 and start < tokens_indices[i] + len(tokens[i]):
            return i
        if i + 1 < len(tokens_indices):
            return i + 1
        raise ValueError(f"no token at offset {start} for {word!r}")


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


@dataclass(frozen=True)
class Entity:
    """A raw detection inside one text (holds the cleartext; never stored)."""

    entity_type: str
    start: int
    end: int
    score: float


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
        self.spacy_model, self.recognizers_yaml = spacy_model, recognizers_yaml  # to build the same elsewhere
        self.packs = not spacy_model and not recognizers_yaml  # see findings_in

    def entities(self, text: str) -> list[Entity]:
        """All entities in `text` at or above the threshold, analysed in overlapping chunks.

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
            for r in self.analyzer.analyze(chunk, language=LANGUAGE, score_threshold=self.threshold):
                if low <= r.start < high:
                    key = (r.entity_type, start + r.start, start + r.end)
                    best[key] = max(best.get(key, 0.0), r.score)
        return [Entity(t, s, e, score) for (t, s, e), score in sorted(best.items(), key=lambda kv: kv[0][1])]

    def findings(self, segment: Segment) -> list[Finding]:
        """The segment's entities as Findings: category, mask and keyed hash, never the value."""
        return [self._finding(segment, entity) for entity in self.entities(segment.text)]

    def findings_in(self, segments: Iterable[Segment]) -> list[Finding]:
        """Findings of many segments (one item's), the same as `findings` on each in turn.

        Short segments (table rows, paragraphs) are packed, with SEGMENT_GAP between them,
        into texts of up to CHUNK_CHARS for one Presidio call each: per call overhead
        otherwise dominates. The gap keeps context from crossing from one segment to the
        next. With a spaCy model (its NER reads whole sentences) or the user's own
        recognisers (their patterns may reach across the gap) each segment is analysed alone.
        """
        if not self.packs:
            return [f for segment in segments for f in self.findings(segment)]
        out: list[Finding] = []
        batch: list[Segment] = []
        size = 0
        for segment in segments:
            if len(segment.text) + len(SEGMENT_GAP) > CHUNK_CHARS:
                out.extend(self._packed_findings(batch))
                out.extend(self.findings(segment))
                batch, size = [], 0
                continue
            if size + len(segment.text) > CHUNK_CHARS:
                out.extend(self._packed_findings(batch))
                batch, size = [], 0
            batch.append(segment)
            size += len(segment.text) + len(SEGMENT_GAP)
        out.extend(self._packed_findings(batch))
        return out

    def _packed_findings(self, batch: list[Segment]) -> list[Finding]:
        """Findings of `batch` (at most CHUNK_CHARS with gaps) from one Presidio call."""
        if len(batch) <= 1:
            return [f for segment in batch for f in self.findings(segment)]
        starts, offset = [], 0
        for segment in batch:
            starts.append(offset)
            offset += len(segment.text) + len(SEGMENT_GAP)
        out = []
        for entity in self.entities(SEGMENT_GAP.join(s.text for s in batch)):
            i = bisect.bisect_right(starts, entity.start) - 1
            segment, start = batch[i], entity.start - starts[i]
            if entity.end - starts[i] <= len(segment.text):  # never in a gap (no recogniser matches it)
                out.append(self._finding(segment, Entity(entity.entity_type, start, entity.end - starts[i], entity.score)))
        return out

    def _finding(self, segment: Segment, entity: Entity) -> Finding:
        value = segment.text[entity.start:entity.end]
        return Finding(
            entity_type=entity.entity_type,
            category=self.categories.get(entity.entity_type) or category_of(entity.entity_type),
            score=round(entity.score, 2),
            masked=mask(entity.entity_type, value),
            value_hash=self.hasher(entity.entity_type, value),
            where=segment.where_at(entity.start),
        )
