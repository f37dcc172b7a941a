"""Read a Windows or Samba share directly over SMB: `smb://server[:port]/share/folder`.

Uses smbprotocol's `smbclient`. Read-only: files are opened for reading only and shared
with other readers and writers, so users working on the share are not locked out. The
password comes from the environment, a credentials file or a prompt (`credentials`),
never from the URL or the command line, and is never logged (its repr is hidden).
Each process (the scanner, a worker, a Dask worker) opens its own SMB connections.
"""
from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import unquote, urlsplit

from scanner.sources.base import Coverage, CrawledItem, SourceError
from scanner.sources.smb_owners import LsaClient, owner_sid
from scanner.extract import CouldNotInspect
from scanner.model import SKIPPED, Blob

USER_ENV, PASSWORD_ENV, DOMAIN_ENV, CREDENTIALS_ENV = (
    "DATAKORT_SMB_USER", "DATAKORT_SMB_PASSWORD", "DATAKORT_SMB_DOMAIN", "DATAKORT_SMB_CREDENTIALS")


class SmbError(SourceError):
    """The share cannot be used at all (bad URL, no credentials, cannot connect); the message says why."""


@dataclass(frozen=True)
class SmbCredentials:
    """Who the scan logs in as. The password never shows in repr, logs or reports."""

    user: str
    password: str = field(repr=False)
    domain: str = ""

    @property
    def username(self) -> str:
        return f"{self.domain}\\{self.user}" if self.domain else self.user


def read_credentials_file(path: Path) -> dict[str, str]:
    """`username = …`, `password = …`, `domain = …` lines (the format of `smbclient -A`)."""
    values = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SmbError(f"cannot read the SMB credentials file {path}: {exc.strerror or exc}") from exc
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() in ("username", "password", "domain"):
            values[key.strip().lower()] = value.strip()
    return values


def credentials(url_user: str | None, credentials_file: Path | None = None, prompt: bool | None = None) -> SmbCredentials:
    """Credentials from, in order: a credentials file (`--smb-credentials` or $DATAKORT_SMB_CREDENTIALS),
    $DATAKORT_SMB_USER / $DATAKORT_SMB_PASSWORD / $DATAKORT_SMB_DOMAIN, the user in the URL and a
    password prompt (on a terminal only)."""
    file = credentials_file or (Path(os.environ[CREDENTIALS_ENV]) if os.environ.get(CREDENTIALS_ENV) else None)
    values = read_credentials_file(file) if file else {}
    user = values.get("username") or os.environ.get(USER_ENV) or url_user
    password = values.get("password") or os.environ.get(PASSWORD_ENV)
    domain = values.get("domain") or os.environ.get(DOMAIN_ENV) or ""
    if "\\" in (user or "") and not domain:
        domain, user = user.split("\\", 1)
    if not user:
        raise SmbError(f"no SMB user: set {USER_ENV} (and {PASSWORD_ENV}), or give a credentials file "
                       "with --smb-credentials")
    if password is None:
        if not (sys.stdin.isatty() if prompt is None else prompt):
            raise SmbError(f"no SMB password for {user}: set {PASSWORD_ENV} or give a credentials file "
                           "with --smb-credentials (there is no terminal to ask on)")
        password = getpass.getpass(f"SMB password for {user}: ")
    return SmbCredentials(user, password, domain)


