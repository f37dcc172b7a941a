"""Outlook data files (.pst, .ost) with libpff (libpff-python).

The file is walked folder by folder and message by message, lazily: a 20 GB mailbox is
never held in memory. Each message (and each contact) is its own item, named by its
folder path and its date and subject, e.g.
`export.pst › Indbakke › 2019-03-04 12:01 "Tilbud"`; attachments are children below it.
The store's top level (`Top of Personal Folders`, search folders) is left out of names.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from email import policy
from email.parser import HeaderParser
from typing import Iterator

from scanner.extract import CouldNotInspect, damaged, extractor, unreadable
from scanner.extract.mail import body_text, message_content, message_label
from scanner.extract.msg import attachment_name
from scanner.model import LOCATION_SEP, Blob, Content, Image

# MAPI property tags (the property id; pypff reports it as entry_type)
PR_MESSAGE_CLASS = 0x001A
PR_DISPLAY_NAME = 0x3001
PR_EMAIL_ADDRESS = 0x3003
PR_RECIPIENT_TYPE = 0x0C15
PR_ATTACH_METHOD = 0x3705
ATTACH_EMBEDDED_MSG = 5
RECIPIENT_HEADER = {1: "To", 2: "Cc", 3: "Bcc"}
CONTACT_PROPERTIES = ((0x3001, "Name"), (0x3A16, "Company"), (0x3A17, "Title"), (0x3A18, "Department"),
                      (0x3A08, "Business phone"), (0x3A1C, "Mobile phone"), (0x3A09, "Home phone"),
                      (0x3A1A, "Phone"), (0x3A29, "Street"), (0x3A2A, "Postal code"), (0x3A27, "City"),
                      (0x3A42, "Birthday"), (0x3A48, "Spouse"))
CONTACT_PHOTO_NAME = "ContactPicture.jpg"


def _libpff_says(exc: Exception) -> str:
    """libpff's first complaint without its function names: `unable to open file`."""
    first = str(exc).split(". ")[0]
    return first.split(": ", 1)[-1].strip().rstrip(".")


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=timezone.utc) if value and not value.tzinfo else value


def _properties(record_set) -> dict[int, object]:
    """String, number and time properties of a libpff record set (an item's, a recipient's)."""
    values: dict[int, object] = {}
    for entry in record_set.entries:
        try:
            if entry.value_type in (0x1E, 0x1F):
                values[entry.entry_type] = entry.data_as_string
            elif entry.value_type in (0x02, 0x03):
                values[entry.entry_type] = entry.data_as_integer
            elif entry.value_type == 0x40:
                values[entry.entry_type] = entry.data_as_datetime
        except (IOError, OSError, ValueError):
            continue
    return values


def _people(message) -> list[tuple[str, str]]:
    """From (the transport headers' address, else the sender's name) and every recipient."""
    headers = HeaderParser(policy=policy.default).parsestr(message.transport_headers or "", headersonly=True)
    people = [("From", str(headers.get("From") or message.sender_name or ""))]
    recipients = message.recipients
    for n in range(recipients.number_of_record_sets if recipients else 0):
        props = _properties(recipients.get_record_set(n))
        name, address = props.get(PR_DISPLAY_NAME, ""), props.get(PR_EMAIL_ADDRESS, "")
        value = f"{name} <{address}>" if name and address and name != address else (name or address)
        people.append((RECIPIENT_HEADER.get(props.get(PR_RECIPIENT_TYPE), "To"), value))
    return people


def _body(message) -> str:
    return body_text(message.plain_text_body, message.html_body, message.rtf_body)


