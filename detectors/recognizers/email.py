"""E-mail addresses: Presidio's recogniser, with its domain check kept offline."""
from __future__ import annotations

from functools import lru_cache

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer


@lru_cache(maxsize=1)
def _offline_tld_extractor() -> tldextract.TLDExtract:
    # No suffix-list URLs and no cache dir: use the snapshot bundled with tldextract, never the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's EmailRecognizer (entity EMAIL_ADDRESS) without network access."""

    def __init__(self, supported_language: str = "da"):
        super().__init__(supported_language=supported_language,
                         context=["email", "e-mail", "mail", "mailadresse", "e-post"])

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_offline_tld_extractor()(pattern_text).fqdn)
