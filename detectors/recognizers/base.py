"""A base for recognisers that weigh their own context: subclasses yield (start, end, score); and
`lead`, how their patterns start."""
from __future__ import annotations

from typing import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult


class ScoredRecognizer(EntityRecognizer):
    """An EntityRecognizer for one entity type whose `find` already applied context.

    Presidio's context enhancer would add to the score again, so results are marked as
    context-enhanced. `find` yields (start, end, score) for the text.
    """

    ENTITY = ""
    ENTITIES: tuple[str, ...] = ()  # a recogniser of several types sets this instead of ENTITY

    def __init__(self, supported_language: str = "da"):
        super().__init__(supported_entities=list(self.ENTITIES or [self.ENTITY]), name=type(self).__name__,
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def find(self, text: str) -> Iterable[tuple[int, int, float]]:
        raise NotImplementedError

    def analyze(self, text, entities, nlp_artifacts=None):
        return [self.result(self.ENTITY, start, end, score) for start, end, score in self.find(text)]

    def result(self, entity: str, start: int, end: int, score: float) -> RecognizerResult:
        """A Presidio result marked as already weighed for context."""
        return RecognizerResult(entity, start, end, score, recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True})


def lead(first: str, *not_after: str) -> str:
    """A pattern's first character (`first`: a class without the newline) that stands right after none of
    `not_after`: `lead("[2-9]", r"\\w")` matches what `(?<!\\w)[2-9]` matches. The look-behinds come after
    the character, so the regex engine skips ahead to it instead of trying them at every position."""
    return first + "".join(f"(?<!{n}.)" for n in not_after)
