"""The workspace's security and its answers, through Flask's test client (the browser test drives
the real server): login with the one-time token only, CSRF on every form, a looked-up value
never kept, the lookup and every decision in the audit trail; and `datakort find`."""
from __future__ import annotations

import getpass
import io
import re
import sqlite3
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from datakort.main import main
from reports.web.app import ServeConfig, create_app
from scanner.store import WorkspaceStore
from tests.serve_share import ADDED, DOCX, MAIL, ZIP, served_share  # noqa: F401  (fixture)


@pytest.fixture()
def app_config(served_share, tmp_path):
    import shutil
    db = tmp_path / "store.sqlite"
    shutil.copy(served_share["db"], db)
    return ServeConfig(db=db, reviews_file=tmp_path / "reviews.yaml", user="DPO")


@pytest.fixture()
def client(app_config):
    app = create_app(app_config)
    return app.test_client()


def _login(client, config):
    response = client.get(f"/login?token={config.token}")
    assert response.status_code == 303
    return _csrf(client)


def _csrf(client) -> str:
    page = client.get("/lookup").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _digits(cpr: str) -> list[str]:
    return [cpr, cpr.replace("-", ""), cpr[7:], cpr.replace("-", "")[6:]]


def test_without_the_token_every_page_is_refused(client, app_config):
    for path in ("/", "/gaps", "/findings", "/lookup", "/trends", "/register", "/owners", "/audit"):
        response = client.get(path)
        assert response.status_code == 401 and "datakort serve" in response.get_data(as_text=True)
    assert client.post("/lookup", data={"kind": "cpr", "value": "x"}).status_code == 401
    assert client.get("/login?token=wrong").status_code == 401
    assert client.get("/login").status_code == 401


def test_the_token_is_exchanged_once_for_a_strict_http_only_cookie(app_config):
    told = []
    app_config.on_login = told.append
    client = create_app(app_config).test_client()
    response = client.get(f"/login?token={app_config.token}")
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200
    other = create_app  # a second browser with the used link is refused, the new link works
    fresh = client.application.test_client()
    assert fresh.get(f"/login?token={app_config.token}").status_code == 401
    assert fresh.get(f"/login?token={told[0]}").status_code == 303 and other


def test_pages_load_nothing_from_elsewhere_and_refuse_other_hosts(client, app_config):
    _login(client, app_config)
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    page = response.get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400


