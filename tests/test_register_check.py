"""`datakort register check`: line-numbered, human messages and exit code 2; `scan` says the same."""
from __future__ import annotations

import pytest

from detectors.categories import CATEGORIES, CATEGORY_CLASS, CATEGORY_CLASSES, HIGH_RISK_CATEGORIES
from reports.register.model import RegisterError
from reports.register.load import load_register
from reports.register.load import read_register
from datakort.main import main
from tests.conftest import SAMPLE_DIR

BAD = """\
format: datakort-register/1
categories:
  contact: {declared: true}
  kontakt: {declared: true}
systems:
  - id: kunder
    paths: ["Kunder/**"]
    holds: [contact]
  - id: tilbud
    paths: ["Kunder/*.docx"]
    holds: [contact]
  - id: arkiv
    paths: ["Kunder/Arkiv/**"]
    holds: [contact]
retention:
  - id: gamle
    keep: 5 aar
    clock: modified
    applies_to: {systems: [kunder]}
  - id: uden-ur
    keep: 5 years
    applies_to: {paths: ["Kunder/**"]}
"""


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_check_names_each_problem_on_its_line(bad, capsys):
    assert main(["register", "check", str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"{bad}:4: error: categories: unknown data category 'kontakt' (did you mean 'contact'?)" in out
    assert f"{bad}:10: error: overlapping location patterns: 'Kunder/*.docx' (system tilbud) and 'Kunder/**'" in out
    assert f"{bad}:17: error: retention gamle: cannot read the duration '5 aar' (did you mean '5 år'?)" in out
    assert f"{bad}:20: error: retention uden-ur has no clock" in out
    assert "5 error(s)" not in out and "4 error(s), 0 warning(s)" in out
    assert "(system arkiv)" not in out  # nested inside Kunder/**: more specific, so no overlap


def test_scan_refuses_a_bad_register_with_the_same_messages(bad, tmp_path, capsys):
    assert main(["register", "check", str(bad)]) == 2
    checked = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert main(["scan", str(tmp_path), "--register", str(bad), "--db", str(tmp_path / "s.sqlite"),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if ": error: " in line] == checked
    assert "the register cannot be used: 4 error(s) above" in err
    assert not (tmp_path / "s.sqlite").exists()
    with pytest.raises(RegisterError) as exc:
        load_register(bad)
    assert str(exc.value).splitlines() == checked


def test_sample_register_checks_clean(capsys):
    assert main(["register", "check", str(SAMPLE_DIR / "register.yaml")]) == 0
    out = capsys.readouterr().out
    assert "OK (7 systems, 5 retention rules)" in out and "warning" not in out


@pytest.mark.parametrize("text, expected", [
    ("format: [unclosed", ":1: error: not valid YAML"),
    ("format: datakort-register/2\n", ":1: error: unknown register format 'datakort-register/2'"),
    ("format: datakort-register/1\nsytems: []\n", ":2: warning: unknown field 'sytems' is ignored (did you mean 'systems'?)"),
    ("format: datakort-register/1\nsystems:\n  - id: a\n    holds: [contact]\n    scannable: false\n    holds: []\n",
     ":6: error: 'holds' is written twice in the same place (also on line 4)"),
    ("format: datakort-register/1\nsystems:\n  - id: a\n    paths: [\"A/**\"]\n  - id: a\n",
     ":5: error: systems: the id 'a' is used twice (also on line 3)"),
    ("format: datakort-register/1\nsystems:\n  - id: a\n    holds: [cpr]\n    does_not_hold: [cpr]\n    scannable: false\n",
     ":5: error: system a: cpr is listed both in holds and in does_not_hold"),
    ("format: datakort-register/1\nretention:\n  - id: r\n    keep: 1 year\n    clock: mtime\n    applies_to: {paths: [x]}\n",
     ":5: error: retention r: clock must be one of modified, created, sent, content, folder, not 'mtime'"),
    ("format: datakort-register/1\nretention:\n  - id: r\n    keep: 1 year\n    clock: sent\n",
     ":3: warning: retention r applies to nothing yet"),
    ("format: datakort-register/1\nsystems:\n  - id: a\n    paths: [\"A/**\"]\nretention:\n  - id: r\n    keep: 1 year\n"
     "    clock: sent\n    applies_to: {systems: [b]}\n", ":9: error: retention r: unknown system 'b'"),
])
def test_messages_for_common_mistakes(tmp_path, text, expected):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_register(path)
    assert any(p.format(str(path)).startswith(f"{path}{expected}") for p in problems), \
        [p.format(str(path)) for p in problems]


def test_same_prefix_but_disjoint_patterns_do_not_overlap(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("format: datakort-register/1\nsystems:\n  - id: a\n    paths: [\"Kunder/*.docx\"]\n"
                    "  - id: b\n    paths: [\"Kunder/*.pdf\"]\n", encoding="utf-8")
    register, problems = read_register(path)
    assert register is not None and problems == []


def test_missing_register_file_is_a_clear_message(tmp_path, capsys):
    assert main(["register", "check", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read the register" in capsys.readouterr().out


def test_every_category_has_an_official_class():
    assert set(CATEGORY_CLASS) == set(CATEGORIES)
    assert set(CATEGORY_CLASS.values()) == set(CATEGORY_CLASSES)
    assert HIGH_RISK_CATEGORIES == {"cpr", "special", "criminal", "biometric"}
