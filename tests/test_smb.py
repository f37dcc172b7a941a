"""`datakort scan smb://…` against a real Samba server started on 127.0.0.1 for these tests:
reading, a folder the scan account may not list, a file changed during the scan, read-only."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from scanner.model import ANALYSED, FAILED
from scanner.run.runner import ScanOptions, run_scan
from scanner.sources.smb import SmbCredentials, SmbError, SmbSource, credentials
from scanner.store import Store
from tests.scale_helpers import make_text_share

USER, PASSWORD = "datakort-smbtest", "Hemmeligt-Kodeord-42"

SMB_CONF = """[global]
  netbios name = DATAKORTTEST
  workgroup = WORKGROUP
  server role = standalone server
  security = user
  map to guest = never
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = {port}
  private dir = {state}/private
  lock directory = {state}/lock
  state directory = {state}/state
  cache directory = {state}/cache
  pid directory = {state}/pid
  ncalrpc dir = {state}/ncalrpc
  passdb backend = tdbsam:{state}/private/passdb.tdb
  log file = {state}/log.smbd
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  server min protocol = SMB2_10
[data]
  path = {share}
  read only = yes
"""


def _tool(name: str) -> str | None:
    """A Samba or user tool, also when /usr/sbin is not on PATH."""
    return shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def samba():
    """A private smbd on 127.0.0.1:<high port> sharing a fresh folder as `data`, with one test user."""
    smbd, smbpasswd, useradd = _tool("smbd"), _tool("smbpasswd"), _tool("useradd")
    if not (smbd and smbpasswd and useradd) or os.geteuid() != 0:
        why = "needs Debian's samba and root (.ci/run installs samba)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    base = Path(tempfile.mkdtemp(prefix="datakort-smb-"))
    share, state = base / "share", base / "state"
    for d in ("private", "lock", "state", "cache", "pid", "ncalrpc"):
        (state / d).mkdir(parents=True)
    share.mkdir()
    os.chmod(base, 0o755)
    port = _free_port()
    conf = base / "smb.conf"
    conf.write_text(SMB_CONF.format(port=port, state=state, share=share))
    subprocess.run([smbpasswd, "-c", str(conf), "-a", "-s", USER], input=f"{PASSWORD}\n{PASSWORD}\n",
                   text=True, check=True, capture_output=True)
    proc = subprocess.Popen([smbd, "--foreground", "--no-process-group", "-s", str(conf), "--debug-stdout"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # smbd signals its whole process group when it stops
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"smbd did not start; see {state}/log.smbd")
            time.sleep(0.1)
    yield {"share": share, "port": port, "url": f"smb://127.0.0.1:{port}/data"}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    _stop_helpers(conf)
    shutil.rmtree(base, ignore_errors=True)


def _stop_helpers(conf: Path) -> None:
    """Stop the RPC helpers smbd started on demand for this server (samba-dcerpcd and its rpcd_*: the
    LSA the owner lookup uses); they run in a session of their own, so stopping smbd leaves them."""
    for proc_dir in Path("/proc").iterdir():
        try:
            if proc_dir.name.isdigit() and str(conf).encode() in (proc_dir / "cmdline").read_bytes():
                os.kill(int(proc_dir.name), signal.SIGTERM)
        except (OSError, ProcessLookupError):
            pass


def _source(samba, folder=""):
    return SmbSource("127.0.0.1", "data", folder, SmbCredentials(USER, PASSWORD), samba["port"])


def test_scan_over_smb_reads_files_reports_a_locked_folder_and_a_file_changed_midway(samba, detector, tmp_path):
    share = samba["share"]
    make_text_share(share / "Kunder", 5, per_folder=5)
    locked = share / "Ledelse"
    locked.mkdir()
    (locked / "hemmelig.txt").write_text("CPR-nr.: 020290-1231\n")
    os.chmod(locked, 0o700)  # owned by root: the scan account may not list it
    changing = share / "Kunder" / "zz-ændres.txt"
    changing.write_text("ingen personoplysninger her\n")
    for p in share.rglob("*"):
        if p.parent != locked and p != locked:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in share.rglob("*.txt")}

    def change_it(n, location):  # the crawler has listed the file; change it before it is read
        if location.endswith("zz-ændres.txt"):
            changing.write_text("nu med CPR-nr.: 020290-1231\n")

    store = Store(tmp_path / "store.sqlite")
    scan_id, stats = run_scan(_source(samba), store, detector, progress=change_it)
    results = {r.location: r for r in store.results(scan_id)}
    assert store.scan(scan_id).root == samba["url"]
    assert results["Kunder/afd000/kunde00000.txt"].status == ANALYSED
    assert sorted(f.entity_type for f in results["Kunder/afd000/kunde00000.txt"].findings) == [
        "DK_CPR", "DK_PHONE", "EMAIL_ADDRESS"]
    assert results["Ledelse"].status == FAILED
    assert results["Ledelse"].reason == "folder cannot be listed: access denied (the scan account may not read it)"
    changed = results["Kunder/zz-ændres.txt"]
    assert changed.status == ANALYSED and [f.entity_type for f in changed.findings] == ["DK_CPR"]
    assert stats.items == 7 and stats.findings == 5 * 3 + 1

    # read-only: nothing on the share changed except the file the test changed itself
    for p, (mtime, data) in before.items():
        if p != changing:
            assert (p.stat().st_mtime_ns, p.read_bytes()) == (mtime, data)

    # the stored mtime is the one listed before the change, so the next scan reads it again
    os.utime(changing, ns=(time.time_ns(), time.time_ns()))
    _, again = run_scan(_source(samba), store, detector, options=ScanOptions(workers=2))
    assert again.unchanged == 5 and again.findings == stats.findings


def test_file_owners_are_named_by_the_server(samba, detector, tmp_path):
    """The owner SID of each file comes from its security descriptor and is named by the server's LSA:
    a Samba user as NETBIOS\\user, a Unix account without a Samba login as Unix User\\name."""
    folder = samba["share"] / "Ejere"
    folder.mkdir()
    mine, roots = folder / "brugerens.txt", folder / "roots.txt"
    mine.write_text("tlf. 20 30 40 50\n")
    roots.write_text("tlf. 20 30 40 51\n")
    os.chown(mine, pwd.getpwnam(USER).pw_uid, -1)
    for p in (folder, mine, roots):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    store = Store(tmp_path / "store.sqlite")
    scan_id, _ = run_scan(_source(samba, "Ejere"), store, detector, options=ScanOptions(workers=0))
    owners = {r.location: r.owner for r in store.results(scan_id)}
    assert owners == {"brugerens.txt": f"DATAKORTTEST\\{USER}", "roots.txt": "Unix User\\root"}


def test_an_owner_the_server_will_not_name_is_its_sid():
    from scanner.sources.smb_owners import LsaClient, _sid_bytes

    lsa = LsaClient("127.0.0.1", {"port": 1, "username": "x", "password": "y"})  # nothing listens: no LSA
    assert lsa.name("S-1-5-21-1-2-3-1104") == "S-1-5-21-1-2-3-1104"
    assert lsa.name("S-1-5-21-1-2-3-1105") == "S-1-5-21-1-2-3-1105"  # refused once: not asked again
    assert _sid_bytes("S-1-5-32-544") == bytes.fromhex("02000000" "0102" "000000000005" "20000000" "20020000")


def test_wrong_password_is_one_clear_message(samba):
    source = SmbSource("127.0.0.1", "data", "", SmbCredentials(USER, "forkert"), samba["port"])
    with pytest.raises(SmbError, match="logon failure"):
        source.check()


def test_credentials_come_from_env_or_file_never_the_url(monkeypatch, tmp_path):
    with pytest.raises(SmbError, match="do not put the password in the URL"):
        SmbSource.from_url("smb://bo:hemmeligt@server/data")
    monkeypatch.setenv("DATAKORT_SMB_USER", "KONTOR\\scan")
    monkeypatch.setenv("DATAKORT_SMB_PASSWORD", "pw-fra-env")
    source = SmbSource.from_url("smb://server:1445/data/Kunder/2024")
    assert (source.server, source.port, source.share, source.folder) == ("server", 1445, "data", "Kunder/2024")
    assert source.credentials.username == "KONTOR\\scan"
    assert "pw-fra-env" not in repr(source) and source.name == "smb://server:1445/data/Kunder/2024"
    file = tmp_path / "creds"
    file.write_text("username = filbruger\npassword = pw-fra-fil\n")
    assert credentials(None, file) == SmbCredentials("filbruger", "pw-fra-fil")
    monkeypatch.delenv("DATAKORT_SMB_USER")
    monkeypatch.delenv("DATAKORT_SMB_PASSWORD")
    with pytest.raises(SmbError, match="no SMB password for bo"):
        credentials("bo", prompt=False)


def test_cli_scans_an_smb_url_and_never_writes_the_password(samba, tmp_path, monkeypatch, capsys):
    from datakort.main import main
    from tests.conftest import SAMPLE_DIR

    make_text_share(samba["share"] / "Cli", 2, per_folder=2)
    for p in [samba["share"] / "Cli", *(samba["share"] / "Cli").rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    monkeypatch.setenv("DATAKORT_SMB_USER", USER)
    monkeypatch.setenv("DATAKORT_SMB_PASSWORD", PASSWORD)
    db = tmp_path / "store.sqlite"
    code = main(["-v", "scan", samba["url"] + "/Cli", "--register", str(SAMPLE_DIR / "register.yaml"),
                 "--db", str(db), "--out", str(tmp_path / "out"), "--workers", "1"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "2 items (2 analysed" in out.out
    for text in (out.out, out.err, db.read_bytes().decode("latin-1"),
                 *(f.read_text() for f in (tmp_path / "out").iterdir())):
        assert PASSWORD not in text
    monkeypatch.setenv("DATAKORT_SMB_PASSWORD", "forkert")
    code = main(["scan", samba["url"], "--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(db)])
    assert code == 2
    assert f"cannot open {samba['url']} as {USER}: logon failure" in capsys.readouterr().err
