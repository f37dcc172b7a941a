"""The register format: loading, path patterns, durations and clear errors."""
from __future__ import annotations

from datetime import date

import pytest
import yaml

from reports.register.model import Duration, PathPattern, RegisterError
from reports.register.load import load_register, parse_register
from tests.conftest import SAMPLE_DIR


def test_sample_register_loads():
    reg = load_register(SAMPLE_DIR / "register.yaml")
    assert reg.controller == "Interket A/S"
    assert reg.is_declared("contact") and reg.is_declared("biometric") and not reg.is_declared("cpr")
    assert reg.system_for("Kunder/Tidligere/X/a.docx").id == "kundemapper"
    assert reg.system_for("Økonomi/Eksport/x.csv").does_not_hold == ["contact"]
    assert reg.system_for("Diverse/x.txt") is None


def test_most_specific_pattern_wins():
    data = yaml.safe_load((SAMPLE_DIR / "register.yaml").read_text())
    data["systems"].append({"id": "arkiv", "name": "Arkiv", "paths": ["Kunder/Arkiv/**"], "holds": ["contact"]})
    reg = parse_register(data)
    assert reg.system_for("Kunder/Arkiv/2019/a.pdf").id == "arkiv"
    assert reg.system_for("Kunder/Aktive/a.pdf").id == "kundemapper"


@pytest.mark.parametrize("pattern, path, expected", [
    ("Kunder/**", "Kunder/A/b.docx", True),
    ("Kunder/**", "kunder/a.docx", True),          # shares are case-insensitive
    ("Kunder/*.docx", "Kunder/A/b.docx", False),   # * stays in one folder
    ("**/Løn*/**", "Diverse/Lønlister/x.xlsx", True),
])
def test_path_patterns(pattern, path, expected):
    assert PathPattern(pattern).matches(path) is expected


def test_durations():
    assert Duration.parse("5 years").after(date(2019, 3, 4)) == date(2024, 3, 4)
    assert Duration.parse("5 år").after(date(2020, 2, 29)) == date(2025, 2, 28)
    assert Duration.parse("6 måneder").after(date(2020, 8, 31)) == date(2021, 2, 28)
    with pytest.raises(RegisterError, match="cannot read the duration '5 aarr'"):
        Duration.parse("5 aarr")


def test_bad_register_errors_say_what_to_fix(tmp_path):
    data = yaml.safe_load((SAMPLE_DIR / "register.yaml").read_text())
    data["systems"][0]["holds"] = ["kontakt"]
    with pytest.raises(RegisterError, match="unknown data category 'kontakt'"):
        parse_register(data)
    data = yaml.safe_load((SAMPLE_DIR / "register.yaml").read_text())
    del data["retention"][0]["clock"]
    with pytest.raises(RegisterError, match="clock must be one of"):
        parse_register(data)
    bad = tmp_path / "r.yaml"
    bad.write_text("format: [unclosed")
    with pytest.raises(RegisterError, match="not valid YAML"):
        load_register(bad)
