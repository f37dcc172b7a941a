"""A mail to the DPO when a scan finds something new: `datakort scan … --notify dpo@firma.dk`.

The mail is short and in the report's language (Danish by default): how many gaps are new
since the previous scan and how many open gaps are of high severity, one line for each new or
high gap, and the one-page summary and the full report attached. Masked values only, like the
reports. SMTP settings come from a config file and the environment (the environment wins);
the password from `DATAKORT_SMTP_PASSWORD`, a password file, or the config file — never from
the command line. docs/report.md ("A mail when something is new") shows a cron and a
systemd timer that use it.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from reports.gaps.reconcile import Gap, Severity
from reports.render.i18n import translator
from reports.render.labels import SEVERITIES, gap_detail, kind_label, local_time, location_text
from reports.render.report import Report

CONFIG_PATH = Path("~/.config/datakort/smtp.conf")
ENV_PREFIX = "DATAKORT_SMTP_"
KEYS = ("host", "port", "starttls", "ssl", "user", "password", "password_file", "from", "cafile")
MAX_LINES = 20            # gaps listed in the mail; the rest are in the attached report
MAX_ATTACHMENT = 10 << 20  # bytes: a larger report.html is named, not attached


class NotifyError(RuntimeError):
    """The mail cannot be sent; the message says why in one line."""


@dataclass
class SmtpSettings:
    """Where and how to send: host, port, STARTTLS or SSL, login, sender, and a CA file for a private CA."""

    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    user: str = ""
    password: str = ""
    sender: str = ""
    cafile: str = ""

    @classmethod
    def load(cls, config: Path | None = None, environ: dict[str, str] | None = None) -> "SmtpSettings":
        """Settings from `config` (or ~/.config/datakort/smtp.conf if it exists) and DATAKORT_SMTP_* variables."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, str] = {}
        path = config or CONFIG_PATH.expanduser()
        if config is not None or path.exists():
            values.update(_read_config(path))
        for key in KEYS:
            if environ.get(ENV_PREFIX + key.upper()):
                values[key] = environ[ENV_PREFIX + key.upper()]
        if not values.get("host"):
            raise NotifyError(f"no SMTP server: set {ENV_PREFIX}HOST or `host = …` in {path}")
        password = values.get("password", "")
        if values.get("password_file"):
            try:
                password = Path(values["password_file"]).expanduser().read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise NotifyError(f"cannot read the SMTP password file {values['password_file']}: "
                                  f"{exc.strerror or exc}") from exc
        use_ssl = _yes(values.get("ssl", "no"))
        try:
            port = int(values.get("port") or (465 if use_ssl else 587))
        except ValueError as exc:
            raise NotifyError(f"the SMTP port must be a number, not {values.get('port')!r}") from exc
        user = values.get("user", "")
        return cls(host=values["host"], port=port, starttls=not use_ssl and _yes(values.get("starttls", "yes")),
                   ssl=use_ssl, user=user, password=password, sender=values.get("from") or user or "datakort@localhost",
                   cafile=values.get("cafile", ""))


def _yes(value: str) -> bool:
    return str(value).strip().lower() in {"1", "yes", "ja", "true", "on"}


