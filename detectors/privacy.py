"""How found values are kept without keeping them: a mask for people, a keyed hash for machines.

The hash is an HMAC-SHA256 of the normalised value under a local secret key, so the same
value gives the same hash across scans (for comparison) but cannot be looked up without
the key. The key file is created with mode 0600 and never leaves the machine.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

KEY_ENV = "DATAKORT_KEY_FILE"
DEFAULT_KEY_FILE = Path.home() / ".config" / "datakort" / "secret.key"


def key_path() -> Path:
    """Where the secret key lives: $DATAKORT_KEY_FILE, else ~/.config/datakort/secret.key."""
    return Path(os.environ.get(KEY_ENV) or DEFAULT_KEY_FILE)


def load_or_create_key(path: Path | None = None) -> bytes:
    """Read the secret key, creating it (mode 0600, in a 0700 folder) on first use."""
    path = path or key_path()
    if path.exists():
        key = path.read_bytes().strip()
        if len(key) < 32:
            raise ValueError(f"the secret key in {path} is too short ({len(key)} bytes); delete it to create a new one")
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


_NUMBERS = frozenset({"DK_CPR", "DK_PHONE", "DK_CVR", "DK_BANK_ACCOUNT", "IBAN_CODE"})  # hashed as their digits
_NON_DIGIT = re.compile(r"\D")


def normalise(entity_type: str, value: str) -> str:
    """The form of a value that is hashed: digits only for numbers, lower case otherwise."""
    if entity_type in _NUMBERS:
        digits = _NON_DIGIT.sub("", value)
        return digits[-8:] if entity_type == "DK_PHONE" else digits
    return " ".join(value.lower().split())


class ValueHasher:
    """Keyed hashes of found values."""

    def __init__(self, key: bytes):
        self._key = key

    def __call__(self, entity_type: str, value: str) -> str:
        message = f"{entity_type}\x00{normalise(entity_type, value)}".encode()
        return hmac.digest(self._key, message, "sha256").hex()[:32]  # (hmac.new(...).hexdigest(), in one C call)

    def of_bytes(self, entity_type: str, data: bytes) -> str:
        """The keyed hash of a binary value (a photo): the same picture gives the same hash."""
        return self(entity_type, hashlib.sha256(data).hexdigest())


def _mask_word(word: str) -> str:
    return word[:1] + "*" * (len(word) - 1)


def mask(entity_type: str, value: str) -> str:
    """A masked form a person can recognise but not read: `0101xx-xxxx`, `xx xx xx 78`, `m***@firma.dk`."""
    value = value.strip()
    if entity_type == "DK_CPR":
        digits = re.sub(r"\D", "", value)
        return f"{digits[:4]}xx-xxxx"
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        return f"{_mask_word(local)}@{domain}"
    if entity_type == "DK_ADDRESS":  # `V********* 1*, 8700 Horsens`: street and number masked, postcode kept
        postcode_town = re.search(r"\d{4}\s+\S.*$", value)
        kept = postcode_town.group() if postcode_town else ""
        hidden = value[:postcode_town.start()] if postcode_town else value
        return f"{' '.join(_mask_word(w) for w in hidden.split())} {kept}".strip()
    if entity_type == "IBAN_CODE":
        digits = re.sub(r"\s", "", value)
        return digits[:2] + "x" * (len(digits) - 4) + digits[-2:]
    if any(ch.isdigit() for ch in value):
        digits = normalise(entity_type, value) if entity_type == "DK_PHONE" else re.sub(r"\D", "", value)
        keep = digits[-2:] if len(digits) > 4 else ""
        return "x" * (len(digits) - len(keep)) + keep
    return " ".join(_mask_word(w) for w in value.split())


_LONG_NUMBER = re.compile(r"\d(?:[ .\-/]?\d){5,}")   # 6+ digits, maybe grouped: a CPR, phone or account number
_EMAIL = re.compile(r"([\w.+\-]+)@([\w\-]+(?:\.[\w\-]+)+)")


def scrub(text: str) -> str:
    """Text from elsewhere (a library's error message) made safe to store and log: long numbers
    become `xxxxxxxxxx`, e-mail addresses `m***@firma.dk`. A parser may quote the content it chokes on."""
    text = _LONG_NUMBER.sub(lambda m: re.sub(r"\d", "x", m.group()), text)
    return _EMAIL.sub(lambda m: f"{_mask_word(m.group(1))}@{m.group(2)}", text)
