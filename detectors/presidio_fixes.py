"""Presidio as it comes, made linear: the context enhancer finds tokens by binary search
and raises scores in place; `LeanAnalyzer` runs an engine's recognisers without its per-call
machinery. Same answers as Presidio's own (tests/test_engine_equals_stock.py)."""
from __future__ import annotations

import bisect
from itertools import groupby
from operator import itemgetter

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from detectors.recognizers.base import ScoredRecognizer
from detectors.types import Entity


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


class LeanAnalyzer:
    """`AnalyzerEngine.analyze(text, language, score_threshold=…)` for an engine whose recognisers
    need no NLP artifacts to find what they find (pattern recognisers and datakort's own), with
    the same answers and without what a call costs besides the recognisers:

    - the text is split into words only when a result could still be raised by context: one
      whose recogniser did not weigh context itself and whose score is under the maximum (the
      e-mail recogniser's results are validated to 1.0, so business text is never tokenised);
    - the recognisers and entities are looked up once, not per call;
    - a recogniser with a `REQUIRED_CHARACTER` (e-mail: `@`) runs only on text that has it;
    - datakort's own recognisers (`ScoredRecognizer.find`) give plain Entities, not Presidio's
      result objects, and `remove_duplicates` is Presidio's rule on those (`_remove_duplicates`).
    """

    def __init__(self, engine: AnalyzerEngine, language: str):
        self.engine, self.language = engine, language
        self.recognizers = engine.registry.get_recognizers(language=language, all_fields=True)
        self.entities = engine.get_supported_entities(language=language)
        for recognizer in self.recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
        self._needs = [_needs(r) for r in self.recognizers]
        # datakort's own single-type recognisers, whose results are `find`'s (start, end, score) as they are
        self._plain = [isinstance(r, ScoredRecognizer) and type(r).analyze is ScoredRecognizer.analyze
                       for r in self.recognizers]

    def analyze(self, text: str, score_threshold: float, recognizers: list | None = None) -> list[Entity]:
        """Presidio's results for `text` as Entities (by `recognizers` only, in registry order, when given)."""
        pairs = list(zip(self.recognizers, self._needs, self._plain))
        if recognizers is not None:
            pairs = [pair for pair in pairs if pair[0] in recognizers]
        found: list[tuple] = []  # `_kept`'s keys: quicker to make, hash and sort than Entities
        for recognizer, needs, plain in pairs:
            if needs and needs not in text:
                continue
            if plain:
                found += [(recognizer.ENTITY, start, start - end, -score) for start, end, score in recognizer.find(text)
                          if score >= score_threshold]
                continue
            for r in recognizer.analyze(text=text, entities=self.entities, nlp_artifacts=None) or ():
                if r.score < EntityRecognizer.MAX_SCORE and not (
                        r.recognition_metadata and r.recognition_metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY)):
                    return [Entity(r.entity_type, r.start, r.end, r.score)  # context may raise it: Presidio's way
                            for r in self.analyze_results(text, score_threshold, [p[0] for p in pairs])]
                if r.score >= score_threshold:
                    found.append((r.entity_type, r.start, r.start - r.end, -r.score))
        return [Entity(kind, start, start - back, -minus) for kind, start, back, minus in _kept(found)]

    def analyze_results(self, text: str, score_threshold: float, recognizers: list | None = None) -> list[RecognizerResult]:
        """Presidio's results for `text` as its result objects (see `analyze`)."""
        results = []
        pairs = zip(self.recognizers, self._needs)
        if recognizers is not None:
            pairs = [(r, needs) for r, needs in pairs if r in recognizers]
        for recognizer, needs in pairs:
            if needs and needs not in text:
                continue
            for r in recognizer.analyze(text=text, entities=self.entities, nlp_artifacts=None) or ():
                meta = r.recognition_metadata = r.recognition_metadata or {}
                meta.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recognizer.id)
                meta.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, recognizer.name)
                results.append(r)
        done = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY
        if any(r.score < EntityRecognizer.MAX_SCORE and not r.recognition_metadata.get(done) for r in results):
            artifacts = self.engine.nlp_engine.process_text(text, self.language)
            results = self.engine._enhance_using_context(text, results, artifacts, self.recognizers, None)
        return EntityRecognizer.remove_duplicates([r for r in results if r.score >= score_threshold])


def _remove_duplicates(found: list[Entity]) -> list[Entity]:
    """Presidio's `EntityRecognizer.remove_duplicates` on Entities: exact repeats and zero scores
    dropped, and a result inside another of its type with at least its score; in Presidio's order."""
    keys = _kept([(e.entity_type, e.start, e.start - e.end, -e.score) for e in found])
    return [Entity(kind, start, start - back, -minus) for kind, start, back, minus in keys]


def _kept(found: list[tuple]) -> list[tuple]:
    """`_remove_duplicates` on (entity type, start, start - end, -score): tuples sort in Presidio's order of work."""
    out: list[tuple] = []
    for _, group in groupby(sorted(set(found)), key=itemgetter(0)):
        active: list[tuple[int, float]] = []  # (end, -score) of kept ones that may still hold the next
        reach = -1  # where the furthest reaching of them ends
        for key in group:
            _, start, back, minus = key
            if minus == 0:
                continue
            end = start - back
            if end <= reach:  # only then can a kept one hold it (they start no later)
                active = [a for a in active if a[0] >= start]
                if any(end <= a_end and a_minus <= minus for a_end, a_minus in active):
                    continue
            out.append(key)
            active.append((end, minus))
            reach = max(reach, end)
    return sorted(out, key=itemgetter(3, 1, 2))


def _needs(recognizer: EntityRecognizer) -> str:
    """A character without which `recognizer` finds nothing (its `REQUIRED_CHARACTER`), or ''."""
    return getattr(recognizer, "REQUIRED_CHARACTER", "")
