"""The settings file on disk: reading it safely, keeping bad content aside, saving it.

:mod:`neckcare_desktop.core.settings` is the model and its validator; this module is
everything that touches ``settings.toml`` (those names stay importable from there too).

Three rules, because the path is in a folder anyone with the person's login can change:

* **Only a regular file is read**, and only up to :data:`MAX_BYTES`. A FIFO would block
  ``open()`` until a writer appears, and a device or a 50 MB file is not a settings file;
  any of them is refused with a message, without opening it blocking (``os.stat`` before,
  ``O_NONBLOCK`` on open, ``os.fstat`` after, in case it was swapped in between).
* **Bad content is copied aside once, to one rolling backup.** ``settings.toml.bad`` holds
  the latest distinct bad content: it is rewritten (atomically) only when the bad content
  differs from what it already holds, so a file that stays broken over many starts is not
  copied again, an autosaving editor does not leave dozens of copies, and an oversized
  file is never copied. Timestamped ``.bad-…`` copies an older NeckCare made are left
  alone.
* **A file with problems is never written by NeckCare on its own.** The disk, not a flag
  remembered since start, decides: :func:`save_settings` looks at what is there right
  before it writes. Bookkeeping saves (the first-run autostart answer, "don't show this
  again") are refused while the file has problems; only the person's own Save in
  Settings… (``replace_damaged=True``) replaces a file with bad content, and only once a
  copy of that content is kept. A FIFO, device, folder or oversized file is never
  replaced, not even then: it may be someone's on purpose, and it is not copied. Through a
  symlink the same holds for its target, which is written in place (temporary file in
  the target's folder, then an atomic replace), so the link stays a link.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from neckcare_desktop.core.atomic_file import write_atomically
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from neckcare_desktop.core.settings import (
    FIELDS,
    RETIRED_LANGUAGES,
    Settings,
    SettingsError,
    default_settings,
    settings_from_dict,
    settings_to_dict,
)

# The settings' log lines keep the name they always had (people and tests grep for it).
logger = logging.getLogger("neckcare_desktop.core.settings")

FILE_HEADER = "# NeckCare Desktop settings — see README\n"

#: A settings file NeckCare writes is about 1 KB; anything over this is not one.
MAX_BYTES = 1024 * 1024

#: Windows would otherwise translate newlines in the backup copy.
_O_BINARY: int = getattr(os, "O_BINARY", 0)
#: Opening a FIFO for reading waits for a writer unless non-blocking (POSIX only).
_O_READ: int = (
    os.O_RDONLY
    | _O_BINARY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)

_KINDS: dict[str, str] = {
    "fifo": QT_TRANSLATE_NOOP("Settings", "a named pipe (FIFO)"),
    "folder": QT_TRANSLATE_NOOP("Settings", "a folder"),
    "device": QT_TRANSLATE_NOOP("Settings", "a device"),
    "socket": QT_TRANSLATE_NOOP("Settings", "a socket"),
    "special": QT_TRANSLATE_NOOP("Settings", "a special file"),
}

_LANGUAGES: tuple[str, ...] = next(spec.choices for spec in FIELDS if spec.key == "app.language")


def _kind(mode: int) -> str | None:
    """The kind of a file that is not a regular file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special"


def _megabytes(size: int) -> str:
    return f"{size / MAX_BYTES:.1f}"


