"""Presidio's AnalyzerEngine as it comes, with datakort's recognisers: the naive baseline's
analyser (bench/bench_scan.py) and the reference datakort's own engine must agree with
(tests/test_engine_equals_stock.py)."""
from __future__ import annotations

from detectors.detector import LANGUAGE
from detectors.recognizers import danish_recognizers


def stock_analyzer():
    """Presidio's AnalyzerEngine as it comes, with datakort's recognisers: Presidio's own spaCy
    engine and context enhancer, on a blank Danish pipeline whose lemmas are the lower-cased
    words (the least one must add to run offline with context words). What datakort tunes
    (tokenizer, context lookup, chunking, packing) is left out."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from spacy.language import Language

    if "lower_case_lemmas" not in Language.factories:
        @Language.component("lower_case_lemmas")
        def lower_case_lemmas(doc):
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    class BlankDanish(SpacyNlpEngine):
        def load(self):
            nlp = spacy.blank(LANGUAGE)
            nlp.add_pipe("lower_case_lemmas")
            self.nlp = {LANGUAGE: nlp}

    engine = BlankDanish(models=[{"lang_code": LANGUAGE, "model_name": "blank"}],
                         ner_model_configuration=NerModelConfiguration(labels_to_ignore=["LOC", "ORG", "MISC", "GPE"]))
    engine.load()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in danish_recognizers(LANGUAGE):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[LANGUAGE])
