"""The NLP adapter Presidio runs on: Danish words, lemmas and context keywords, offline.

By default texts are split by a plain word tokenizer into words with lower-case lemmas
(so Presidio's context words work), with spaCy's Danish stop words; it needs no download. A
user with a Danish model installed (`da_core_news_*`, DaCy) passes its name or path as
`spacy_model`; its person entities (`PER`) are then reported as PERSON too.
"""
from __future__ import annotations

import logging
import re

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IS_PUNCT, IS_STOP
from spacy.language import Language

LANGUAGE = "da"

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
