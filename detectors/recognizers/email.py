"""E-mail addresses: Presidio's recogniser, with its domain check kept offline.

Presidio's pattern backtracks through every word of the text; ours matches the same
addresses but starts only at the start of a word and never backtracks over the local
part (a possessive quantifier), so its cost stays linear. Presidio runs patterns with the
`regex` engine, several times slower here than Python's `re`; a text whose every character
both engines class alike (all of ASCII and the Danish letters: `_agrees`) is searched with `re`,
from each `@` (`_from_at_signs`: what the pattern finds, without trying it at every character).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import regex
import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_LOCAL = r"[!#$%&'*+\-/=?^_`{|}~\w.]"
_DOMAIN = r"@\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+\b"
PATTERN = Pattern("email (linear)", rf"(?<!{_LOCAL}){_LOCAL}++(?<!\.){_DOMAIN}", 0.5)
_LOCAL_PUNCTUATION = frozenset("!#$%&'*+-/=?^_`{|}~.")  # _LOCAL's characters besides `\w`'s letters and digits


@lru_cache(maxsize=1)
def _offline_tld_extractor() -> tldextract.TLDExtract:
    # No suffix-list URLs and no cache dir: use the snapshot bundled with tldextract, never the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's EmailRecognizer (entity EMAIL_ADDRESS) without network access."""

    REQUIRED_CHARACTER = "@"  # PATTERN matches nothing without it: text without one is skipped (presidio_fixes.py)

    def __init__(self, supported_language: str = "da"):
        super().__init__(supported_language=supported_language, patterns=[PATTERN],
                         context=["email", "e-mail", "mail", "mailadresse", "e-post"])

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Presidio's `PatternRecognizer.analyze` (same results, explanations included) without its
        per-match timing and logging, and nothing to do in text without an `@`."""
        if "@" not in text:
            return []
        flags = regex_flags or self.global_regex_flags
        results = []
        for pattern in self.patterns:
            if not pattern.compiled_regex or pattern.compiled_with_flags != flags:
                return super().analyze(text, entities, nlp_artifacts, regex_flags)  # compiled by Presidio's way
            if not _agrees(text):
                found = (m.span() for m in pattern.compiled_regex.finditer(text, timeout=REGEX_TIMEOUT_SECONDS))
            elif pattern.regex == PATTERN.regex and not flags & re.ASCII:
                found = _from_at_signs(text, _re_twin(_DOMAIN, flags))
            else:
                found = (m.span() for m in _re_twin(pattern.regex, flags).finditer(text))
            for start, end in found:
                if start == end:
                    continue
                valid = self.validate_result(text[start:end])
                score = pattern.score if valid is None else EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
                if score > EntityRecognizer.MIN_SCORE:
                    explanation = self.build_regex_explanation(self.name, pattern.name, pattern.regex, pattern.score,
                                                               valid, flags)
                    explanation.score = score
                    results.append(RecognizerResult(
                        self.supported_entities[0], start, end, score, analysis_explanation=explanation,
                        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                              RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        # one pattern's matches never overlap and all score alike: Presidio's duplicate rule keeps them as they are
        return results if len(self.patterns) == 1 else EntityRecognizer.remove_duplicates(results)

    def validate_result(self, pattern_text: str) -> bool:
        local, _, domain = pattern_text.rpartition("@")
        if "/" in local or "?" in local or "#" in local:  # tldextract reads these as a URL, not as local@domain
            return bool(_offline_tld_extractor()(pattern_text).fqdn)
        return _valid_domain(domain)


@lru_cache(maxsize=65536)
def _valid_domain(domain: str) -> bool:
    """Whether tldextract finds a host in `domain` (what it reads from `local@domain`; cached per domain)."""
    return bool(_offline_tld_extractor()(domain).fqdn)


def _from_at_signs(text: str, domain: re.Pattern) -> Iterator[tuple[int, int]]:
    """(start, end) of PATTERN's matches by Python's `re`, found from each `@` instead of tried at every
    character: the local part is the whole run of local-part characters before the `@` (PATTERN's
    possessive `…++` takes it whole or not at all), not ending in a dot; then the domain (`domain`)."""
    end = 0  # where the last match ended: a run that starts before it is inside that match
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and (text[start - 1] in _LOCAL_PUNCTUATION or text[start - 1].isalnum()):
            start -= 1
        if end <= start < at and text[at - 1] != ".":
            m = domain.match(text, at)
            if m:
                end = m.end()
                yield start, end
        at = text.find("@", at + 1)


@lru_cache(maxsize=8)
def _re_twin(pattern: str, flags: int) -> re.Pattern:
    """`pattern` compiled by Python's `re` (the flags have the same values in both engines)."""
    return re.compile(pattern, flags)


def _agrees(text: str) -> bool:
    """Whether both engines read every character of `text` alike in PATTERN's classes."""
    return text.isascii() or all(_same_class(c) for c in set(text) if not c.isascii())


@lru_cache(maxsize=4096)
def _same_class(c: str) -> bool:
    """Whether `re` and `regex` agree whether `c` is a word character and a local-part character."""
    flags = re.IGNORECASE | re.MULTILINE | re.DOTALL
    return all(bool(re.fullmatch(p, c, flags)) == bool(regex.fullmatch(p, c, flags)) and
               bool(re.fullmatch(p, c)) == bool(regex.fullmatch(p, c)) for p in (_LOCAL, r"\w"))
