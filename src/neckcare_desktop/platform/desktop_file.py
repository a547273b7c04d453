"""The Desktop Entry format, as NeckCare writes and reads it: ``Exec`` quoting, string
escapes, and reading one group of a ``.desktop`` file.

One place for it because the autostart entry (:mod:`.autostart`) and the launcher entry
(:mod:`.desktop_entry`) must quote commands identically, and a command with a space in its
path (a venv under "/home/Jane Doe") must come back from the file exactly as it went in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Final

logger = logging.getLogger(__name__)

#: Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec
#: key"). The spec lists these rather than "anything a shell cares about"; ``=`` and ``%`` are
#: not among them (``%`` is escaped separately as a field code).
_EXEC_RESERVED: Final = frozenset(" \t\n\"'\\><~|&;$*?#()`")
#: Characters that must be backslash-escaped inside a quoted Exec argument.
_EXEC_QUOTE_ESCAPED: Final = frozenset('"`$\\')
#: The string-value escapes every Desktop Entry value goes through (spec, "Possible value
#: types"). They are applied *after* the Exec quoting when writing, before it when reading.
_STRING_ESCAPES: Final = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_STRING_UNESCAPES: Final = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def quote_exec_arg(arg: str) -> str:
    """Quote one argument for an ``Exec`` line (before the string-value escaping).

    A literal ``%`` becomes ``%%`` so a path like ``/home/100%/bin`` is not read as a field
    code. Arguments with reserved characters (a space in ``/home/Jane Doe/...`` is the common
    case) are double-quoted with ``"``, backquote, ``$`` and backslash escaped.
    """
    text = arg.replace("%", "%%")
    if text and not any(ch in _EXEC_RESERVED for ch in text):
        return text
    escaped = "".join("\\" + ch if ch in _EXEC_QUOTE_ESCAPED else ch for ch in text)
    return f'"{escaped}"'


def format_exec(command: Sequence[str]) -> str:
    """Return the value of an ``Exec=`` key that runs ``command`` exactly, argument by argument.

    The spec applies the general string escaping on top of the quoting, so a backslash inside
    a quoted argument is written as four backslashes; :func:`split_exec` undoes both layers.
    """
    if not command:
        raise ValueError("an Exec line needs at least the program to run")
    return escape_string(" ".join(quote_exec_arg(arg) for arg in command))


def escape_string(value: str) -> str:
    """Escape a Desktop Entry string value (backslash, newline, tab, carriage return)."""
    return "".join(_STRING_ESCAPES.get(ch, ch) for ch in value)


def _unescape_string(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        # Unknown escapes are kept verbatim: being lenient beats refusing a hand-edited file.
        out.append(_STRING_UNESCAPES.get(nxt, "\\" + nxt))
    return "".join(out)


def split_exec(value: str) -> list[str]:
    """Split an ``Exec=`` value into arguments, the way a desktop launcher would.

    ``%%`` becomes ``%``; other field codes (``%f``, ``%U``...) are returned untouched because
    expanding them is the launcher's job. Raises ``ValueError`` on an unterminated quote.
    """
    text = _unescape_string(value)
    args: list[str] = []
    current: list[str] = []
    in_arg = False
    in_quotes = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_quotes:
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in _EXEC_QUOTE_ESCAPED:
                current.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_quotes = False
            else:
                current.append(ch)
        elif ch in " \t\n":
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        elif ch == '"':
            in_quotes = in_arg = True
        else:
            current.append(ch)
            in_arg = True
        i += 1
    if in_quotes:
        raise ValueError(f"unterminated quote in Exec value {value!r}")
    if in_arg:
        args.append("".join(current))
    return [arg.replace("%%", "%") for arg in args]


def read_desktop_group(path: Path, group: str = "Desktop Entry") -> dict[str, str] | None:
    """Return the raw ``key -> value`` pairs of one group of a ``.desktop`` file.

    ``configparser`` is not used on purpose: it would treat ``%`` as interpolation, fold key
    case and choke on duplicate keys, none of which the Desktop Entry format has. Returns
    ``None`` if the file is missing, unreadable or has no such group.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        logger.debug("cannot read %s: %s", path, exc)
        return None
    values: dict[str, str] | None = None
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            if current == group and values is None:
                values = {}
            continue
        if current == group and values is not None and "=" in line:
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), value.strip())
    return values


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def is_false(value: str | None) -> bool:
    return (value or "").strip().lower() == "false"
