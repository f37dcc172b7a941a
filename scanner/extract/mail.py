"""E-mail: single messages (.eml) and mailboxes (.mbox), with the standard library.

Every message, whatever it came from (.eml, .mbox, .msg, .pst), becomes Content the same
way, in `message_content`: the people in the headers (with display names), the subject
and the body are text; the sent date is the message's date for retention; attachments
are children, each named by its file name, and inherit the message's sent date.
A message inside a mailbox is named like `2019-03-04 12:01 "Tilbud"`.
"""
from __future__ import annotations

import binascii
import codecs
import io
import itertools
import mimetypes
import re
import tempfile
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parsedate_to_datetime
from typing import BinaryIO, Callable, Iterable, Iterator

from scanner.extract import CouldNotInspect, damaged, extractor, unreadable
from scanner.extract.legacy import rtf_to_text
from scanner.extract.encoding import decode_text, sniff_encoding
from scanner.extract.text import html_chunks, html_to_text, text_segments
from scanner.model import Blob, Content, Segment

SUBJECT_CHARS = 60
STREAM_BYTES = 16 * 1024**2  # a bigger message is read as a stream (`streamed_message`), never whole
LINE_BYTES = 1 << 20         # a longer line is read in pieces of this size
HEADER_BYTES = 1 << 20       # of a message's or a part's header lines: more is not headers
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
    segments: Iterable[Segment] = [Segment.joined(head)] if head else []
    if body.strip():  # a long body (Outlook's libraries hand it out whole) goes to detection in pieces
        pieces = text_segments((body[i:i + LINE_BYTES] for i in range(0, len(body), LINE_BYTES)), where=body_where)
        segments = itertools.chain(segments, pieces) if len(body) > LINE_BYTES else segments + list(pieces)
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
    """One e-mail message in MIME format; a big one (over STREAM_BYTES) read as a stream."""
    if blob.size > STREAM_BYTES:
        return streamed_message(blob)
    with blob.open() as f:
        message = BytesParser(policy=policy.default).parse(f)
    return email_content(message)


# --- big messages, read as a stream ---------------------------------------------------------

class Spool:
    """Bytes written once, then opened as often as needed: held in memory up to STREAM_BYTES,
    in a temporary file beyond (deleted when the last opener is let go)."""

    def __init__(self):
        self.memory: io.BytesIO | None = io.BytesIO()
        self.file = None
        self.size = 0

    def write(self, data: bytes) -> None:
        if self.file is None and self.size + len(data) > STREAM_BYTES:
            self.file = tempfile.NamedTemporaryFile(prefix="datakort-spool-")
            self.file.write(self.memory.getvalue())
            self.memory = None
        (self.file or self.memory).write(data)
        self.size += len(data)

    def opener(self) -> Callable[[], BinaryIO]:
        if self.file is None:
            data = self.memory.getvalue()
            return lambda: io.BytesIO(data)
        self.file.flush()
        spooled = self.file
        return lambda: open(spooled.name, "rb")  # the closure keeps the temporary file


def _boundary_hit(line: bytes, boundaries: tuple[bytes, ...]) -> tuple[int, bool] | None:
    """(which boundary, whether it closes its multipart) when `line` is a boundary line."""
    if not line.startswith(b"--"):
        return None
    for n in range(len(boundaries) - 1, -1, -1):  # the innermost first
        if line.startswith(boundaries[n], 2):
            rest = line[2 + len(boundaries[n]):].strip()
            if rest in (b"", b"--"):
                return n, rest == b"--"
    return None


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")