def _read_config(path: Path) -> dict[str, str]:
    """`key = value` lines (# comments); a file holding a password must not be readable by others."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotifyError(f"cannot read the SMTP settings {path}: {exc.strerror or exc}") from exc
    values = {}
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        key = key.strip().lower()
        if not sep or key not in KEYS:
            raise NotifyError(f"{path}:{n}: expected `key = value` with a key of {', '.join(KEYS)}")
        values[key] = value.strip()
    if "password" in values and path.stat().st_mode & 0o077:
        raise NotifyError(f"{path} holds a password but others can read it: chmod 600 {path}")
    return values


def _gap_line(gap: Gap, report: Report, lang: str, systems: dict[str, str]) -> str:
    severity = SEVERITIES[lang].get(gap.severity, gap.severity)
    return (f"- [{severity}] {kind_label(gap.kind, lang)}: {location_text(gap.location, lang)} – "
            f"{gap_detail(gap, lang, systems, report.register)} (ID {gap.id})")


def new_gaps(report: Report) -> list[Gap]:
    """Open gaps new since the previous scan; on a first scan, every open gap."""
    if report.diff is None:
        return list(report.gaps)
    new_ids = {g.id for g in report.diff.new_gaps}
    return [g for g in report.gaps if g.id in new_ids]


def worth_a_mail(report: Report) -> list[Gap]:
    """The gaps to tell about: the new ones, then the open ones of high severity."""
    new = new_gaps(report)
    ids = {g.id for g in new}
    return new + [g for g in report.gaps if g.severity == Severity.HIGH and g.id not in ids]


def compose(report: Report, to: list[str], sender: str, attachments: list[Path], lang: str = "da") -> EmailMessage:
    """The mail: subject with the counts, a short text, the summary and the report attached."""
    _ = translator(lang)
    new = new_gaps(report)
    high = [g for g in report.gaps if g.severity == Severity.HIGH]
    systems = {s.id: s.name for s in report.register.systems}
    message = EmailMessage()
    message["Subject"] = _("datakort: {new} new gap(s), {high} of high severity – {controller}").format(
        new=len(new), high=len(high), controller=report.register.controller)
    message["From"], message["To"] = sender, ", ".join(to)
    message["Message-ID"] = make_msgid(domain="datakort")
    scan = report.scan
    lines = [_("Scan {id} of {root}, {when}, against register version {version}.").format(
                 id=scan.id, root=scan.root, when=local_time(scan.started), version=report.register.version), "",
             _("New gaps since the previous scan: {n}").format(n=len(new)) if report.diff else
             _("First scan: every open gap is new ({n}).").format(n=len(new)),
             _("Open gaps of high severity: {n}").format(n=len(high)),
             _("Open gaps in total: {n}").format(n=len(report.gaps)), ""]
    listed = worth_a_mail(report)
    if listed:
        lines.append(_("New and high gaps:"))
        lines += [_gap_line(g, report, lang, systems) for g in listed[:MAX_LINES]]
        if len(listed) > MAX_LINES:
            lines.append(_("… and {n} more in the attached report").format(n=len(listed) - MAX_LINES))
        lines.append("")
    attached = [p for p in attachments if p.exists() and p.stat().st_size <= MAX_ATTACHMENT]
    named = [p for p in attachments if p.exists() and p not in attached]
    if attached:
        lines.append(_("Attached: {files}.").format(files=", ".join(p.name for p in attached)))
    for path in named:
        lines.append(_("Too large to attach, read it here: {path}").format(path=path.resolve()))
    lines.append(_("Values are masked; no personal data in clear text. Made by datakort."))
    message.set_content("\n".join(lines))
    for path in attached:
        message.add_attachment(path.read_text(encoding="utf-8"), subtype="html", filename=path.name)
    return message


def send(message: EmailMessage, settings: SmtpSettings, timeout: float = 30.0) -> None:
    """Send over SMTP (STARTTLS or SSL unless switched off, then login); NotifyError says why it failed."""
    context = ssl.create_default_context(cafile=settings.cafile or None)
    try:
        if settings.ssl:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            if settings.starttls:
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(f"the SMTP server {settings.host} refused the login of {settings.user!r} "
                          f"({exc.smtp_code})") from exc
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise NotifyError(f"cannot send the mail through {settings.host}:{settings.port}: "
                          f"{type(exc).__name__}: {exc}") from exc


def notify(report: Report, to: list[str], settings: SmtpSettings, attachments: list[Path],
           lang: str = "da") -> bool:
    """Mail the DPO when there is something new; returns whether a mail was sent."""
    if not new_gaps(report):
        return False
    send(compose(report, to, settings.sender, attachments, lang), settings)
    return True
