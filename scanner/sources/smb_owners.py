"""Who owns a file on an SMB share: the owner SID from the file's security descriptor, named by the
server itself (its LSA service, `LsarLookupSids` over the `lsarpc` pipe).

The security descriptor comes with one compound request per file (open for READ_CONTROL, query the
owner, close). The name comes from the server, once per SID: `DOMAIN\\user` as the server resolves
it (a Windows server its domain accounts, Samba its users and `Unix User\\…`). Where the server will
not name a SID (no LSA, access denied, an orphaned account), the SID itself is the owner, which an
administrator can still look up; where the descriptor cannot be read at all, the owner is unknown.

The LSA calls are written by hand (DCE/RPC over the named pipe, NDR encoding of [MS-LSAD]
LsarOpenPolicy2 and [MS-LSAT] LsarLookupSids): smbprotocol has no RPC layer.
"""
from __future__ import annotations

import logging
import struct
import uuid
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

READ_CONTROL = 0x00020000
OWNER_SECURITY_INFORMATION = 0x00000001
POLICY_LOOKUP_NAMES = 0x00000800
LSA_UUID = uuid.UUID("12345778-1234-abcd-ef00-0123456789ab")
NDR_UUID = uuid.UUID("8a885d04-1ceb-11c9-9fe8-08002b104860")
BIND, BIND_ACK, REQUEST, RESPONSE, FAULT = 11, 12, 0, 2, 3
FIRST_AND_LAST = 0x03
LAST_FRAG = 0x02
MAX_FRAG = 4280
OPEN_POLICY2, LOOKUP_SIDS, CLOSE = 44, 15, 0
STATUS_SOME_NOT_MAPPED = 0x00000107
LOOKUP_WKSTA = 1
NAMEABLE = {1, 2, 4, 5, 9}  # SidTypeUser, Group, Alias, WellKnownGroup, Computer


class RpcError(Exception):
    """The server refused or garbled an RPC call."""


def owner_sid(unc: str, options: dict) -> str | None:
    """The owner SID of the file at `unc` ("S-1-5-21-…"), or None when the server will not tell."""
    from smbclient._io import SMBFileTransaction, SMBRawIO  # smbprotocol: needed only for smb:// sources
    from smbprotocol.file_info import InfoType
    from smbprotocol.open import SMB2QueryInfoRequest, SMB2QueryInfoResponse
    from smbprotocol.security_descriptor import SMB2CreateSDBuffer

    raw = SMBRawIO(unc, mode="rb", share_access="rwd", desired_access=READ_CONTROL, **options)
    request = SMB2QueryInfoRequest()
    request["info_type"] = InfoType.SMB2_0_INFO_SECURITY
    request["output_buffer_length"] = 4096
    request["additional_information"] = OWNER_SECURITY_INFORMATION
    request["file_id"] = b"\xff" * 16  # the handle the compound's open makes

    def owner(sent) -> str:
        answer = SMB2QueryInfoResponse()
        answer.unpack(raw.fd.connection.receive(sent)["data"].get_value())
        descriptor = SMB2CreateSDBuffer()
        descriptor.unpack(answer["buffer"].get_value())
        return str(descriptor.get_owner())

    try:
        with SMBFileTransaction(raw) as transaction:
            transaction += (request, owner)
        return transaction.results[0]
    except Exception as exc:  # smbprotocol raises many types: the owner is then simply unknown
        log.debug("owner of %s unknown: %s", unc, exc)
        return None


# --- NDR: the little that LsarLookupSids needs ------------------------------------------------

def _sid_bytes(sid: str) -> bytes:
    """An RPC_SID as NDR writes it (the sub-authority count first: the array's conformance)."""
    parts = sid.split("-")
    if len(parts) < 3 or parts[0] != "S":
        raise ValueError(f"not a SID: {sid!r}")
    revision, authority, subs = int(parts[1]), int(parts[2]), [int(p) for p in parts[3:]]
    return (struct.pack("<IBB", len(subs), revision, len(subs)) + authority.to_bytes(6, "big")
            + struct.pack(f"<{len(subs)}I", *subs))


@dataclass
class _Reader:
    """A cursor over an NDR stub."""

    data: bytes
    at: int = 0

    def align(self, n: int) -> None:
        self.at += -self.at % n

    def take(self, fmt: str):
        self.align(struct.calcsize(fmt[-1]))
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def string(self) -> str:
        """A conformant varying UTF-16 string (an RPC_UNICODE_STRING's buffer)."""
        _, offset, count = self.take("III")
        text = self.data[self.at + 2 * offset:self.at + 2 * (offset + count)].decode("utf-16-le", "replace")
        self.at += 2 * (offset + count)
        self.align(4)
        return text.rstrip("\0")

    def sid(self) -> None:
        """Skip an RPC_SID."""
        count = self.take("I")
        self.at += 8 + 4 * count


def _names(stub: bytes, asked: list[str]) -> dict[str, str]:
    """The names in an LsarLookupSids answer, by SID: `DOMAIN\\name` or `name`."""
    r = _Reader(stub)
    domains: list[str] = []
    if r.take("I"):  # ReferencedDomains
        entries, pointer, _ = r.take("III")
        if pointer:
            r.take("I")
            heads = [r.take("HHII") for _ in range(entries)]  # Name (length, max, buffer), Sid pointer
            for _, _, buffer, sid_pointer in heads:
                domains.append(r.string() if buffer else "")
                if sid_pointer:
                    r.sid()
    entries, pointer = r.take("II")
    out: dict[str, str] = {}
    if pointer:
        r.take("I")
        heads = [(r.take("H"), r.take("HHI"), r.take("i")) for _ in range(entries)]
        for sid, (use, (_, _, buffer), domain) in zip(asked, heads):
            name = r.string() if buffer else ""
            if name and use in NAMEABLE:
                where = domains[domain] if 0 <= domain < len(domains) else ""
                out[sid] = f"{where}\\{name}" if where else name
    return out


