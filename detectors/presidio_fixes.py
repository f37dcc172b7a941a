"""Presidio as it comes, made linear: the context enhancer finds tokens by binary search
and raises scores in place. Same answers as Presidio's own (tests/test_engine_equals_stock.py)."""
from __future__ import annotations

import bisect

from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer


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
