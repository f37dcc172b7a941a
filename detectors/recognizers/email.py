"""E-mail addresses: Presidio's recogniser, with its domain check kept offline.

Presidio's pattern backtracks through every word of the text; ours matches the same
addresses but starts only at the start of a word and never backtracks over the local
part (a possessive quantifier), so its cost stays linear.
"""
from __future__ import annotations

from functools import lru_cache

import tldextract
from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_LOCAL = r"[!#$%&'*+\-/=?^_`{|}~\w.]"
PATTERN = Pattern("email (linear)", rf"(?<!{_LOCAL}){_LOCAL}++(?<!\.)@\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+\b", 0.5)


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

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_offline_tld_extractor()(pattern_text).fqdn)