@dataclass(frozen=True)
class Refusal:
    """Why a settings file was not read: not a regular file, too large, or unreadable."""

    kind: str  #: a key of ``_KINDS``, "too_large" or "unreadable"
    size: int = 0
    reason: str = ""  #: the system's words, for "unreadable"

    def problems(self, path: Path, *, while_running: bool = False) -> list[str]:
        """What the person reads when NeckCare starts or (``while_running``) the file
        changes; while running the caller says which settings stay in use."""
        if self.kind == "unreadable":
            problem = translate("Settings", "Could not read {path}: {reason}.").format(
                path=path, reason=self.reason
            )
            if while_running:
                return [problem]
            return [problem, translate("Settings", "NeckCare is running on default settings.")]
        if self.kind == "too_large":
            what = translate(
                "Settings",
                "{path} is {size} MB, larger than a settings file can be ({limit} MB at most).",
            ).format(path=path, size=_megabytes(self.size), limit=_megabytes(MAX_BYTES))
        else:
            what = translate("Settings", "{path} is {kind}, not a regular file.").format(
                path=path, kind=translate("Settings", _KINDS[self.kind])
            )
        if while_running:
            left = translate(
                "Settings",
                "NeckCare does not read {path}, copy it or write over it. "
                "Move it away or put your settings file in its place.",
            )
        else:
            left = translate(
                "Settings",
                "NeckCare runs on default settings; it does not read {path}, copy it or "
                "write over it. Move it away or put your settings file in its place.",
            )
        return [what, left.format(path=path)]

    def save_reason(self) -> str:
        """Why :func:`save_settings` does not write over it (shown after "Could not save")."""
        if self.kind == "unreadable":
            return translate(
                "Settings", "it could not be read ({reason}), so NeckCare does not write over it"
            ).format(reason=self.reason)
        if self.kind == "too_large":
            return translate(
                "Settings",
                "it is larger than a settings file can be ({limit} MB at most); "
                "move it away, then save again",
            ).format(limit=_megabytes(MAX_BYTES))
        return translate(
            "Settings", "it is {kind}, not a regular file; move it away, then save again"
        ).format(kind=translate("Settings", _KINDS[self.kind]))


class SettingsFileRefused(OSError):
    """:func:`save_settings` would not write over what is at the path (see the module doc).

    An :class:`OSError`, so every caller that already handles a failed save (full disk,
    no permission) handles this too; ``strerror`` is the translated reason.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(None, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def read_regular(path: Path | str) -> tuple[bytes | None, Refusal | None]:
    """The content of ``path`` if it is a regular file of at most :data:`MAX_BYTES`.

    Returns ``(None, None)`` when nothing is there (a dangling symlink included),
    ``(None, refusal)`` when something else is there. Never blocks and never raises.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, Refusal("unreadable", reason=str(exc.strerror or exc))
    refusal = _refusal_for(before)
    if refusal is not None:
        return None, refusal
    try:
        fd = os.open(path, _O_READ)
    except FileNotFoundError:  # removed between the two looks
        return None, None
    except OSError as exc:
        return None, Refusal("unreadable", reason=str(exc.strerror or exc))
    try:
        # What was opened may not be what was looked at: look again, at the open file.
        refusal = _refusal_for(os.fstat(fd))
        if refusal is not None:
            return None, refusal
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 16, MAX_BYTES + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_BYTES:  # it grew after the check
                return None, Refusal("too_large", size=max(total, os.fstat(fd).st_size))
        return b"".join(chunks), None
    except OSError as exc:
        return None, Refusal("unreadable", reason=str(exc.strerror or exc))
    finally:
        os.close(fd)


def _refusal_for(st: os.stat_result) -> Refusal | None:
    kind = _kind(st.st_mode)
    if kind is not None:
        return Refusal(kind)
    if st.st_size > MAX_BYTES:
        return Refusal("too_large", size=st.st_size)
    return None


