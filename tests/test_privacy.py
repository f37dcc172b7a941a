"""Masks, keyed hashes and the secret key file."""
from __future__ import annotations

import stat

from detectors.privacy import ValueHasher, load_or_create_key, mask


def test_key_file_is_private_and_stable(tmp_path):
    path = tmp_path / "sub" / "secret.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key


def test_hash_depends_on_key():
    assert ValueHasher(b"a" * 32)("DK_CPR", "0101901238") != ValueHasher(b"b" * 32)("DK_CPR", "0101901238")


def test_masks_hide_the_value():
    assert mask("DK_CPR", "010190-1238") == "0101xx-xxxx"
    assert mask("DK_PHONE", "+45 20 12 34 56") == "xxxxxx56"
    assert mask("EMAIL_ADDRESS", "rvl@interket.dk") == "r**@interket.dk"
    assert mask("PERSON", "Mette Nielsen") == "M**** N******"
