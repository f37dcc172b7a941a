"""Outlook items saved as .msg files (extract-msg): messages and contacts.

A message gives its people, subject, body (plain text, else HTML, else RTF), sent date and
attachments (embedded .msg items too, recursively). A contact gives its name, company,
title, phone numbers, e-mail addresses and addresses; its photo goes to `Content.images`.
"""
from __future__ import annotations

import io
import logging
import unicodedata
from datetime import datetime, timezone

from scanner.extract import CouldNotInspect, damaged, extractor, unreadable
from scanner.extract.mail import body_text, message_content, message_label
from scanner.model import Blob, Content, Image, Segment

log = logging.getLogger(__name__)
# extract-msg logs a warning for every odd property it meets; a scan records its own reasons
logging.getLogger("extract_msg").setLevel(logging.ERROR)

CONTACT_FIELDS = (
    ("displayName", "Name"), ("companyName", "Company"), ("jobTitle", "Title"), ("departmentName", "Department"),
    ("email1EmailAddress", "E-mail"), ("email2EmailAddress", "E-mail 2"), ("email3EmailAddress", "E-mail 3"),
    ("businessTelephoneNumber", "Business phone"), ("mobileTelephoneNumber", "Mobile phone"),
    ("homeTelephoneNumber", "Home phone"), ("primaryTelephoneNumber", "Phone"),
    ("workAddress", "Work address"), ("homeAddress", "Home address"), ("birthday", "Birthday"),
    ("spouseName", "Spouse"), ("childrensNames", "Children"), ("governmentIDNumber", "Government ID"))


def _aware(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _sent(item) -> datetime | None:
    """The sent date; an embedded item without headers has only its delivery time."""
    return _aware(getattr(item, "date", None)) or _aware(getattr(item, "receivedTime", None))


def _sender(item) -> str:
    """`Name <address>`: extract-msg gives the name alone when the headers are missing."""
    sender = item.sender or ""
    address = item.getStringStream("__substg1.0_0C1F") or item.getStringStream("__substg1.0_5D01")
    if address and address not in sender:
        return f"{sender} <{address}>" if sender else address
    return sender


def _body(item) -> str:
    """The plain body; else the HTML body, else the RTF one. Each is built only when the one
    before is empty, and one that crashes its builder (RTFDE on an odd RTF) is passed over."""
    for name in ("body", "htmlBody", "rtfBody"):
        try:
            value = getattr(item, name)
        except Exception as exc:  # extract-msg and RTFDE raise many types on odd bodies
            log.info("the %s of an Outlook item could not be built: %s", name, type(exc).__name__)
            continue
        if value and (text := body_text(**{_BODY_ARGUMENT[name]: value})).strip():
            return text
    return ""


_BODY_ARGUMENT = {"body": "plain", "htmlBody": "html", "rtfBody": "rtf"}


def attachment_name(*candidates: str | None, fallback: str) -> str:
    """The first usable attachment file name, cleaned as Windows would show it: Outlook writes
    `bilag.txt\x00` (the C string's NUL kept) and some mailers `bilag.txt  ` or control
    characters; left in, the suffix (`.txt\x00`) would decide that the attachment is not read.
    Cut at the first NUL, drop control characters, strip spaces and dots at the ends."""
    for name in candidates:
        if not name:
            continue
        name = "".join(c for c in name.split("\x00", 1)[0] if unicodedata.category(c) != "Cc")
        name = name.strip().rstrip(". ")
        if name:
            return name
    return fallback


def _attachments(item):
    from extract_msg.enums import AttachmentType

    for n, att in enumerate(item.attachments, start=1):
        if getattr(att, "isAttachmentContactPhoto", False):
            continue
        name = attachment_name(att.longFilename, att.shortFilename, att.displayName, fallback=f"attachment {n}")
        if att.type == AttachmentType.MSG:
            inner = att.data
            label = att.displayName or message_label(_sent(inner), inner.subject)
            yield Blob(name=label, size=0, content=lambda m=inner: item_content(m))
        elif isinstance(att.data, bytes):
            yield Blob(name=name, size=len(att.data), open=lambda d=att.data: io.BytesIO(d))
        else:
            yield Blob(name=name, size=0, content=unreadable(f"attachment type {att.type.name} is not read"))


def _contact_content(contact) -> Content:
    pieces = []
    for attribute, label in CONTACT_FIELDS:
        value = getattr(contact, attribute, None)
        if value:
            pieces.append((f"{label}: {value}", label))
    segments = [Segment.joined(pieces)] if pieces else []
    body = _body(contact)
    if body.strip():
        segments.append(Segment(body, "notes", numbered_lines=True))
    images = [Image(att.data, "contact photo", att.longFilename or "photo")
              for att in contact.attachments
              if getattr(att, "isAttachmentContactPhoto", False) and isinstance(att.data, bytes)]
    return Content(segments=segments, images=images, children=_attachments(contact))


def item_content(item) -> Content:
    """Content of an opened Outlook item: a contact, or any message-like item."""
    from extract_msg.msg_classes import Contact

    if isinstance(item, Contact):
        return _contact_content(item)
    people = [("From", _sender(item)), ("To", item.to), ("Cc", item.cc), ("Bcc", item.bcc)]
    return message_content(people, item.subject, _body(item), _sent(item), _attachments(item))


@extractor(".msg")
def extract_msg_file(blob: Blob) -> Content:
    """One Outlook item (.msg)."""
    import extract_msg
    from extract_msg.exceptions import ExMsgBaseException

    try:
        with blob.open() as f:  # through the blob: the crawler's read-only, no-atime open
            data = f.read()
        if not data:
            raise CouldNotInspect("empty file (0 bytes)")
        item = extract_msg.openMsg(data)
    except ExMsgBaseException as exc:
        raise CouldNotInspect(f"not an Outlook item extract-msg can read ({exc})") from exc
    except (OSError, ValueError) as exc:
        raise damaged("an Outlook .msg", f"{type(exc).__name__}: {exc}") from exc
    return item_content(item)
