"""The registry of recognisers the Danish engine runs. Add a recogniser class here."""
from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from detectors.recognizers.cpr import DkCprRecognizer
from detectors.recognizers.email import OfflineEmailRecognizer
from detectors.recognizers.phone import DkPhoneRecognizer

RECOGNIZERS: tuple[type[EntityRecognizer], ...] = (DkCprRecognizer, DkPhoneRecognizer, OfflineEmailRecognizer)


def danish_recognizers(language: str = "da") -> list[EntityRecognizer]:
    """Fresh instances of every recogniser in the registry."""
    return [cls(supported_language=language) for cls in RECOGNIZERS]
