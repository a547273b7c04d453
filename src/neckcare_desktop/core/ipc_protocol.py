"""The wire format between the ``neckcare`` command and the running NeckCare instance.

A second ``neckcare`` never starts a second tray icon; it hands its command to the instance
that is already running and prints the answer. Both ends are separate processes that may even
be different releases, so the format is explicit, versioned and validated strictly on both
sides: a typo in an argument name must come back as a clear sentence, not be silently ignored.

Framing is JSON lines: UTF-8, one JSON object per line, each terminated by ``\\n``. A message
is at most :data:`MAX_MESSAGE_BYTES` bytes, not counting its terminating newline, so a
misbehaving peer can never make the other side buffer without bound.

Requests look like ``{"v": 1, "cmd": "ice", "args": {"minutes": 15}}`` (``args`` may be
left out). Responses are ``{"v": 1, "ok": true, "result": ...}`` or
``{"v": 1, "ok": false, "error": "<one sentence>", "code": "<error code>"}``.

Only argument *types* are checked here. Ranges that depend on safety rules (ice is capped at
20 minutes) belong to the core therapy rules, which pass their refusal back as a ``refused``
error, so there is exactly one place that decides them. This module never imports Qt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal

from neckcare_desktop.core.commands import COMMANDS as TABLE
from neckcare_desktop.core.commands import REMOTE_COMMANDS, Command
from neckcare_desktop.core.i18n import translate

logger = logging.getLogger(__name__)

PROTOCOL_VERSION: Final = 1
#: Largest message either side accepts, excluding the terminating newline.
MAX_MESSAGE_BYTES: Final = 64 * 1024

BAD_JSON: Final = "bad_json"
BAD_REQUEST: Final = "bad_request"
UNKNOWN_COMMAND: Final = "unknown_command"
TOO_LARGE: Final = "too_large"
UNSUPPORTED_VERSION: Final = "unsupported_version"
REFUSED: Final = "refused"
INTERNAL: Final = "internal"

#: Every error code a response may carry.
ERROR_CODES: Final = frozenset(
    {BAD_JSON, BAD_REQUEST, UNKNOWN_COMMAND, TOO_LARGE, UNSUPPORTED_VERSION, REFUSED, INTERNAL}
)

#: Longest error sentence sent back. Refusal messages come from app code; capping them keeps
#: every response far below MAX_MESSAGE_BYTES whatever a handler puts in its message.
MAX_ERROR_CHARS: Final = 1000

_REQUEST_KEYS: Final = frozenset({"v", "cmd", "args"})
_OK_KEYS: Final = frozenset({"v", "ok", "result"})
_ERROR_KEYS: Final = frozenset({"v", "ok", "error", "code"})


class ProtocolError(ValueError):
    """A message that does not follow the protocol.

    ``str(exc)`` is one clear sentence meant for the person at the terminal, and ``code`` is
    the machine-readable error code that goes into the error response.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ArgSpec:
    """One argument a command accepts.

    ``kind`` is ``"int"`` (a JSON integer; booleans are refused although Python treats them as
    ints, because ``true`` minutes is always a client bug), ``"bool"`` (JSON ``true`` or
    ``false`` only: ``1`` or ``"yes"`` for ``force`` is a client bug too) or ``"choice"`` (one
    of ``choices``, as a string). ``minimum``/``maximum`` are only for limits that are part of
    the protocol itself, never for safety rules, which the core owns.
    """

    kind: Literal["int", "bool", "choice"]
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class CommandSpec:
    """What a command does (for help texts) and which arguments it takes."""

    summary: str
    args: Mapping[str, ArgSpec] = field(default_factory=lambda: MappingProxyType({}))


def _command_spec(command: Command) -> CommandSpec:
    """The wire's view of a command of the table: only what travels, typed as it travels."""
    args: dict[str, ArgSpec] = {}
    for arg in command.remote_args:
        if arg.kind == "path":  # a file name is never sent: the command line reads it
            raise AssertionError(f"{command.name} sends a path argument {arg.name!r}")
        args[arg.name] = ArgSpec(
            arg.kind,
            required=arg.required,
            choices=arg.choices,
            minimum=arg.low if arg.wire_limits else None,
            maximum=arg.high if arg.wire_limits else None,
        )
    return CommandSpec(command.help or command.about, MappingProxyType(args))


#: Every command the running instance understands, by name: the remote commands of the
#: one command table, :data:`neckcare_desktop.core.commands.COMMANDS`.
COMMANDS: Final[Mapping[str, CommandSpec]] = MappingProxyType(
    {name: _command_spec(TABLE[name]) for name in REMOTE_COMMANDS}
)


