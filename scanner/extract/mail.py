"""E-mail: single messages (.eml) and mailboxes (.mbox), with the standard library.

Every message, whatever it came from (.eml, .mbox, .msg, .pst), becomes Content the same
way, in `message_content`: the people in the headers (with display names), the subject
and the body are text; the sent date is the message's date for retention; attachments
are children, each named by its file name, and inherit the message's sent date.
A message inside a mailbox is named like `2019-03-04 12:01 "Tilbud"`.
"""
from __future__ import annotations

import io
import mimetypes
import re
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from typing import Iterable, Iterator

from scanner.extract import extractor, unreadable
from scanner.extract.legacy import rtf_to_text
from scanner.extract.text import decode_text, html_to_text
from scanner.model import Blob, Content, Segment

SUBJECT_CHARS = 60
MAX_MESSAGE_BYTES = 256 * 1024**2  # one message inside an mbox
_SEP = re.compile(r"\s+|›")


def message_label(sent: datetime | None, subject: str | None) -> str:
    """How a message inside a mailbox is named in a location: `2019-03-04 12:01 "Tilbud"`."""
    subject = _SEP.sub(" ", subject or "").strip()
    if len(subject) > SUBJECT_CHARS:
        subject = subject[:SUBJECT_CHARS - 1] + "…"
    when = sent.strftime("%Y-%m-%d %H:%M") if sent else "(no date)"
    return f'{when} "{subject}"' if subject else f"{when} (no subject)"


def message_content(people: Iterable[tuple[str, str]], subject: str | None, body: str,
                    sent: datetime | None, attachments: Iterable[Blob] = (), body_where: str = "body") -> Content:
    """Content of one message: `people` are (header, "Name <address>") pairs like ("From", …)."""
    head = [(f"{header}: {value}", header) for header, value in people if value]
    if subject:
        head.append((f"Subject: {subject}", "Subject"))
    segments = [Segment.joined(head)] if head else []
    if body.strip():
        segments.append(Segment(body, body_where, numbered_lines=True))
    dates = {"sent": sent} if sent else {}
    return Content(segments=segments, dates=dates, children=_inheriting(attachments, dates))


def body_text(plain: str | bytes | None = None, html: str | bytes | None = None, rtf: str | bytes | None = None) -> str:
    """A message body as text: the plain-text body if there is one, else the HTML body as
    text, else the RTF body as text (Outlook keeps any of the three)."""
    def text(value: str | bytes) -> str:
        return decode_text(value) if isinstance(value, bytes) else value

    if plain and text(plain).strip():
        return text(plain)
    if html:
        return html_to_text(text(html))
    if rtf:
        return rtf_to_text(text(rtf))
    return ""


def _inheriting(attachments: Iterable[Blob], dates: dict[str, datetime]) -> Iterator[Blob]:
    for blob in attachments:
        blob.dates = {**dates, **blob.dates}
        yield blob