def file_state(path: Path) -> object:
    """A value that changes when what is at ``path`` changes; None when nothing is there.

    For the file watcher: the content of a readable settings file, else what and which
    thing it is (why refused, kind, device, inode), so one refused file is reported once,
    not again each time it grows. Never opens anything but a regular file of at most
    :data:`MAX_BYTES`, so a FIFO swapped in while running cannot block.
    """
    content, refusal = read_regular(path)
    if refusal is None:
        return content
    try:
        st = os.stat(path)
    except OSError:
        return (refusal.kind,)
    return (refusal.kind, stat.S_IFMT(st.st_mode), st.st_dev, st.st_ino)


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_settings` found; ``problems`` is empty when the file was fine."""

    settings: Settings
    problems: list[str] = field(default_factory=list)
    backup_path: Path | None = None
    #: What the file could not give, so ``settings`` has defaults there: setting keys or
    #: tables ("therapy"), "" for everything (no file, or none that could be read). Empty
    #: when every setting came from the file. A copy kept elsewhere may fill these in
    #: (the ice and heat safety answers: :mod:`neckcare_desktop.core.settings_safety`);
    #: never what the file did give.
    defaulted: tuple[str, ...] = ()


def _content_problems(
    path: Path, content: bytes
) -> tuple[Settings | None, list[str], Settings | None]:
    """Parse and validate ``content``: the settings, or every problem found in it (in the
    person's words) and, when only single settings were wrong, the file's good values
    with defaults for the rest."""
    settings, problems, error = _checked_content(path, content)
    return settings, problems, error.partial if error is not None else None


def _checked_content(
    path: Path, content: bytes
) -> tuple[Settings | None, list[str], SettingsError | None]:
    """:func:`_content_problems`, with the validator's error (its keys and partial
    settings) when the file was TOML but had wrong values."""
    try:
        # utf-8-sig: editors such as Notepad add a byte-order mark that TOML rejects.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc positions are relative to the content after any byte-order mark.
        offset = len(content) - len(exc.object) + exc.start
        line = content.count(b"\n", 0, offset) + 1
        return (
            None,
            [
                translate(
                    "Settings",
                    "{path} is not UTF-8 text (unexpected byte 0x{byte} on line {line}); "
                    "save it as UTF-8.",
                ).format(path=path, byte=f"{content[offset]:02x}", line=line)
            ],
            None,
        )
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        problem = translate("Settings", "{path} is not valid TOML: {error}.")
        return None, [problem.format(path=path, error=exc)], None
    try:
        return settings_from_dict(data), [], None
    except SettingsError as exc:
        logger.info("settings file %s: %s", path, "; ".join(exc.problems))  # with the keys
        return None, list(exc.plain), exc


def backup_path_for(path: Path) -> Path:
    """The one rolling backup of ``path``'s bad content: ``settings.toml.bad``."""
    return path.with_name(f"{path.name}.bad")


def _keep_copy(path: Path, content: bytes, now: datetime) -> Path:
    """Keep ``content`` in the rolling backup; written only when it holds something else.

    Written to a temporary file first and then put in place, so a crash never leaves a
    half backup; whatever was at the backup's name (even a link) is replaced, not
    followed. ``now`` is not needed any more: the name no longer carries a time.
    """
    del now
    backup = backup_path_for(path)
    if read_regular(backup)[0] == content:
        logger.info("%s has the same content as the backup %s; no new copy", path, backup)
        return backup
    write_atomically(backup, content)
    return backup


def load_settings(path: Path, now: datetime, *, while_running: bool = False) -> LoadResult:
    """Read settings from ``path``; on any problem give defaults and say why.

    At start the words say NeckCare runs on defaults; ``while_running`` (the file changed
    under a running app) they leave that out: the app keeps what it was using, and says so.
    """
    content, refusal = read_regular(path)
    if refusal is not None:
        problems = refusal.problems(path, while_running=while_running)
        if refusal.kind == "unreadable":
            logger.warning("Could not read settings file %s: %s", path, refusal.reason)
        else:
            logger.warning("Settings file %s has problems: %s", path, "; ".join(problems))
        return LoadResult(default_settings(), problems, None, ("",))
    if content is None:
        logger.info("No settings file at %s; using defaults", path)
        return LoadResult(default_settings(), [], None, ("",))

    settings, problems, error = _checked_content(path, content)
    if settings is not None:
        return LoadResult(settings, [], None)
    partial = error.partial if error is not None else None
    # The keys (or tables) whose values were wrong took defaults; all of them when the
    # file as a whole could not be used.
    defaulted: tuple[str, ...] = (
        tuple(error.keys) if error is not None and partial is not None else ("",)
    )
    # Only what actually happened is said: at start either the file's good settings are
    # used with defaults for the bad ones, or (unreadable as a whole) defaults for all;
    # while running the caller says the settings in use are kept.
    if partial is not None:
        settings = partial
        start_failed = translate(
            "Settings",
            "NeckCare started with defaults for these settings and yours for the rest; "
            "{path} was left as it is, but a backup copy could not be made: {reason}.",
        )
        start_kept = translate(
            "Settings",
            "NeckCare started with defaults for these settings and yours for the rest; "
            "{path} was left as it is and a copy was saved as {backup}.",
        )
    else:
        settings = default_settings()
        start_failed = translate(
            "Settings",
            "NeckCare is running on default settings; {path} was left as it is, "
            "but a backup copy could not be made: {reason}.",
        )
        start_kept = translate(
            "Settings",
            "NeckCare is running on default settings; {path} was left as it is "
            "and a copy was saved as {backup}.",
        )

    backup: Path | None = None
    try:
        backup = _keep_copy(path, content, now)
    except OSError as exc:
        logger.error("Could not copy bad settings file %s aside: %s", path, exc)
        if while_running:
            failed = translate(
                "Settings",
                "{path} was left as it is, but a backup copy could not be made: {reason}.",
            )
        else:
            failed = start_failed
        problems.append(failed.format(path=path, reason=exc.strerror or exc))
    else:
        if while_running:
            kept = translate(
                "Settings", "{path} was left as it is and a copy was saved as {backup}."
            )
        else:
            kept = start_kept
        problems.append(kept.format(path=path, backup=backup))
    logger.warning("Settings file %s has problems: %s", path, "; ".join(problems))
    return LoadResult(settings, problems, backup, defaulted)


def read_language(path: Path) -> str:
    """The ``app.language`` in the settings file, or "auto"; never raises, changes nothing.

    The app needs the language before anything is shown, and so before
    :func:`load_settings` (which copies a broken file aside and reports, in words, what
    was wrong: words that must already be in the right language).
    """
    content, _refusal = read_regular(path)
    if content is None:
        return "auto"
    try:
        data = tomllib.loads(content.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return "auto"
    app = data.get("app")
    value = app.get("language") if isinstance(app, Mapping) else None
    if isinstance(value, str) and value in _LANGUAGES:
        return value
    return RETIRED_LANGUAGES.get(value, "auto") if isinstance(value, str) else "auto"


def _check_replaceable(
    path: Path, target: Path, replace_damaged: bool, now: datetime | None
) -> None:
    """Raise :class:`SettingsFileRefused` unless what is at ``target`` may be written over."""
    content, refusal = read_regular(target)
    if refusal is not None:
        raise SettingsFileRefused(path, refusal.save_reason())
    if content is None:
        return
    _settings, problems, _partial = _content_problems(path, content)
    if not problems:
        return
    if not replace_damaged:
        raise SettingsFileRefused(
            path,
            translate(
                "Settings",
                "it has problems NeckCare does not fix by itself; "
                "saving from Settings… replaces it",
            ),
        )
    if now is None:  # the time the bad content was written is as good a name as any
        now = datetime.fromtimestamp(os.stat(target).st_mtime).astimezone()
    try:
        backup = _keep_copy(path, content, now)
    except OSError as exc:
        raise SettingsFileRefused(
            path,
            translate(
                "Settings",
                "a copy of its content could not be kept ({reason}), "
                "so NeckCare does not write over it",
            ).format(reason=exc.strerror or exc),
        ) from exc
    logger.info("Replacing %s, which had problems; its content is kept in %s", path, backup)


def _file_dict(s: Settings) -> dict[str, object]:
    """What the file holds: the person's settings, without app bookkeeping (``internal``
    fields such as ``app.autostart_asked``, kept in :mod:`~neckcare_desktop.core.app_state`
    now). Such a key in an older file is still read."""
    data = settings_to_dict(s)
    for spec in FIELDS:
        if spec.internal:
            *sections, name = spec.key.split(".")
            table = data
            for part in sections:
                table = table[part]
            table.pop(name, None)
    return data


def save_settings(
    s: Settings, path: Path, *, replace_damaged: bool = False, now: datetime | None = None
) -> None:
    """Write ``s`` to ``path`` atomically, readable only by the owner.

    A crash or full disk mid-write leaves the previous file intact, because the new
    content only replaces it once it is completely on disk. A symlinked settings file
    (dotfile managers) is written through rather than replaced by a plain file.

    Raises :class:`SettingsFileRefused` (an OSError) rather than write over a file with
    problems; ``replace_damaged`` is for the person's own Save in Settings…, which
    replaces bad content once a copy of it is kept (named after ``now``, or else after
    the time the file was last written). See the module doc.
    """
    target = Path(os.path.realpath(path))
    _check_replaceable(path, target, replace_damaged, now)
    parent = target.parent
    if not parent.exists():
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(parent, 0o700)  # mkdir's mode is filtered by the umask
    import tomli_w  # only when saving: a running tray that never saves need not hold it

    payload = (FILE_HEADER + tomli_w.dumps(_file_dict(s))).encode("utf-8")
    write_atomically(target, payload)  # flushes the folder too
    logger.info("Saved settings to %s", target)
