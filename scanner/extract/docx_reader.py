"""python-docx set up for reading a Word file's text, at a fraction of the CPU of `docx.Document()`.

`docx.Document()` builds every part of the package and parses each XML part it knows, such as
styles.xml (about 440 KB in documents made from python-docx's template, large in Word's own
files too), numbering and settings; asked for a header, the comments or the core properties
that a file does not have, it adds them. The extractor reads only the document body, its
headers and footers, the comments and the core properties, so `read_word` has python-docx
parse only those: every other part (styles, numbering, settings, fonts, theme, glossary,
pictures …) is kept as plain bytes (python-docx's `Part`). The headers, comments and
properties are then found through the package's relationships, adding nothing.

The choice of part classes is python-docx's documented extension point (`PartFactory`),
made in a subclass used only here: python-docx itself is unchanged for everything else in
the process, such as writing .docx files (the sample share's generator).
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from docx.blkcntnr import BlockItemContainer
from docx.comments import Comment
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.pkgreader import PackageReader
from docx.package import Package
from docx.parts.comments import CommentsPart
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart, HeaderPart

# the main part of a .docm, a .dotx and a .dotm (macros are never run or read; the text is read as in a .docx)
WML_DOCUMENT_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
WML_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
WML_TEMPLATE_MACRO_MAIN = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"


class _TextParts(PartFactory):
    """Builds only the parts the extractor reads as python-docx objects; any other part stays bytes."""

    part_class_selector = None  # python-docx's own selector makes every picture an ImagePart
    part_type_for = {
        CT.WML_DOCUMENT_MAIN: DocumentPart,
        WML_DOCUMENT_MACRO_MAIN: DocumentPart,
        WML_TEMPLATE_MAIN: DocumentPart,
        WML_TEMPLATE_MACRO_MAIN: DocumentPart,
        CT.WML_HEADER: HeaderPart,
        CT.WML_FOOTER: FooterPart,
        CT.WML_COMMENTS: CommentsPart,
        CT.OPC_CORE_PROPERTIES: CorePropertiesPart,
    }
    default_part_type = Part


class _ReadOnlyPackage(Package):
    """A Word package opened for reading: no index of its pictures (python-docx keeps one
    for adding pictures, and builds it by walking every relationship)."""

    def after_unmarshal(self) -> None:
        pass


def read_word(f: BinaryIO) -> Document:
    """The Word document in `f`, with only the parts the extractor reads parsed.

    Raises what python-docx raises for a damaged file (a bad zip, a missing part, bad XML),
    and ValueError when the package's main part is not a Word document."""
    package = _ReadOnlyPackage()
    Unmarshaller.unmarshal(PackageReader.from_file(f), package, _TextParts)
    document_part = package.main_document_part
    if not isinstance(document_part, DocumentPart):
        raise ValueError(f"not a Word file, its main part is {document_part.content_type!r}")
    return document_part.document


def headers_and_footers(document: Document) -> Iterator[tuple[str, int, BlockItemContainer]]:
    """(kind, section number, its content) for every header and footer of every section.

    The main "header" and "footer" as Word shows them: a section without its own shows the
    previous section's. A "first-page header"/"footer" or "even-page header"/"footer" (a
    letter's first page, a report's left pages) only where the section has its own, so each
    is read once."""
    shown: dict[str, BlockItemContainer] = {}
    for s_no, section in enumerate(document.sections, start=1):
        for kind, own in (("header", section.header), ("footer", section.footer)):
            if not own.is_linked_to_previous:  # it has its own part: reading it adds nothing
                shown[kind] = own
            if kind in shown:
                yield kind, s_no, shown[kind]
        for kind, own in (("first-page header", section.first_page_header),
                          ("first-page footer", section.first_page_footer),
                          ("even-page header", section.even_page_header),
                          ("even-page footer", section.even_page_footer)):
            if not own.is_linked_to_previous:
                yield kind, s_no, own


def comments(document: Document) -> list[Comment]:
    """The document's comments (python-docx `Comment`s), none when it has no comments part."""
    try:
        return list(document.part.part_related_by(RT.COMMENTS).comments)
    except KeyError:
        return []


def core_properties(document: Document):
    """The package's core properties (author, dates), or None when it has none."""
    try:
        return document.part.package.part_related_by(RT.CORE_PROPERTIES).core_properties
    except KeyError:
        return None