def _base64(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Base64 decoded block by block; characters outside the alphabet (line ends, padding) skipped."""
    rest = b""
    for block in blocks:
        data = rest + _NOT_BASE64.sub(b"", block)
        cut = len(data) // 4 * 4
        rest = data[cut:]
        yield binascii.a2b_base64(data[:cut])
    if len(rest) > 1:
        yield binascii.a2b_base64(rest + b"=" * (-len(rest) % 4))


class _MessageStream:
    """One pass over a big MIME message: the first plain or HTML text part not marked as an
    attachment is the body, its text handed on as it is read; every other part is decoded
    into a `Spool` and becomes a child. Nothing is held whole but what a child's spool holds."""

    def __init__(self, f: BinaryIO):
        self.f = f
        self.pushed: bytes | None = None
        self.body_found = False
        self.attachments: list[Blob] = []

    def line(self) -> bytes:
        if self.pushed is not None:
            line, self.pushed = self.pushed, None
            return line
        return self.f.readline(LINE_BYTES)

    def headers(self):
        """The header lines up to the blank line that ends them, parsed."""
        lines, size = [], 0
        while (line := self.line()) and line not in (b"\n", b"\r\n"):
            if size < HEADER_BYTES:
                lines.append(line)
                size += len(line)
        return BytesHeaderParser(policy=policy.default).parsebytes(b"".join(lines))

    def part(self, headers, ends: tuple[bytes, ...]) -> Iterator[str]:
        """Read one part, up to the line that goes on with an enclosing multipart (`ends`: their
        boundaries; that line is left to be read again); yields the body's text as it is read."""
        boundary = headers.get_boundary() if headers.get_content_maintype() == "multipart" else None
        if boundary:
            inner = ends + (boundary.encode("ascii", "replace"),)
            while line := self.line():  # the preamble, then the parts, then the epilogue
                hit = _boundary_hit(line, inner)
                if hit is None:
                    continue
                if hit[0] < len(inner) - 1:
                    self.pushed = line
                    return
                if not hit[1]:
                    yield from self.part(self.headers(), inner)
            return
        decoded = self._decoded(ends, str(headers.get("Content-Transfer-Encoding", "")).strip().lower())
        if headers.get_content_type() in ("text/plain", "text/html") and headers.get_content_disposition() != "attachment" \
                and not headers.get_param("name") and not headers.get_param("filename", header="content-disposition"):
            if self.body_found:  # another form of the body (its HTML twin), as the standard library leaves it
                for _ in decoded:
                    pass
                return
            self.body_found = True
            chunks = self._text(decoded, headers.get_content_charset())
            yield from html_chunks(chunks) if headers.get_content_subtype() == "html" else chunks
            return
        spool = Spool()
        for block in decoded:
            spool.write(block)
        self.attachments.append(self._attachment(headers, spool))

    def _decoded(self, ends: tuple[bytes, ...], encoding: str) -> Iterator[bytes]:
        """The part's bytes up to the next boundary line, decoded, in blocks of whole lines.
        The line end before a boundary belongs to the boundary."""
        def blocks() -> Iterator[bytes]:
            block: list[bytes] = []
            size = 0
            while line := self.line():
                if _boundary_hit(line, ends) is not None:
                    self.pushed = line
                    if block:
                        block[-1] = block[-1].removesuffix(b"\n").removesuffix(b"\r")
                    break
                if size >= LINE_BYTES:
                    yield b"".join(block[:-1])
                    block, size = block[-1:], len(block[-1])
                block.append(line)
                size += len(line)
            if block:
                yield b"".join(block)

        if encoding == "base64":
            return _base64(blocks())
        if encoding == "quoted-printable":
            return (binascii.a2b_qp(block) for block in blocks())
        return blocks()

    @staticmethod
    def _text(blocks: Iterator[bytes], charset: str | None) -> Iterator[str]:
        """Decoded blocks as text in their charset (guessed from the first block when unknown)."""
        first = next(blocks, b"")
        try:
            decoder = codecs.getincrementaldecoder(charset or sniff_encoding(first))(errors="replace")
        except LookupError:
            decoder = codecs.getincrementaldecoder(sniff_encoding(first))(errors="replace")
        for block in itertools.chain([first], blocks):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)

    def _attachment(self, headers, spool: Spool) -> Blob:
        n = len(self.attachments) + 1
        try:
            name = headers.get_filename()
        except Exception:  # an odd encoded file name: the attachment is named by its number
            name = None
        kind = ".eml" if headers.get_content_type() == "message/rfc822" else None
        open_part = spool.opener()
        if not name and kind:
            inner = message_headers(open_part)
            name = message_label(parse_date(inner.get("Date")), inner.get("Subject"))
        if not name:
            name = f"attachment {n}{mimetypes.guess_extension(headers.get_content_type()) or ''}"
        return Blob(name=name, size=spool.size, open=open_part, kind=kind)


def streamed_message(blob: Blob) -> Content:
    """A big message (a 200 MB body, an attachment of a gigabyte) read in one pass, never whole:
    the headers first, then the body's text in pieces as detection asks for it (numbered lines,
    as for any body), the attachments spooled as children once the body is read."""
    f = blob.open()
    stream = _MessageStream(f)
    try:
        headers = stream.headers()
    except Exception as exc:
        f.close()
        raise damaged("an e-mail", f"its headers cannot be read: {type(exc).__name__}") from exc

    def body() -> Iterator[Segment]:
        with f:
            try:
                yield from text_segments(stream.part(headers, ()), where="body")
            except (binascii.Error, ValueError) as exc:
                raise CouldNotInspect(f"damaged e-mail: a part cannot be decoded ({exc})") from exc

    text = body()

    def attachments() -> Iterator[Blob]:
        for _ in text:  # the message is read to its end (its text passed over if not read yet)
            pass
        yield from stream.attachments

    people = [(h, v) for h in ("From", "Sender", "Reply-To", "To", "Cc", "Bcc") for v in header_values(headers, h)]
    content = message_content(people, _header(headers, "Subject"), "", parse_date(_header(headers, "Date")),
                              attachments())
    content.segments = itertools.chain(content.segments, text)
    return content


# --- mailboxes ------------------------------------------------------------------------------

def _split_mbox(f) -> Iterator[Spool]:
    """The raw messages of an mbox file, one at a time, each in a `Spool` (a message of a
    gigabyte goes to a temporary file, not to memory); mboxrd/mboxo: `>From ` is unquoted."""
    spool: Spool | None = None
    previous_blank = True
    while line := f.readline(LINE_BYTES):
        if line.startswith(b"From ") and previous_blank:
            if spool is not None and spool.size:
                yield spool
            spool = Spool()
            previous_blank = False
            continue  # the envelope line itself is not part of the message
        previous_blank = line in (b"\n", b"\r\n")
        if re.match(rb">+From ", line):
            line = line[1:]
        if spool is None:
            spool = Spool()
        spool.write(line)
    if spool is not None and spool.size:
        yield spool


def message_headers(open_message: Callable[[], BinaryIO]):
    """A message's headers, from its first bytes only."""
    with open_message() as message:
        head = message.read(HEADER_BYTES)
    blank = re.search(rb"\r?\n\r?\n", head)
    return BytesHeaderParser(policy=policy.default).parsebytes(head[:blank.end()] if blank else head)


def _mbox_messages(blob: Blob) -> Iterator[Blob]:
    with blob.open() as f:
        for spool in _split_mbox(f):
            open_message = spool.opener()
            headers = message_headers(open_message)
            sent = parse_date(headers.get("Date"))
            yield Blob(name=message_label(sent, headers.get("Subject")), size=spool.size, open=open_message,
                       mtime=blob.mtime, kind=".eml", dates={"sent": sent} if sent else {})


@extractor(".mbox", ".mbx")
def extract_mbox(blob: Blob) -> Content:
    """A Unix mailbox: each message is a child item, read one at a time."""
    return Content(children=_mbox_messages(blob))
