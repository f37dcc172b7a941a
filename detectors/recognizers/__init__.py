"""The registry of recognisers the Danish engine runs: one table of recogniser, entity
types with their data categories, and enabled. Add a recogniser by adding its row.

Users add their own without code in Presidio's YAML format (`load_yaml_recognizers`);
see docs/detectors.md and docs/recognizers.example.yaml.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from presidio_analyzer import EntityRecognizer, PatternRecognizer

from detectors.categories import CATEGORIES, NON_PERSONAL_CATEGORIES
from detectors.recognizers.address import DkAddressRecognizer
from detectors.recognizers.bank import DkBankAccountRecognizer, IbanRecognizer
from detectors.recognizers.cpr import DkCprRecognizer
from detectors.recognizers.cvr import DkCvrRecognizer
from detectors.recognizers.email import OfflineEmailRecognizer
from detectors.recognizers.lexicon import DkLexiconRecognizer
from detectors.recognizers.name import DkNameRecognizer
from detectors.recognizers.phone import DkPhoneRecognizer

@dataclass(frozen=True)
class Registered:
    """One row of the registry: a recogniser, the data category of each entity type it
    emits, and whether the Danish engine runs it."""

    recognizer: type[EntityRecognizer]
    categories: Mapping[str, str]
    enabled: bool = True


REGISTRY: tuple[Registered, ...] = (
    Registered(DkCprRecognizer, {"DK_CPR": "cpr"}),
    Registered(DkPhoneRecognizer, {"DK_PHONE": "contact"}),
    Registered(OfflineEmailRecognizer, {"EMAIL_ADDRESS": "contact"}),
    Registered(DkNameRecognizer, {"PERSON": "contact"}),
    Registered(DkAddressRecognizer, {"DK_ADDRESS": "contact"}),
    Registered(DkCvrRecognizer, {"DK_CVR": "company"}),  # not personal: reconciliation ignores it
    Registered(DkBankAccountRecognizer, {"DK_BANK_ACCOUNT": "financial"}),
    Registered(IbanRecognizer, {"IBAN_CODE": "financial"}),
    Registered(DkLexiconRecognizer, {
        "DK_HEALTH": "special", "DK_TRADE_UNION": "special", "DK_RELIGION": "special", "DK_ETHNICITY": "special",
        "DK_POLITICS": "special", "DK_SEXUAL_ORIENTATION": "special", "DK_CRIMINAL": "criminal",
        "DK_PERSONAL_DETAILS": "personal_details"}),
)

# Entity types found in pictures (detectors/images/): a face is biometric data for
# identification; a business card with photo is a face plus contact details on one picture.
PICTURE_CATEGORIES: Mapping[str, str] = {"PHOTO_OF_PERSON": "biometric", "BUSINESS_CARD_WITH_PHOTO": "biometric"}

ENTITY_CATEGORY: dict[str, str] = {
    **{entity: category for row in REGISTRY for entity, category in row.categories.items()},
    **PICTURE_CATEGORIES,
}


def category_of(entity_type: str) -> str:
    """The data category an entity type belongs to; an unknown type is refused, so a new
    recogniser cannot silently produce uncategorised findings."""
    try:
        return ENTITY_CATEGORY[entity_type]
    except KeyError:
        raise KeyError(f"entity type {entity_type!r} has no data category: add it to the REGISTRY "
                       f"in detectors/recognizers/__init__.py") from None


def danish_recognizers(language: str = "da") -> list[EntityRecognizer]:
    """Fresh instances of every enabled recogniser in the registry."""
    return [row.recognizer(supported_language=language) for row in REGISTRY if row.enabled]


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