def test_every_form_needs_the_csrf_token(client, app_config, served_share):
    csrf = _login(client, app_config)
    gap_id = re.search(r'data-id="([0-9a-f]{12})"', client.get("/gaps").get_data(as_text=True)).group(1)
    decision = {"target": "gap", "id": gap_id, "status": "false_positive", "reason": "test", "by": "DPO"}
    assert client.post("/decide", data=decision).status_code == 403
    assert client.post("/decide", data={**decision, "csrf": "forged"}).status_code == 403
    assert client.post("/lookup", data={"kind": "cpr", "value": served_share["cpr"]}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    response = client.post("/decide", data={**decision, "csrf": csrf, "next": "/gaps"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/gaps")
    assert client.post("/decide", data={**decision, "csrf": csrf, "next": "https://evil.example/"}
                       ).headers["Location"] == "/"


def test_a_decision_is_stored_once_with_who_and_moves_the_gap_to_reviewed(client, app_config):
    csrf = _login(client, app_config)
    gap_id = re.search(r'data-id="([0-9a-f]{12})"', client.get("/gaps").get_data(as_text=True)).group(1)
    until = (date.today() + timedelta(days=30)).isoformat()
    client.post("/decide", data={"csrf": csrf, "target": "gap", "id": gap_id, "status": "accepted",
                                 "reason": "aftalt med HR", "until": until, "by": "Dorthe DPO"})
    assert gap_id not in client.get("/gaps").get_data(as_text=True)
    assert gap_id in client.get("/gaps?state=reviewed").get_data(as_text=True)
    later = (date.today() + timedelta(days=31)).isoformat()
    assert gap_id in client.get(f"/gaps?as_of={later}").get_data(as_text=True)  # expired: open again
    store = WorkspaceStore(app_config.db)
    [decision] = store.decisions(gap_id)
    store.close()
    assert (decision.status, decision.by, decision.data["until"], decision.source) == (
        "accepted", "Dorthe DPO", until, "datakort serve")
    assert f"id: {gap_id}" in app_config.reviews_file.read_text()  # the export follows the store
    missing_until = client.post("/decide", data={"csrf": csrf, "target": "gap", "id": gap_id, "status": "accepted",
                                                 "reason": "", "by": "x"})
    assert missing_until.status_code == 400


def test_person_lookup_finds_all_places_and_keeps_no_value(client, app_config, served_share):
    csrf = _login(client, app_config)
    cpr = served_share["cpr"]
    response = client.post("/lookup", data={"csrf": csrf, "kind": "cpr", "value": cpr})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    table = page[page.index('id="lookup-table"'):]
    assert DOCX in table and f"{MAIL} › " in table and "oplysninger.txt" in table and f"{ZIP} › " in table
    assert "3 fund på 3 steder" in page
    assert not any(v in page for v in _digits(cpr))
    hashes = re.findall(r'name="hash" value="([0-9a-f]{32})"', page)
    export = client.post("/lookup/export", data={"csrf": csrf, "kind": "cpr", "format": "xlsx", "hash": hashes})
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("scan", "scan_started", "root", "file", "location") and len(rows) == 4
    assert {r[3] for r in rows[1:]} == {DOCX, MAIL, ZIP} and {r[6] for r in rows[1:]} == {"DK_CPR"}
    csv = client.post("/lookup/export", data={"csrf": csrf, "kind": "cpr", "format": "csv", "hash": hashes})
    assert csv.data.decode("utf-8-sig").count("DK_CPR") == 3
    # never kept: not in the store (nor its journal), the export file, or the audit trail
    for path in app_config.db.parent.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert not any(v.encode() in data for v in _digits(cpr)), path
    store = WorkspaceStore(app_config.db)
    events = [(e.who, e.action, e.detail) for e in store.audit_events()]
    store.close()
    assert ("DPO", "lookup", "kind=cpr scans=1 places=3") in events
    assert ("DPO", "lookup export", "kind=cpr format=xlsx places=3") in events


def test_lookup_of_a_bad_value_says_why_without_repeating_it(client, app_config):
    csrf = _login(client, app_config)
    page = client.post("/lookup", data={"csrf": csrf, "kind": "cpr", "value": "12345"}).get_data(as_text=True)
    assert "10 digits" in page and "12345" not in page


def test_the_lookup_uses_the_value_hash_index(served_share):
    store = WorkspaceStore(served_share["db"])
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT * FROM findings WHERE value_hash IN (?)", ("x",)).fetchall()
    store.close()
    assert "findings_value_hash" in " ".join(str(row) for row in plan)


def test_owners_are_stored_per_item_and_filter_the_lists(client, app_config, served_share):
    me = getpass.getuser()
    rows = sqlite3.connect(served_share["db"]).execute(
        "SELECT location, owner FROM items WHERE scan_id = 2 AND location LIKE ?", (f"{ZIP}%",)).fetchall()
    assert rows and {owner for _, owner in rows} == {me}  # the zip's members belong to the zip's owner
    _login(client, app_config)
    page = client.get(f"/findings?owner={me}").get_data(as_text=True)
    assert ZIP in page and DOCX in page
    assert "0 " + "vist" in client.get("/findings?owner=nobody-here").get_data(as_text=True)
    assert me in client.get("/owners").get_data(as_text=True)


def test_new_since_the_last_scan_filter(client, app_config):
    _login(client, app_config)
    page = client.get("/findings?new=1").get_data(as_text=True)
    assert ADDED in page and DOCX not in page
    gaps = client.get("/gaps?new=1").get_data(as_text=True)
    assert "Diverse" in gaps and "HR/Personale" not in gaps


def test_overview_trends_register_and_english(client, app_config):
    _login(client, app_config)
    overview = client.get("/").get_data(as_text=True)
    assert "Gør dette først" in overview and "→ " in overview
    trends = client.get("/trends").get_data(as_text=True)
    assert trends.count("<svg") == 2 and trends.count("<circle") >= 4
    register = client.get("/register").get_data(as_text=True)
    assert 'data-state="undeclared"' in register or 'data-state="ok"' in register
    client.get("/lang/en")
    assert "Do this first" in client.get("/").get_data(as_text=True)


def test_find_command_reads_the_value_from_stdin_and_records_the_lookup(served_share, tmp_path, capsys,
                                                                         monkeypatch):
    cpr = served_share["cpr"]
    monkeypatch.setattr("sys.stdin", io.StringIO(cpr + "\n"))
    out_csv = tmp_path / "places.csv"
    assert main(["find", "--cpr", "--db", str(served_share["db"]), "--csv", str(out_csv), "--by", "DPO"]) == 0
    out = capsys.readouterr().out
    assert "3 finding(s) in 3 place(s)" in out and DOCX in out and ZIP in out
    assert not any(v in out for v in _digits(cpr))
    assert out_csv.read_text(encoding="utf-8-sig").count("DK_CPR") == 3
    assert main(["find", "--cpr", served_share["other_cpr"], "--db", str(served_share["db"]), "--all-scans"]) == 0
    assert "scan 2" in capsys.readouterr().out
    assert main(["find", "--db", str(served_share["db"])]) == 2
    store = WorkspaceStore(served_share["db"])
    actions = [(e.who, e.action, e.detail) for e in store.audit_events()]
    store.close()
    assert ("DPO", "lookup (datakort find)", "kind=cpr scans=1 places=3") in actions


def test_serve_refuses_another_address_without_expose(served_share, capsys):
    assert main(["serve", "--db", str(served_share["db"]), "--host", "0.0.0.0"]) == 2
    assert "--expose" in capsys.readouterr().err
