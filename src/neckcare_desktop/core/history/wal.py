"""Telling a damaged write-ahead log (the ``-wal`` file) before SQLite silently drops it.

Why: the newest rows of the history live in ``history.sqlite3-wal`` until SQLite copies
them into the main file. When SQLite opens a WAL whose header is not valid, or whose
frames fail their checksums, it does not complain: it ignores the WAL from the first bad
frame on and overwrites it at the next write. The history then looks fine but has lost
its newest rows. So before opening, NeckCare reads the WAL the way SQLite does
(https://www.sqlite.org/fileformat2.html#walformat) and, when committed frames would be
dropped, keeps a copy aside and tells the person.

Frames of an earlier WAL generation (other salt values) are normal leftovers after a
checkpoint, and frames after the last commit were never committed: neither is damage.
"""

from __future__ import annotations

import os
import shutil
import struct
from datetime import datetime
from pathlib import Path

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000
HEADER = 32
FRAME_HEADER = 24
#: A WAL larger than this is not checked frame by frame (pure Python: ~0.2 s per 4 MB).
MAX_CHECKED_BYTES = 64 * 1024 * 1024


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_problem(wal: Path) -> str | None:
    """Why SQLite would drop committed rows of ``wal`` (None when it would not)."""
    try:
        size = wal.stat().st_size
        if size == 0 or size > MAX_CHECKED_BYTES:
            return None
        data = wal.read_bytes()
    except OSError:
        return None  # missing or unreadable: SQLite will say so itself
    if not data.strip(b"\0"):
        return None  # zeroed (journal_size_limit): an empty WAL
    if len(data) < HEADER:
        return "the -wal file is shorter than its header"
    magic, version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:HEADER])
    if magic not in WAL_MAGIC:
        return "the -wal file does not start like a SQLite WAL"
    if (
        version != WAL_VERSION
        or page_size < 512
        or page_size > 65536
        or page_size & (page_size - 1)
    ):
        return "the -wal file's header is not valid"
    big = bool(magic & 1)
    s0, s1 = _checksum(data[:24], 0, 0, big)
    if (s0, s1) != (c1, c2):
        return "the -wal file's header checksum is wrong"
    first_bad: int | None = None
    last_commit: int | None = None
    frame_size = FRAME_HEADER + page_size
    offset, index = HEADER, 0
    while offset + frame_size <= len(data):
        header = data[offset : offset + FRAME_HEADER]
        _page, commit_size, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2):
            break  # an earlier generation's leftovers
        if commit_size:
            last_commit = index
        if first_bad is None:
            s0, s1 = _checksum(header[:8], s0, s1, big)
            s0, s1 = _checksum(data[offset + FRAME_HEADER : offset + frame_size], s0, s1, big)
            if (s0, s1) != (f1, f2):
                first_bad = index
        offset += frame_size
        index += 1
    if first_bad is not None and last_commit is not None and last_commit >= first_bad:
        return f"frame {first_bad + 1} of the -wal file fails its checksum"
    return None


def keep_copy(wal: Path, now: datetime) -> Path:
    """Copy the WAL to a free ``-wal.damaged-YYYYmmdd-HHMMSS`` name (0600); SQLite keeps
    (and soon overwrites) the original."""
    base = wal.with_name(f"{wal.name}.damaged-{now.strftime('%Y%m%d-%H%M%S')}")
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, wal.open("rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    return target