def _attachment_blob(message, index: int) -> Blob:
    try:
        attachment = message.get_attachment(index)
        name = attachment_name(attachment.long_filename, fallback=f"attachment {index + 1}")
        size = attachment.size or 0
        method = _properties(attachment.get_record_set(0)).get(PR_ATTACH_METHOD) \
            if attachment.number_of_record_sets else None
    except (IOError, OSError, MemoryError) as exc:
        return Blob(name=f"attachment {index + 1}", size=0,
                    content=unreadable(f"libpff cannot read this attachment (an embedded item, or damaged: "
                                       f"{_libpff_says(exc)})"))

    if method == ATTACH_EMBEDDED_MSG:
        return Blob(name=name, size=size, content=unreadable(
            "an Outlook item attached to a message inside a .pst is not read by this version "
            "(open it in Outlook and save it as .msg to scan it)"))

    def read() -> io.BytesIO:
        try:
            attachment.seek_offset(0)  # libpff reads on from where the last read stopped
            return io.BytesIO(attachment.read_buffer(size) if size else b"")
        except (IOError, OSError) as exc:
            raise CouldNotInspect(f"damaged attachment in the .pst ({_libpff_says(exc)})") from exc
    return Blob(name=name, size=size, open=read)


def _message_content(message, props: dict[int, object], sent: datetime | None) -> Content:
    attachments = (_attachment_blob(message, i) for i in range(message.number_of_attachments))
    if str(props.get(PR_MESSAGE_CLASS, "")).startswith("IPM.Contact"):
        fields = [(label, str(props[tag])) for tag, label in CONTACT_PROPERTIES if props.get(tag)]
        blobs = list(attachments)
        photos = [b for b in blobs if b.name == CONTACT_PHOTO_NAME and b.open]
        content = message_content(fields, None, _body(message), None, [b for b in blobs if b not in photos],
                                  body_where="notes")
        content.images = [Image(p.open().read(), "contact photo", p.name) for p in photos]
        return content
    return message_content(_people(message), message.subject, _body(message), sent, attachments)


def _messages(folder, path: list[str], pst_mtime: datetime | None) -> Iterator[Blob]:
    for i in range(folder.number_of_sub_messages):
        try:
            message = folder.get_sub_message(i)
            props = _properties(message.get_record_set(0)) if message.number_of_record_sets else {}
            sent = _utc(message.client_submit_time or message.delivery_time)
            subject = message.subject
        except (IOError, OSError, MemoryError) as exc:
            yield Blob(name=LOCATION_SEP.join([*path, f"message {i + 1}"]), size=0, mtime=pst_mtime,
                       content=unreadable(f"libpff cannot read this message (damaged?): {_libpff_says(exc)}"))
            continue
        if str(props.get(PR_MESSAGE_CLASS, "")).startswith("IPM.Contact"):
            label = f'contact "{props.get(PR_DISPLAY_NAME) or subject or i + 1}"'
        else:
            label = message_label(sent, subject)
        yield Blob(name=LOCATION_SEP.join([*path, label]), size=0,
                   mtime=pst_mtime, dates={"sent": sent} if sent else {},
                   content=lambda m=message, p=props, s=sent: _message_content(m, p, s))
    for sub in folder.sub_folders:
        yield from _messages(sub, [*path, sub.name or "(unnamed folder)"], pst_mtime)


def _walk(blob: Blob, pst, f) -> Iterator[Blob]:
    try:
        root = pst.get_root_folder()
        for top in root.sub_folders:  # `Top of Personal Folders`, search roots: not shown in names
            yield from _messages(top, [], blob.mtime)
    finally:
        pst.close()
        f.close()


@extractor(".pst", ".ost")
def extract_pst(blob: Blob) -> Content:
    """An Outlook data file: every message and contact becomes a child item, read lazily."""
    import pypff

    pst = pypff.file()
    f = blob.open()  # through the blob, so the crawler's read-only, no-atime open is kept
    try:
        pst.open_file_object(f)
    except (IOError, OSError) as exc:
        f.close()
        if "encrypt" in str(exc).lower():
            raise CouldNotInspect("encrypted Outlook data file: libpff cannot read it") from exc
        raise damaged("an Outlook data", f"libpff: {_libpff_says(exc)}") from exc
    return Content(children=_walk(blob, pst, f))