# --- DCE/RPC over the named pipe ---------------------------------------------------------------

@dataclass
class LsaClient:
    """One server's LSA service over its `lsarpc` pipe: open once, look SIDs up, close."""

    server: str
    options: dict
    pipe: object = None
    handle: bytes = b""
    call_id: int = 0
    unread: bytes = b""
    names: dict[str, str | None] = field(default_factory=dict)
    refused: bool = False  # the server would not name SIDs once: not asked again, per file

    def _pdu(self, kind: int, body: bytes) -> bytes:
        self.call_id += 1
        return struct.pack("<BBBB4sHHI", 5, 0, kind, FIRST_AND_LAST, b"\x10\0\0\0", 16 + len(body), 0,
                           self.call_id) + body

    def _exchange(self, pdu: bytes) -> tuple[int, bytes]:
        """Send one PDU; the answer's type and body, its fragments joined."""
        self.pipe.write(pdu)
        kind, body = None, b""
        while True:
            head = self._read(16)
            _, _, kind, flags, _, length, auth, _ = struct.unpack("<BBBB4sHHI", head)
            fragment = self._read(length - 16)
            fragment = fragment[:len(fragment) - auth - (8 if auth else 0)]
            if kind == RESPONSE:
                fragment = fragment[8:]  # alloc hint, context, cancel count
            body += fragment
            if flags & LAST_FRAG or kind != RESPONSE:
                return kind, body

    def _read(self, n: int) -> bytes:
        """The next `n` bytes from the pipe (which hands out whole messages)."""
        while len(self.unread) < n:
            chunk = self.pipe.read(65536)
            if not chunk:
                raise RpcError("the lsarpc pipe closed")
            self.unread += chunk
        data, self.unread = self.unread[:n], self.unread[n:]
        return data

    def _call(self, opnum: int, stub: bytes) -> bytes:
        kind, body = self._exchange(self._pdu(REQUEST, struct.pack("<IHH", len(stub), 0, opnum) + stub))
        if kind != RESPONSE:
            raise RpcError(f"call {opnum} refused (fault 0x{struct.unpack_from('<I', body, 8)[0]:08x})"
                           if kind == FAULT and len(body) >= 12 else f"call {opnum} refused")
        return body

    def open(self) -> None:
        import smbclient  # smbprotocol: needed only for smb:// sources

        self.pipe = smbclient.open_file(f"\\\\{self.server}\\IPC$\\lsarpc", mode="r+b", buffering=0,
                                        file_type="pipe", **self.options)
        context = (struct.pack("<HBB", 0, 1, 0) + LSA_UUID.bytes_le + struct.pack("<HH", 0, 0)
                   + NDR_UUID.bytes_le + struct.pack("<I", 2))
        kind, _ = self._exchange(self._pdu(BIND, struct.pack("<HHIB3x", MAX_FRAG, MAX_FRAG, 0, 1) + context))
        if kind != BIND_ACK:
            raise RpcError("the server refused the LSA interface")
        answer = self._call(OPEN_POLICY2, struct.pack("<I", 0) + struct.pack("<6I", 24, 0, 0, 0, 0, 0)
                            + struct.pack("<I", POLICY_LOOKUP_NAMES))
        self.handle, status = answer[:20], struct.unpack_from("<I", answer, 20)[0]
        if status:
            raise RpcError(f"LsarOpenPolicy2 refused (status 0x{status:08x})")

    def lookup(self, sids: list[str]) -> dict[str, str]:
        """Names of these SIDs as the server knows them; SIDs it cannot name are left out."""
        if not sids:
            return {}
        stub = self.handle + struct.pack("<III", len(sids), 0x20000, len(sids))
        stub += b"".join(struct.pack("<I", 0x20004 + 4 * i) for i in range(len(sids)))
        stub += b"".join(_sid_bytes(s) for s in sids)
        stub += struct.pack("<IIHxxI", 0, 0, LOOKUP_WKSTA, 0)  # no names in, the level, mapped count
        answer = self._call(LOOKUP_SIDS, stub)
        status = struct.unpack_from("<I", answer, len(answer) - 4)[0]
        if status not in (0, STATUS_SOME_NOT_MAPPED):
            return {}
        return _names(answer[:-8], sids)

    def name(self, sid: str) -> str:
        """The owner to show for a SID: the server's name for it, else the SID itself."""
        if sid not in self.names and not self.refused:
            try:
                if self.pipe is None:
                    self.open()
                self.names[sid] = self.lookup([sid]).get(sid)
            except Exception as exc:  # no LSA on this server, or not for this account: keep the SIDs
                log.info("the SMB server does not name file owners (%s): owners are shown as SIDs", exc)
                self.refused = True
        return self.names.get(sid) or sid

    def close(self) -> None:
        if self.pipe is not None:
            try:
                if self.handle:
                    self._call(CLOSE, self.handle)
                self.pipe.close()
            except Exception:  # closing what the server may already have dropped
                pass
            self.pipe = None