@dataclass(frozen=True)
class Request:
    """A validated request: ``cmd`` is a key of :data:`COMMANDS`, ``args`` fit its spec."""

    cmd: str
    args: dict[str, Any] = field(default_factory=dict)


def _check_args(cmd: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``args`` against the spec of ``cmd`` and return a plain copy.

    Unknown names are errors rather than ignored so a misspelt option never silently does
    the default thing (``--minuts 5`` starting a 15-minute ice session would be a surprise).
    """
    spec = COMMANDS[cmd]
    for name in args:
        if name not in spec.args:
            allowed = ", ".join(sorted(spec.args)) or translate("Protocol", "none")
            raise ProtocolError(
                BAD_REQUEST,
                translate(
                    "Protocol",
                    "Command {command} does not take an argument named {name} (allowed: "
                    "{allowed}).",
                ).format(command=repr(cmd), name=repr(name), allowed=allowed),
            )
    for name, arg in spec.args.items():
        if name not in args:
            if arg.required:
                raise ProtocolError(
                    BAD_REQUEST,
                    translate("Protocol", "Command {command} needs the argument {name}.").format(
                        command=repr(cmd), name=repr(name)
                    ),
                )
            continue
        value = args[name]
        if arg.kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ProtocolError(
                    BAD_REQUEST,
                    translate(
                        "Protocol",
                        "Argument {name} of {command} must be a whole number, not {value}.",
                    ).format(name=repr(name), command=repr(cmd), value=_describe(value)),
                )
            if (arg.minimum is not None and value < arg.minimum) or (
                arg.maximum is not None and value > arg.maximum
            ):
                raise ProtocolError(
                    BAD_REQUEST,
                    translate(
                        "Protocol",
                        "Argument {name} of {command} must be between {low} and {high}, "
                        "not {value}.",
                    ).format(
                        name=repr(name),
                        command=repr(cmd),
                        low=arg.minimum,
                        high=arg.maximum,
                        value=value,
                    ),
                )
        elif arg.kind == "bool":
            if not isinstance(value, bool):
                raise ProtocolError(
                    BAD_REQUEST,
                    translate(
                        "Protocol",
                        "Argument {name} of {command} must be true or false, not {value}.",
                    ).format(name=repr(name), command=repr(cmd), value=_describe(value)),
                )
        elif not isinstance(value, str) or value not in arg.choices:
            options = ", ".join(repr(c) for c in arg.choices)
            raise ProtocolError(
                BAD_REQUEST,
                translate(
                    "Protocol",
                    "Argument {name} of {command} must be one of {options}, not {value}.",
                ).format(
                    name=repr(name), command=repr(cmd), options=options, value=_describe(value)
                ),
            )
    return dict(args)


def _describe(value: Any) -> str:
    """A short, bounded description of a bad value for an error sentence."""
    if isinstance(value, bool | int | float) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        text = json.dumps(value)
        return text if len(text) <= 40 else text[:37] + '..."'
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _check_cmd(cmd: Any) -> str:
    if not isinstance(cmd, str):
        raise ProtocolError(BAD_REQUEST, "The request's 'cmd' must be a string.")
    if cmd not in COMMANDS:
        known = ", ".join(sorted(COMMANDS))
        raise ProtocolError(
            UNKNOWN_COMMAND,
            translate("Protocol", "Unknown command {command} (known commands: {known}).").format(
                command=_describe(cmd), known=known
            ),
        )
    return cmd


def _dump_line(obj: Mapping[str, Any], *, what: str) -> bytes:
    """Serialise ``obj`` as one protocol line, refusing anything the other side would reject."""
    try:
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ProtocolError(INTERNAL, f"The {what} cannot be sent as JSON: {exc}.") from exc
    data = text.encode("utf-8")
    if len(data) > MAX_MESSAGE_BYTES:
        raise ProtocolError(
            TOO_LARGE,
            f"The {what} is {len(data)} bytes; the limit is {MAX_MESSAGE_BYTES} bytes.",
        )
    return data + b"\n"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse duplicate keys: which copy of ``"cmd"`` wins would be a guess."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _load_line(line: bytes, *, what: str) -> dict[str, Any]:
    """Size-check, decode and parse one line into a JSON object with a supported version."""
    if line.endswith(b"\n"):
        line = line[:-1]
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError(
            TOO_LARGE,
            f"The {what} is {len(line)} bytes; the limit is {MAX_MESSAGE_BYTES} bytes.",
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(BAD_JSON, f"The {what} is not valid UTF-8.") from exc
    try:
        obj = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except RecursionError as exc:
        raise ProtocolError(BAD_JSON, f"The {what} is nested too deeply.") from exc
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise ProtocolError(BAD_JSON, f"The {what} is not valid JSON ({exc}).") from exc
    if not isinstance(obj, dict):
        raise ProtocolError(BAD_REQUEST, f"The {what} must be a JSON object.")
    if "v" not in obj:
        raise ProtocolError(BAD_REQUEST, f"The {what} has no protocol version 'v'.")
    version = obj["v"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProtocolError(BAD_REQUEST, f"The {what}'s protocol version 'v' must be a number.")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            UNSUPPORTED_VERSION,
            (
                translate(
                    "Protocol",
                    "The request uses protocol version {version}, but this NeckCare speaks "
                    "version {ours}; use the same NeckCare version for the command and the app.",
                )
                if what == "request"
                else translate(
                    "Protocol",
                    "The response uses protocol version {version}, but this NeckCare speaks "
                    "version {ours}; use the same NeckCare version for the command and the app.",
                )
            ).format(version=version, ours=PROTOCOL_VERSION),
        )
    return obj


def encode_request(cmd: str, /, **args: Any) -> bytes:
    """Validate a request and return it as one line, including the final ``\\n``.

    Arguments whose value is ``None`` are left out, so a CLI can pass its parsed options
    straight through without first removing the ones the user did not give.
    """
    cmd = _check_cmd(cmd)
    present = {name: value for name, value in args.items() if value is not None}
    checked = _check_args(cmd, present)
    message: dict[str, Any] = {"v": PROTOCOL_VERSION, "cmd": cmd}
    if checked:
        message["args"] = checked
    return _dump_line(message, what="request")


def decode_request(line: bytes) -> Request:
    """Parse and validate one request line (a trailing ``\\n`` is allowed).

    Raises :class:`ProtocolError` for everything that is not a valid request, and nothing
    else, so the server can turn any bad input into an error reply without guessing.
    """
    obj = _load_line(line, what="request")
    extra = sorted(set(obj) - _REQUEST_KEYS)
    if extra:
        raise ProtocolError(
            BAD_REQUEST, f"The request has unknown field(s): {', '.join(map(repr, extra))}."
        )
    if "cmd" not in obj:
        raise ProtocolError(BAD_REQUEST, "The request has no 'cmd'.")
    cmd = _check_cmd(obj["cmd"])
    args = obj.get("args", {})
    if not isinstance(args, dict):
        raise ProtocolError(BAD_REQUEST, "The request's 'args' must be a JSON object.")
    return Request(cmd, _check_args(cmd, args))


def ok_response(result: Any = None) -> bytes:
    """A success reply carrying ``result``, which must be JSON-serialisable.

    Raises :class:`ProtocolError` (code ``internal`` or ``too_large``) if it is not; that is
    a bug in the handler, which the server reports to the client as an internal error.
    """
    return _dump_line({"v": PROTOCOL_VERSION, "ok": True, "result": result}, what="response")


def error_response(code: str, message: str) -> bytes:
    """An error reply; ``code`` must be one of :data:`ERROR_CODES`.

    Over-long messages are shortened, so the reply always fits the size limit.
    """
    if code not in ERROR_CODES:
        raise ValueError(f"unknown error code {code!r}")
    message = str(message).strip() or "The request failed."
    if len(message) > MAX_ERROR_CHARS:
        message = message[: MAX_ERROR_CHARS - 3] + "..."
    return _dump_line(
        {"v": PROTOCOL_VERSION, "ok": False, "error": message, "code": code}, what="response"
    )


def decode_response(line: bytes) -> dict[str, Any]:
    """Parse and validate one response line (a trailing ``\\n`` is allowed).

    Returns the response object: ``ok`` is a bool; on success ``result`` is present, on
    failure ``error`` and ``code`` are non-empty strings. Error codes this version does not
    know are accepted, so a newer app can add codes without breaking older commands.
    Raises :class:`ProtocolError` for anything malformed.
    """
    obj = _load_line(line, what="response")
    ok = obj.get("ok")
    if not isinstance(ok, bool):
        raise ProtocolError(BAD_REQUEST, "The response's 'ok' must be true or false.")
    expected = _OK_KEYS if ok else _ERROR_KEYS
    if set(obj) != expected:
        raise ProtocolError(
            BAD_REQUEST,
            f"The response must have exactly the fields {', '.join(sorted(expected))}.",
        )
    if not ok:
        for key in ("error", "code"):
            if not isinstance(obj[key], str) or not obj[key]:
                raise ProtocolError(
                    BAD_REQUEST, f"The response's {key!r} must be a non-empty string."
                )
    return obj
