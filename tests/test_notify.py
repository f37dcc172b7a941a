"""`datakort scan … --notify`: a real SMTP server (aiosmtpd, STARTTLS and login required) gets a Danish mail
with the report attached when the scan finds new gaps, and none when nothing is new."""
from __future__ import annotations

import datetime as dt
import email
import shutil
import socket
import ssl
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from datakort.main import main
from reports.notify import NotifyError, SmtpSettings
from tests.conftest import DEMO_DATE, SAMPLE_DIR

USER, PASSWORD = "datakort", "hemmeligt-kodeord-42"


def _certificate(folder):
    """A self-signed certificate for 127.0.0.1: the server's, and the CA file the client trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address(
                "127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Mailbox:
    """The SMTP server's handler: keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("smtp")
    cert_file, key_file = _certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=_authenticate, auth_require_tls=True)
    controller.start()
    yield {"port": port, "cafile": cert_file, "mailbox": mailbox, "folder": folder}
    controller.stop()


@pytest.fixture
def smtp_env(smtp_server, monkeypatch, tmp_path):
    password_file = tmp_path / "smtp-password"
    password_file.write_text(PASSWORD + "\n")
    for key, value in (("HOST", "127.0.0.1"), ("PORT", str(smtp_server["port"])), ("USER", USER),
                       ("PASSWORD_FILE", str(password_file)), ("CAFILE", str(smtp_server["cafile"])),
                       ("FROM", "datakort@firma.dk")):
        monkeypatch.setenv(f"DATAKORT_SMTP_{key}", value)
    monkeypatch.setenv("HOME", str(tmp_path))  # no smtp.conf of the user's
    smtp_server["mailbox"].messages.clear()
    return smtp_server


def test_new_gaps_send_a_danish_mail_with_the_report_and_nothing_new_sends_none(smtp_env, sample_share, tmp_path,
                                                                                capsys):
    root, written = sample_share
    share = tmp_path / "share"
    shutil.copytree(root, share)
    common = ["scan", str(share), "--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(tmp_path / "s.sqlite"),
              "--as-of", DEMO_DATE.isoformat(), "--out", str(tmp_path / "report"), "--notify", "dpo@firma.dk"]
    assert main(common) == 0
    assert "Mail to dpo@firma.dk: sent" in capsys.readouterr().out
    [(recipients, raw)] = smtp_env["mailbox"].messages
    assert recipients == ["dpo@firma.dk"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"].startswith("datakort: ") and "nye afvigelser" in message["Subject"]
    assert "med høj alvor – Interket A/S" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Første skanning: alle åbne afvigelser er nye" in body and "Åbne afvigelser med høj alvor: 2" in body
    assert "[Høj] Placering ikke i fortegnelsen: Diverse/Gamle lønlister" in body
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert set(attachments) == {"report.html", "summary.html"}
    assert "Ledelsesresumé: Interket A/S" in attachments["summary.html"]
    for value in written["cpr"]:  # masked values only, in the mail as in the reports
        assert value.encode() not in raw and value.replace("-", "").encode() not in raw

    smtp_env["mailbox"].messages.clear()
    assert main(common) == 0  # the same share again: nothing new, no mail
    assert "not sent, nothing new" in capsys.readouterr().out
    assert smtp_env["mailbox"].messages == []


def test_a_wrong_password_is_one_clear_line_after_the_report_is_written(smtp_env, tmp_path, monkeypatch, capsys):
    (tmp_path / "bad").write_text("forkert")
    monkeypatch.setenv("DATAKORT_SMTP_PASSWORD_FILE", str(tmp_path / "bad"))
    share = tmp_path / "share"
    share.mkdir()
    (share / "kunde.txt").write_text("Kontakt: Jens Hansen, tlf. 20 30 40 50\n", encoding="utf-8")
    code = main(["scan", str(share), "--register", str(SAMPLE_DIR / "register.yaml"), "--db", str(tmp_path / "s.sqlite"),
                 "--out", str(tmp_path / "report"), "--notify", "dpo@firma.dk", "-q", "--workers", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "refused the login of 'datakort'" in err and "Traceback" not in err
    assert (tmp_path / "report" / "report.html").exists()


def test_settings_come_from_a_file_or_the_environment_never_the_command_line(tmp_path, monkeypatch, capsys):
    config = tmp_path / "smtp.conf"
    config.write_text("host = mail.firma.dk\nport = 2525\nuser = scanner\npassword = x\n")
    config.chmod(0o644)
    with pytest.raises(NotifyError, match="others can read it: chmod 600"):
        SmtpSettings.load(config, environ={})
    config.chmod(0o600)
    settings = SmtpSettings.load(config, environ={"DATAKORT_SMTP_PORT": "587"})
    assert (settings.host, settings.port, settings.starttls, settings.user) == ("mail.firma.dk", 587, True, "scanner")
    empty = tmp_path / "empty.conf"
    empty.write_text("# nothing yet\n")
    with pytest.raises(NotifyError, match="no SMTP server"):
        SmtpSettings.load(empty, environ={})
    for key in ("HOST", "PORT", "USER", "PASSWORD", "PASSWORD_FILE"):
        monkeypatch.delenv(f"DATAKORT_SMTP_{key}", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    code = main(["scan", str(tmp_path), "--register", str(SAMPLE_DIR / "register.yaml"), "--notify", "a@b.dk",
                 "--db", str(tmp_path / "s.sqlite")])
    assert code == 2 and "no SMTP server: set DATAKORT_SMTP_HOST" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite").exists()  # refused before scanning
    with pytest.raises(SystemExit):
        main(["scan", str(tmp_path), "--register", "r.yaml", "--notify", "a@b.dk", "--smtp-password", "x"])
    assert "unrecognized arguments: --smtp-password" in capsys.readouterr().err