@dataclass(frozen=True)
class SmbSource:
    """A folder on an SMB share. `name` (recorded in the store) is the URL without user or password."""

    server: str
    share: str
    folder: str
    credentials: SmbCredentials
    port: int = 445

    @classmethod
    def from_url(cls, url: str, credentials_file: Path | None = None, prompt: bool | None = None) -> "SmbSource":
        parts = urlsplit(url)
        if parts.scheme.lower() != "smb" or not parts.hostname:
            raise SmbError(f"{url} is not an SMB URL; write smb://server/share/folder")
        if parts.password is not None:
            raise SmbError("do not put the password in the URL (it ends up in shell history and process lists); "
                           f"set {PASSWORD_ENV} or use --smb-credentials")
        share, _, folder = unquote(parts.path).strip("/").partition("/")
        if not share:
            raise SmbError(f"{url} names no share; write smb://{parts.hostname}/share/folder")
        return cls(parts.hostname, share, folder.strip("/"), credentials(parts.username, credentials_file, prompt),
                   parts.port or 445)

    @property
    def name(self) -> str:
        port = f":{self.port}" if self.port != 445 else ""
        return f"smb://{self.server}{port}/{self.share}/{self.folder}".rstrip("/")

    def unc(self, location: str = "") -> str:
        parts = [p for p in (self.folder, location) if p]
        return "\\".join([f"\\\\{self.server}", self.share, *"/".join(parts).split("/")]).rstrip("\\")

    def smb_options(self) -> dict:
        """Keyword arguments for smbclient calls: login, port and this process's connections."""
        return {"username": self.credentials.username, "password": self.credentials.password,
                "port": self.port, "connection_cache": _connections(self.credentials)}

    def check(self) -> None:
        """Log in and list the top folder once, so a wrong password or server fails with one clear message."""
        import smbclient  # smbprotocol: heavy, needed only for smb:// sources

        try:
            smbclient.stat(self.unc(), **self.smb_options())
        except Exception as exc:  # smbprotocol raises many types; all mean "cannot use the share"
            raise SmbError(f"cannot open {self.name} as {self.credentials.username}: {_why(exc)}") from exc

    def crawl(self, coverage: Coverage | None = None) -> Iterator[CrawledItem]:
        """Every entry below the folder in a stable (sorted) order, as scanner.sources.local does for local folders,
        each file with its owner as the server names it (scanner/sources/smb_owners.py)."""
        coverage = coverage if coverage is not None else Coverage()
        owners = LsaClient(self.server, self.smb_options())
        try:
            yield from self._crawl(coverage, owners)
        finally:
            owners.close()

    def _crawl(self, coverage: Coverage, owners: LsaClient) -> Iterator[CrawledItem]:
        import smbclient  # smbprotocol: heavy, needed only for smb:// sources

        stack = [""]
        while stack:
            rel_dir = stack.pop()
            try:
                entries = sorted(smbclient.scandir(self.unc(rel_dir), **self.smb_options()), key=lambda e: e.name)
            except Exception as exc:
                coverage.could_not_list(rel_dir)
                yield CrawledItem(rel_dir or ".", reason=f"folder cannot be listed: {_why(exc)}")
                continue
            coverage.listed()
            subdirs = []
            for entry in entries:  # the listing carries size, time and type: no extra round trip per file
                location = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                info = entry.smb_info
                mtime = _utc(info.last_write_time)
                if entry.is_symlink():
                    yield CrawledItem(location, status=SKIPPED, reason="symbolic link, not followed", mtime=mtime)
                elif entry.is_dir(follow_symlinks=False):
                    subdirs.append(location)
                else:
                    sid = owner_sid(self.unc(location), self.smb_options())
                    yield CrawledItem(location, blob=Blob(name=entry.name, size=info.end_of_file, mtime=mtime,
                                                          open=partial(open_smb_file, self, location)),
                                      size=info.end_of_file, mtime=mtime, owner=owners.name(sid) if sid else None)
            stack.extend(reversed(subdirs))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_CACHES: dict[tuple[int, SmbCredentials], dict] = {}


def _connections(login: SmbCredentials) -> dict:
    """This process's SMB connections for one login (never shared across a fork or between logins)."""
    return _CACHES.setdefault((os.getpid(), login), {})


def _why(exc: Exception) -> str:
    """A short reason from an smbprotocol error, without the protocol noise."""
    text = getattr(exc, "strerror", None) or str(exc)
    if "STATUS_ACCESS_DENIED" in str(exc) or isinstance(exc, PermissionError):
        return "access denied (the scan account may not read it)"
    if "STATUS_LOGON_FAILURE" in str(exc):
        return "logon failure (wrong user or password)"
    if "STATUS_OBJECT_NAME_NOT_FOUND" in str(exc) or isinstance(exc, FileNotFoundError):
        return "not found (deleted or moved while the scan ran?)"
    return text.splitlines()[0] if text else type(exc).__name__


def open_smb_file(source: SmbSource, location: str) -> BinaryIO:
    """Open a file on the share for reading only, sharing it with other readers and writers."""
    import smbclient  # smbprotocol: heavy, needed only for smb:// sources

    try:
        return smbclient.open_file(source.unc(location), mode="rb", share_access="rwd", **source.smb_options())
    except Exception as exc:
        raise CouldNotInspect(f"cannot open the file on the share: {_why(exc)}") from exc
