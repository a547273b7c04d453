"""History rows that could not be written yet, kept on disk until the history takes them.

Why a journal: a locked, full, read-only or failing history file must not cost a row, not
even across a quit, a crash or a power cut. Each row the history refused is appended here
as one JSON line and fsynced before :meth:`PendingJournal.append` returns; the engine
writes the rows, in order, once the file opens again — also in the next run.

Why each row has an id: the history stores the id of every journal row in the same
transaction as the row itself (``HistoryStore.record(row_id=...)``), so a crash between
the history's commit and the journal's clearing replays the row without doubling it.

Why the file is reserved ahead: a full disk is one of the reasons rows are pending, and
appending to a file on a full disk fails. The journal is created with
:data:`RESERVE_BYTES` of zeros allocated (``posix_fallocate``) while there is room, and
rows are written *into* that reserved space; the end of the rows is the first NUL byte.
It grows by another reserve when it fills up, if the disk allows. A torn last line (a
crash mid-write) is skipped when read: it was never acknowledged as saved.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_NAME = "history-pending.jsonl"
#: Space kept ready for rows while the disk is full: about 1,500 rows (a row is ~170 B).
RESERVE_BYTES = 256 * 1024


@dataclass(frozen=True)
class PendingRow:
    """One history row waiting to be written (``fields`` are HistoryStore.record's)."""

    kind: str
    at: datetime
    fields: dict[str, object] = field(default_factory=dict)
    #: Set once the row is in the journal; the history keeps it to refuse a second copy.
    row_id: str | None = None

    def to_line(self) -> bytes:
        data = {"id": self.row_id, "kind": self.kind, "at": self.at.isoformat(), **self.fields}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> PendingRow:
        data = json.loads(line)
        row_id, kind, at = data.pop("id"), data.pop("kind"), data.pop("at")
        if not isinstance(row_id, str) or not isinstance(kind, str):
            raise ValueError("journal line without id or kind")
        return cls(kind, datetime.fromisoformat(at), data, row_id)


class PendingJournal:
    """The append-only journal file (0600). ``path=None`` keeps nothing (tests, memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        #: Offset where the next row goes (end of the rows, start of the reserved zeros).
        self._end = 0
        self._size = 0

    @classmethod
    def beside(cls, folder: Path | None) -> PendingJournal:
        return cls(None if folder is None else folder / FILE_NAME)

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> list[PendingRow]:
        """The rows a previous run (or this one) left; creates and reserves the file."""
        if self.path is None:
            return []
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError as exc:
            logger.error("cannot read the pending history rows in %s: %s", self.path, exc)
            return []
        rows: list[PendingRow] = []
        end = data.find(b"\0")
        used = data if end < 0 else data[:end]
        for number, line in enumerate(used.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                rows.append(PendingRow.from_line(line))
            except (ValueError, KeyError, TypeError) as exc:
                # A torn last line: the crash came before it was acknowledged as kept.
                logger.warning(
                    "skipping unreadable pending row %d in %s: %s", number, self.path, exc
                )
        self._end, self._size = len(used), len(data)
        self._reserve()
        if rows:
            logger.info("%d history rows were pending in %s", len(rows), self.path)
        return rows

    # -- writing ---------------------------------------------------------------------------

    def _open(self) -> int:
        assert self.path is not None
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_BINARY: Windows would otherwise write "\r\n" and count bytes differently.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.fchmod(fd, 0o600)
        return fd

    @staticmethod
    def _write_at(fd: int, data: bytes, offset: int) -> None:
        """Write all of ``data`` at ``offset`` (os.pwrite is not on Windows)."""
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    def _reserve(self) -> None:
        """Keep at least a reserve of allocated zeros after the rows (best effort)."""
        if self.path is None or self._size - self._end >= RESERVE_BYTES // 2:
            return
        wanted = self._end + RESERVE_BYTES
        try:
            fd = self._open()
            try:
                if hasattr(os, "posix_fallocate"):
                    os.posix_fallocate(fd, 0, wanted)
                else:  # pragma: no cover - Windows and macOS: zeros written the plain way
                    self._write_at(fd, b"\0" * (wanted - self._size), self._size)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            logger.info("cannot reserve room for pending history rows in %s: %s", self.path, exc)
            return
        self._size = max(self._size, wanted)

    def append(self, rows: list[PendingRow]) -> list[PendingRow]:
        """Give ``rows`` ids, write them and fsync; raises OSError when they are not kept."""
        stamped = [
            row if row.row_id else PendingRow(row.kind, row.at, row.fields, uuid.uuid4().hex)
            for row in rows
        ]
        if self.path is None or not stamped:
            return stamped
        data = b"".join(row.to_line() for row in stamped)
        fd = self._open()
        try:
            self._write_at(fd, data, self._end)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._end += len(data)
        self._size = max(self._size, self._end)
        self._reserve()
        return stamped

    def clear(self) -> None:
        """Every row is in the history: zero the rows, keep the reserved space."""
        if self.path is None or self._end == 0:
            return
        fd = self._open()
        try:
            self._write_at(fd, b"\0" * self._end, 0)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._end = 0

    @property
    def is_empty(self) -> bool:
        return self._end == 0