def parse_date(value: object) -> datetime | None:
    """A Date header as an aware datetime (UTC when it names no zone), or None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _text_of(part) -> str:
    """A text part decoded with its declared charset; unknown charsets are guessed."""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        text = decode_text(part.get_payload(decode=True) or b"")
    if isinstance(text, bytes):
        text = decode_text(text)
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def header_values(message, name: str) -> list[str]:
    """A header's values as text. The standard library's parser chokes on some real headers
    (a bare CR in an address, an odd encoded word); those are decoded from the raw value."""
    try:
        return [str(v) for v in message.get_all(name, [])]
    except Exception:
        return [_decoded(value) for key, value in message.raw_items() if key.lower() == name.lower()]


def _decoded(raw: object) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(str(raw))))
    except Exception:  # an encoded word that does not decode: the raw text is still text
        return str(raw)


def _header(message, name: str) -> str | None:
    values = header_values(message, name)
    return values[0] if values else None


def _attachments(message: EmailMessage) -> Iterator[Blob]:
    for n, part in enumerate(message.iter_attachments(), start=1):
        try:
            yield _attachment(part, n)
        except Exception as exc:  # one attachment the standard library cannot rebuild: its siblings are read
            yield Blob(name=f"attachment {n}", size=0,
                       content=unreadable(f"the attachment cannot be decoded ({type(exc).__name__})"))


def _attachment(part, n: int) -> Blob:
    """One attachment as a child: an attached message as .eml, any other part by its file name."""
    try:
        name = part.get_filename()
    except Exception:  # an odd encoded file name: the attachment is named by its number
        name = None
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) else inner
        data = _message_bytes(inner)
        kind = ".eml"
        name = name or message_label(parse_date(_header(inner, "Date")), _header(inner, "Subject"))
    else:
        data = _payload(part)
        kind = None
        if not name:  # named by its MIME type: text/html -> `attachment 2.html`
            name = f"attachment {n}{mimetypes.guess_extension(part.get_content_type()) or ''}"
    return Blob(name=name, size=len(data), open=lambda d=data: io.BytesIO(d), kind=kind)


def _payload(part) -> bytes:
    """A part's decoded bytes; a payload with 8-bit text where the headers promise 7-bit (which
    the standard library cannot encode back) as its UTF-8 text."""
    try:
        return part.get_payload(decode=True) or b""
    except (UnicodeError, ValueError):
        payload = part.get_payload()
        return payload.encode("utf-8", errors="replace") if isinstance(payload, str) else b""


def _message_bytes(inner) -> bytes:
    """An attached message as bytes: in UTF-8 when it has 8-bit headers the SMTP policy refuses,
    as it was when the standard library cannot fold a header again."""
    if not hasattr(inner, "as_bytes"):
        return bytes(inner)
    for rewrite in (policy.SMTP, policy.SMTP.clone(utf8=True), policy.compat32):  # compat32 refolds nothing
        try:
            return inner.as_bytes(policy=rewrite)
        except (UnicodeError, ValueError):
            continue
    raise ValueError("the attached message cannot be written back as bytes")


def email_content(message: EmailMessage) -> Content:
    """Content of a parsed MIME message: headers, the plain (or else HTML) body, attachments."""
    try:
        body_part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # a part header the standard library chokes on: the first text part is the body
        body_part = next((p for p in message.walk() if p.get_content_maintype() == "text"), None)
    body = _text_of(body_part) if body_part is not None else ""
    people = [(h, v) for h in ("From", "Sender", "Reply-To", "To", "Cc", "Bcc") for v in header_values(message, h)]
    return message_content(people, _header(message, "Subject"), body, parse_date(_header(message, "Date")),
                           _attachments(message))


@extractor(".eml")
def extract_eml(blob: Blob) -> Content:
    """One e-mail message in MIME format."""
    with blob.open() as f:
        message = BytesParser(policy=policy.default).parse(f)
    return email_content(message)


def _split_mbox(f) -> Iterator[bytes]:
    """The raw messages of an mbox file, one at a time (mboxrd/mboxo: `>From ` is unquoted)."""
    lines: list[bytes] = []
    size = 0
    previous_blank = True
    for line in f:
        if line.startswith(b"From ") and previous_blank and lines:
            yield b"".join(lines)
            lines, size = [], 0
        previous_blank = line in (b"\n", b"\r\n")
        if line.startswith(b"From ") and not lines:
            continue  # the envelope line itself is not part of the message
        if re.match(rb">+From ", line):
            line = line[1:]
        if size < MAX_MESSAGE_BYTES:
            lines.append(line)
            size += len(line)
    if lines:
        yield b"".join(lines)


def _mbox_messages(blob: Blob) -> Iterator[Blob]:
    with blob.open() as f:
        for raw in _split_mbox(f):
            headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
            sent = parse_date(headers.get("Date"))
            yield Blob(name=message_label(sent, headers.get("Subject")), size=len(raw),
                       open=lambda r=raw: io.BytesIO(r), mtime=blob.mtime, kind=".eml",
                       dates={"sent": sent} if sent else {})


@extractor(".mbox", ".mbx")
def extract_mbox(blob: Blob) -> Content:
    """A Unix mailbox: each message is a child item, read one at a time."""
    return Content(children=_mbox_messages(blob))
