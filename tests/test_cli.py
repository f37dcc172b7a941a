"""What IT sees when something is wrong before the scan starts."""
from __future__ import annotations

from datakort.main import main
from tests.conftest import SAMPLE_DIR


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    code = main(["scan", str(tmp_path / "nope"), "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(tmp_path / "s.sqlite")])
    assert code == 2
    assert "is not a folder that can be read" in capsys.readouterr().err


def test_bad_register_is_a_clear_error(tmp_path, capsys):
    reg = tmp_path / "register.yaml"
    reg.write_text("format: datakort-register/1\nsystems:\n  - id: x\n    holds: [kontakt]\n")
    code = main(["scan", str(tmp_path), "--register", str(reg), "--db", str(tmp_path / "s.sqlite")])
    assert code == 2
    assert "unknown data category 'kontakt'" in capsys.readouterr().err


def test_demo_refuses_to_delete_a_folder_it_did_not_make(tmp_path, capsys):
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "important.txt").write_text("keep me")
    assert main(["demo", "--workdir", str(tmp_path)]) == 2
    assert (tmp_path / "share" / "important.txt").exists()
