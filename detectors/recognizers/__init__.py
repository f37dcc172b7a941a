"""The registry of recognisers the Danish engine runs. Add a recogniser class here.

Users add their own without code in Presidio's YAML format (`load_yaml_recognizers`);
see docs/detectors.md and docs/recognizers.example.yaml.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from presidio_analyzer import EntityRecognizer, PatternRecognizer

from detectors.categories import CATEGORIES, NON_PERSONAL_CATEGORIES
from detectors.recognizers.address import DkAddressRecognizer
from detectors.recognizers.bank import DkBankAccountRecognizer, DkIbanRecognizer
from detectors.recognizers.cpr import DkCprRecognizer
from detectors.recognizers.cvr import DkCvrRecognizer
from detectors.recognizers.email import OfflineEmailRecognizer
from detectors.recognizers.lexicon import DkLexiconRecognizer
from detectors.recognizers.name import DkNameRecognizer
from detectors.recognizers.phone import DkPhoneRecognizer

RECOGNIZERS: tuple[type[EntityRecognizer], ...] = (
    DkCprRecognizer, DkPhoneRecognizer, OfflineEmailRecognizer, DkNameRecognizer, DkAddressRecognizer,
    DkCvrRecognizer, DkBankAccountRecognizer, DkIbanRecognizer, DkLexiconRecognizer)


def danish_recognizers(language: str = "da") -> list[EntityRecognizer]:
    """Fresh instances of every recogniser in the registry."""
    return [cls(supported_language=language) for cls in RECOGNIZERS]


class RecognizerFileError(ValueError):
    """A user's recogniser YAML that cannot be used; the message says why."""


def load_yaml_recognizers(path: str | Path, language: str = "da") -> tuple[list[PatternRecognizer], dict[str, str]]:
    """Pattern recognisers from a YAML file in Presidio's format, plus their data categories.

    Each entry is what Presidio's `PatternRecognizer.from_dict` takes (name,
    supported_entity, patterns, context, deny_list …) with one datakort key, `category`
    (a category id from detectors/categories.py). `supported_language` defaults to `da`.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecognizerFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise RecognizerFileError(f"{path} is not valid YAML: {exc}") from None
    entries = data.get("recognizers") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RecognizerFileError(f"{path} has no `recognizers:` list")
    recognizers, categories = [], {}
    for n, entry in enumerate(entries, start=1):
        what = f"{path}, recogniser {n} ({entry.get('name', 'no name') if isinstance(entry, dict) else entry!r})"
        if not isinstance(entry, dict):
            raise RecognizerFileError(f"{what}: expected a mapping of name, supported_entity, patterns …")
        entry = {"supported_language": language, **entry}
        category = entry.pop("category", None)
        known = [*CATEGORIES, *NON_PERSONAL_CATEGORIES]
        if category not in known:
            raise RecognizerFileError(f"{what}: `category` must be one of {', '.join(known)}, not {category!r}")
        try:
            recognizer = PatternRecognizer.from_dict(entry)
        except (TypeError, ValueError, KeyError) as exc:
            raise RecognizerFileError(f"{what}: {exc}") from None
        recognizers.append(recognizer)
        for entity in recognizer.supported_entities:
            categories[entity] = category
    return recognizers, categories
