"""The typed settings model, its validator and its TOML file.

Settings are frozen dataclasses so a half-applied change can never be observed: code
either holds the old object or a fully validated new one. Every bound lives once, in
:data:`FIELDS`; the validator, the dataclasses' own checks and the Settings dialog all
read it, so a safety cap such as the ice limit cannot drift between them.

A broken settings file must never stop NeckCare from reminding someone to take a break,
so :func:`load_settings` never raises for bad content: it falls back to defaults, keeps a
copy of the bad file for the person to fix, and reports exactly what was wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, get_type_hints

import tomli_w

from neckcare_desktop.core.limits import (
    HEAT_DEFAULT_MINUTES,
    HEAT_MAX_MINUTES,
    HEAT_MIN_MINUTES,
    ICE_DEFAULT_MINUTES,
    ICE_MAX_MINUTES,
    ICE_MIN_MINUTES,
    ICE_REST_DEFAULT_MINUTES,
    ICE_REST_MAX_MINUTES,
    ICE_REST_MIN_MINUTES,
)

logger = logging.getLogger(__name__)

#: Bump when the file layout changes, and teach :func:`_migrate` the old layout.
SCHEMA_VERSION = 1

FILE_HEADER = "# NeckCare Desktop settings — see README\n"

#: How many ``-N`` suffixes to try before giving up on finding a free backup name.
_MAX_BACKUP_ATTEMPTS = 1000

#: Windows would otherwise translate newlines in the backup copy.
_O_BINARY: int = getattr(os, "O_BINARY", 0)


class SettingsError(ValueError):
    """One or more settings are invalid.

    All problems are collected rather than stopping at the first, so someone fixing a
    hand-edited file sees everything at once instead of playing whack-a-mole.
    ``key`` is the dotted name of the first offending setting ("" for the file as a
    whole); ``keys`` lists the key of every problem, in the same order as ``problems``.
    """

    def __init__(
        self, key: str, problems: str | Sequence[str], keys: Sequence[str] | None = None
    ) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.key = key
        self.keys: list[str] = list(keys) if keys is not None else [key] * len(self.problems)
        super().__init__("\n".join(self.problems))


class _Validated:
    """Mixin: a section checks its own fields against :data:`FIELDS` on construction.

    This makes it impossible to build, say, a 25-minute ice round by calling the
    dataclass directly and skipping :func:`settings_from_dict`.
    """

    _prefix: ClassVar[str]

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            key = f"{self._prefix}.{f.name}"
            spec = _FIELDS_BY_KEY.get(key)
            if spec is not None:
                problem = _check(spec, getattr(self, f.name))
                if problem is not None:
                    problems.append((key, problem))
        if problems:
            raise SettingsError(problems[0][0], [p for _, p in problems], [k for k, _ in problems])


@dataclass(frozen=True)
class MicroBreakSettings(_Validated):
    """Short look-away breaks for the eyes and neck."""

    _prefix: ClassVar[str] = "breaks.micro"

    enabled: bool = True
    interval_minutes: int = 20
    duration_seconds: int = 20


@dataclass(frozen=True)
class PostureBreakSettings(_Validated):
    """Longer stand-up-and-move breaks."""

    _prefix: ClassVar[str] = "breaks.posture"

    enabled: bool = True
    interval_minutes: int = 50
    duration_minutes: int = 5


@dataclass(frozen=True)
class BreakSettings(_Validated):
    _prefix: ClassVar[str] = "breaks"

    postpone_minutes: int = 5
    max_postpones: int = 3
    strict: bool = False
    warning_seconds: int = 30
    natural_breaks: bool = True
    respect_fullscreen: bool = True
    all_screens: bool = False
    micro: MicroBreakSettings = field(default_factory=MicroBreakSettings)
    posture: PostureBreakSettings = field(default_factory=PostureBreakSettings)


@dataclass(frozen=True)
class WorkingHoursSettings(_Validated):
    """When break reminders run. Off means every day, at any hour: the person chooses."""

    _prefix: ClassVar[str] = "working_hours"

    enabled: bool = False
    days: str = "mon,tue,wed,thu,fri"
    start: str = "09:00"
    end: str = "17:30"


@dataclass(frozen=True)
class HydrationSettings(_Validated):
    _prefix: ClassVar[str] = "hydration"

    enabled: bool = True
    interval_minutes: int = 60


@dataclass(frozen=True)
class TherapySettings(_Validated):
    _prefix: ClassVar[str] = "therapy"

    ice_minutes: int = ICE_DEFAULT_MINUTES
    heat_minutes: int = HEAT_DEFAULT_MINUTES
    ice_rest_minutes: int = ICE_REST_DEFAULT_MINUTES


@dataclass(frozen=True)
class NotificationSettings(_Validated):
    _prefix: ClassVar[str] = "notifications"

    sound: bool = True
    volume: int = 80


@dataclass(frozen=True)
class GuidanceSettings(_Validated):
    _prefix: ClassVar[str] = "guidance"

    see_someone: bool = True


@dataclass(frozen=True)
class AppSettings(_Validated):
    _prefix: ClassVar[str] = "app"

    language: str = "auto"
    autostart_asked: bool = False


@dataclass(frozen=True)
class Settings:
    breaks: BreakSettings = field(default_factory=BreakSettings)
    working_hours: WorkingHoursSettings = field(default_factory=WorkingHoursSettings)
    hydration: HydrationSettings = field(default_factory=HydrationSettings)
    therapy: TherapySettings = field(default_factory=TherapySettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    guidance: GuidanceSettings = field(default_factory=GuidanceSettings)
    app: AppSettings = field(default_factory=AppSettings)


@dataclass(frozen=True)
class FieldSpec:
    """Everything the validator and the dialog need to know about one setting."""

    key: str
    kind: type
    default: int | bool | str
    minimum: int | None
    maximum: int | None
    label: str
    unit: str
    hint: str = ""
    #: For text fields: the allowed values, or empty when ``check`` decides.
    choices: tuple[str, ...] = ()
    #: For text fields: returns a problem sentence (without the key) or None.
    check: Callable[[str], str | None] | None = None
    #: Kept in the file but not shown in the Settings dialog (app bookkeeping).
    internal: bool = False


def _dataclass_default(key: str) -> int | bool:
    """Read a setting's default from the dataclass so it is written down only once."""
    cls: Any = Settings
    *sections, name = key.split(".")
    for part in sections:
        cls = get_type_hints(cls)[part]
    for f in dataclasses.fields(cls):
        if f.name == name:
            return f.default  # type: ignore[return-value]
    raise KeyError(key)  # pragma: no cover - guarded by the FIELDS/dataclass test


def _int(key: str, minimum: int, maximum: int, label: str, unit: str, hint: str = "") -> FieldSpec:
    return FieldSpec(key, int, _dataclass_default(key), minimum, maximum, label, unit, hint)


def _bool(key: str, label: str, hint: str = "", *, internal: bool = False) -> FieldSpec:
    return FieldSpec(
        key, bool, _dataclass_default(key), None, None, label, "", hint, internal=internal
    )


def _str(
    key: str,
    label: str,
    *,
    choices: tuple[str, ...] = (),
    check: Callable[[str], str | None] | None = None,
    hint: str = "",
) -> FieldSpec:
    return FieldSpec(key, str, _dataclass_default(key), None, None, label, "", hint, choices, check)


WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> frozenset[int]:
    """``"mon,wed"`` -> {0, 2} (Monday is 0, as in ``datetime.weekday()``)."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    return frozenset(WEEKDAYS.index(name) for name in names)


def _check_days(text: str) -> str | None:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not names:
        return 'must name at least one day, e.g. "mon,tue,wed,thu,fri"'
    bad = [name for name in names if name not in WEEKDAYS]
    if bad:
        return f"has unknown day {bad[0]!r}: use {', '.join(WEEKDAYS)} separated by commas"
    return None


def parse_hhmm(text: str) -> dt.time:
    hours, _, minutes = text.partition(":")
    return dt.time(int(hours), int(minutes))


def _check_hhmm(text: str) -> str | None:
    hours, sep, minutes = text.partition(":")
    if (
        sep
        and hours.isdigit()
        and minutes.isdigit()
        and len(minutes) == 2
        and 1 <= len(hours) <= 2
        and int(hours) < 24
        and int(minutes) < 60
    ):
        return None
    return "must be a time of day as HH:MM, from 00:00 to 23:59"


FIELDS: tuple[FieldSpec, ...] = (
    _bool("breaks.micro.enabled", "Remind me to take micro-breaks"),
    _int("breaks.micro.interval_minutes", 5, 120, "Micro-break every", "min"),
    _int("breaks.micro.duration_seconds", 10, 300, "Micro-break length", "s"),
    _bool("breaks.posture.enabled", "Remind me to take posture breaks"),
    _int("breaks.posture.interval_minutes", 15, 240, "Posture break every", "min"),
    _int("breaks.posture.duration_minutes", 1, 30, "Posture break length", "min"),
    _int("breaks.postpone_minutes", 1, 30, "Postpone a break by", "min"),
    _int(
        "breaks.max_postpones",
        0,
        10,
        "Postpones in a row, at most",
        "",
        "After this many postpones the break window offers only Start break and Skip.",
    ),
    _bool("breaks.strict", "Strict mode: no Postpone and no Skip"),
    _int(
        "breaks.warning_seconds",
        0,
        300,
        "Warn before a posture break",
        "s",
        "A notification this long before a posture break; 0 turns the warning off.",
    ),
    _bool(
        "breaks.natural_breaks",
        "Count time away from the computer as a break",
        "When you are away for as long as a break lasts, that break counts as taken.",
    ),
    _bool(
        "breaks.respect_fullscreen",
        "Hold breaks during fullscreen apps and do-not-disturb",
        "A due break waits (up to 30 minutes) while you present, watch or call.",
    ),
    _bool("breaks.all_screens", "Show the break window on every screen"),
    _bool(
        "working_hours.enabled",
        "Remind me only during working hours",
        "Off: reminders run every day, at any hour. Ice and heat timers always work.",
    ),
    _str(
        "working_hours.days",
        "Working days",
        check=_check_days,
        hint="Days separated by commas: mon,tue,wed,thu,fri,sat,sun",
    ),
    _str("working_hours.start", "Working hours start", check=_check_hhmm, hint="HH:MM"),
    _str(
        "working_hours.end",
        "Working hours end",
        check=_check_hhmm,
        hint="HH:MM; an end before the start runs past midnight",
    ),
    _bool("hydration.enabled", "Remind me to drink water"),
    _int("hydration.interval_minutes", 15, 240, "Drink water every", "min"),
    _int(
        "therapy.ice_minutes",
        ICE_MIN_MINUTES,
        ICE_MAX_MINUTES,
        "Ice round length",
        "min",
        f"Ice is capped at {ICE_MAX_MINUTES} minutes a round to protect the skin.",
    ),
    _int(
        "therapy.heat_minutes",
        HEAT_MIN_MINUTES,
        HEAT_MAX_MINUTES,
        "Heat session length",
        "min",
        f"Heat is capped at {HEAT_MAX_MINUTES} minutes so nobody falls asleep on a pad.",
    ),
    _int(
        "therapy.ice_rest_minutes",
        ICE_REST_MIN_MINUTES,
        ICE_REST_MAX_MINUTES,
        "Rest between ice rounds",
        "min",
        f"Skin needs at least {ICE_REST_MIN_MINUTES} minutes to warm back up between rounds.",
    ),
    _bool("notifications.sound", "Play a sound with reminders"),
    _int("notifications.volume", 0, 100, "Volume", "%"),
    _bool(
        "guidance.see_someone",
        "Suggest seeing a healthcare professional when spasms keep coming back",
    ),
    _str("app.language", "Language", choices=("auto", "en", "es", "de")),
    _bool("app.autostart_asked", "Asked about starting at login", internal=True),
)

_FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}

#: Every table that may appear in the file ("breaks", "breaks.micro", ...).
_SECTIONS: frozenset[str] = frozenset(
    ".".join(spec.key.split(".")[:n]) for spec in FIELDS for n in range(1, spec.key.count(".") + 1)
)


def _describe(value: object) -> str:
    """Render a value the way the person typed it in TOML, so they can find it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            return "a number with thousands of digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def _range_reason(spec: FieldSpec) -> str:
    """Turn the field's hint into a parenthetical, so the refusal says *why*."""
    hint = spec.hint.strip().rstrip(".")
    if not hint:
        return ""
    # "Ice is capped at 20 minutes a round to protect the skin" -> "(ice is capped at 20
    # minutes a round)": keep the rule, drop the rationale after "to"/"so".
    for cut in (" to ", " so "):
        head, sep, _ = hint.partition(cut)
        if sep:
            hint = head
            break
    return f" ({hint[0].lower()}{hint[1:]})"


def allowed_range(spec: FieldSpec) -> str:
    """Human text of an int field's bounds, e.g. ``1–20``."""
    return f"{spec.minimum}–{spec.maximum}"


def _check(spec: FieldSpec, value: object) -> str | None:
    """Return a problem message for ``value`` or None if it is acceptable."""
    if spec.kind is bool:
        if isinstance(value, bool):
            return None
        return f"{spec.key} must be true or false, got {_describe(value)}"
    if spec.kind is str:
        if not isinstance(value, str):
            return f"{spec.key} must be text in quotes, got {_describe(value)}"
        if spec.choices and value not in spec.choices:
            return (
                f"{spec.key} = {_describe(value)} is not allowed: "
                f"use one of {', '.join(spec.choices)}"
            )
        if spec.check is not None:
            problem = spec.check(value)
            if problem is not None:
                return f"{spec.key} = {_describe(value)} {problem}"
        return None
    # bool is a subclass of int, but "ice_minutes = true" is a mistake, not 1 minute.
    if isinstance(value, bool) or not isinstance(value, int):
        return (
            f"{spec.key} must be a whole number (allowed {allowed_range(spec)}), "
            f"got {_describe(value)}"
        )
    assert spec.minimum is not None and spec.maximum is not None
    if not spec.minimum <= value <= spec.maximum:
        return (
            f"{spec.key} = {_describe(value)} is out of range: "
            f"allowed {allowed_range(spec)}{_range_reason(spec)}"
        )
    return None


def _migrate(data: Mapping[str, Any], from_version: int) -> Mapping[str, Any]:
    """Bring an older file layout up to :data:`SCHEMA_VERSION`.

    Version 1 is the first layout, so there is nothing to do yet; this is where a
    renamed or split key will be translated when version 2 arrives.
    """
    if from_version == SCHEMA_VERSION:
        return data
    raise SettingsError(  # pragma: no cover - unreachable until version 2 exists
        "schema_version", f"no migration from schema_version {from_version}"
    )


def _build(cls: Any, prefix: str, values: Mapping[str, Any]) -> Any:
    """Construct a (nested) settings dataclass from flat dotted values; missing keys default."""
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        key = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(hints[f.name]):
            kwargs[f.name] = _build(hints[f.name], key, values)
        elif key in values:
            kwargs[f.name] = values[key]
    return cls(**kwargs)


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Validate a nested (TOML-shaped) or flat dotted mapping and build Settings.

    Missing keys take their defaults so an old or minimal file keeps working.
    """
    if not isinstance(data, Mapping):
        raise SettingsError("", f"settings must be a table of keys, got {_describe(data)}")
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SettingsError(
            "schema_version", f"schema_version must be a whole number, got {_describe(version)}"
        )
    if version > SCHEMA_VERSION:
        raise SettingsError(
            "schema_version",
            f"schema_version = {_describe(version)} is newer than this NeckCare understands "
            f"(up to {SCHEMA_VERSION}); the file was probably written by a newer version",
        )
    if version < 1:
        raise SettingsError(
            "schema_version",
            f"schema_version = {_describe(version)} is invalid: versions start at 1",
        )
    data = _migrate(data, version)

    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}

    def walk(table: Mapping[Any, Any], prefix: str) -> None:
        for raw_key, value in table.items():
            if not prefix and raw_key == "schema_version":
                continue
            if not isinstance(raw_key, str):
                problems.append((prefix, f"unknown setting {raw_key!r} in {prefix or 'the file'}"))
                continue
            key = f"{prefix}.{raw_key}" if prefix else raw_key
            spec = _FIELDS_BY_KEY.get(key)
            if spec is not None:
                if key in values:
                    problems.append((key, f"{key} is set more than once"))
                    continue
                problem = _check(spec, value)
                if problem is None:
                    values[key] = value
                else:
                    problems.append((key, problem))
            elif key in _SECTIONS:
                if isinstance(value, Mapping):
                    walk(value, key)
                else:
                    problems.append(
                        (key, f"{key} must be a table ([{key}]), got {_describe(value)}")
                    )
            else:
                problems.append((key, f"unknown setting {key!r}"))

    walk(data, "")
    if problems:
        raise SettingsError(problems[0][0], [p for _, p in problems], [k for k, _ in problems])
    return _build(Settings, "", values)


def settings_to_dict(s: Settings) -> dict[str, Any]:
    """Nested dict in the on-disk layout, ``schema_version`` first."""
    return {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(s)}


def default_settings() -> Settings:
    return Settings()


def get_value(s: Settings, key: str) -> int | bool | str:
    """Read one setting by its public dotted name."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, f"unknown setting {key!r}")
    obj: Any = s
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def with_value(s: Settings, key: str, value: object) -> Settings:
    """A copy of ``s`` with one setting changed, validated exactly like the file is."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, f"unknown setting {key!r}")
    data = settings_to_dict(s)
    table = data
    *sections, name = key.split(".")
    for part in sections:
        table = table[part]
    table[name] = value
    return settings_from_dict(data)


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_settings` found; ``problems`` is empty when the file was fine."""

    settings: Settings
    problems: list[str] = field(default_factory=list)
    backup_path: Path | None = None


def _copy_aside(path: Path, content: bytes, now: datetime) -> Path:
    """Write ``content`` next to ``path`` under a fresh ``.bad-<timestamp>`` name.

    Exclusive creation means an earlier backup is never overwritten, even if two copies
    of NeckCare start in the same second.
    """
    base = f"{path.name}.bad-{now:%Y%m%d-%H%M%S}"
    for attempt in range(1, _MAX_BACKUP_ATTEMPTS + 1):
        candidate = path.with_name(base if attempt == 1 else f"{base}-{attempt}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        except OSError:
            candidate.unlink(missing_ok=True)
            raise
        return candidate
    raise FileExistsError(f"every backup name up to {base}-{_MAX_BACKUP_ATTEMPTS} is taken")


def load_settings(path: Path, now: datetime) -> LoadResult:
    """Read settings from ``path``; on any content problem run on defaults and say why."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        logger.info("No settings file at %s; using defaults", path)
        return LoadResult(default_settings(), [], None)
    except OSError as exc:
        logger.warning("Could not read settings file %s: %s", path, exc)
        return LoadResult(
            default_settings(),
            [
                f"Could not read {path}: {exc.strerror or exc}.",
                "NeckCare is running on default settings.",
            ],
            None,
        )

    problems: list[str] = []
    try:
        # utf-8-sig: editors such as Notepad add a byte-order mark that TOML rejects.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc positions are relative to the content after any byte-order mark.
        offset = len(content) - len(exc.object) + exc.start
        line = content.count(b"\n", 0, offset) + 1
        problems.append(
            f"{path} is not UTF-8 text (unexpected byte 0x{content[offset]:02x} on line "
            f"{line}); save it as UTF-8."
        )
    else:
        try:
            data = tomllib.loads(text)
        except (ValueError, RecursionError) as exc:
            problems.append(f"{path} is not valid TOML: {exc}.")
        else:
            try:
                return LoadResult(settings_from_dict(data), [], None)
            except SettingsError as exc:
                problems.extend(exc.problems)

    backup: Path | None = None
    try:
        backup = _copy_aside(path, content, now)
    except OSError as exc:
        logger.error("Could not copy bad settings file %s aside: %s", path, exc)
        problems.append(
            f"NeckCare is running on default settings; {path} was left as it is, "
            f"but a backup copy could not be made: {exc.strerror or exc}."
        )
    else:
        problems.append(
            f"NeckCare is running on default settings; {path} was left as it is "
            f"and a copy was saved as {backup}."
        )
    logger.warning("Settings file %s has problems: %s", path, "; ".join(problems))
    return LoadResult(default_settings(), problems, backup)


def save_settings(s: Settings, path: Path) -> None:
    """Write ``s`` to ``path`` atomically, readable only by the owner.

    A crash or full disk mid-write leaves the previous file intact, because the new
    content only replaces it once it is completely on disk. A symlinked settings file
    (dotfile managers) is written through rather than replaced by a plain file.
    """
    target = Path(os.path.realpath(path))
    parent = target.parent
    if not parent.exists():
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(parent, 0o700)  # mkdir's mode is filtered by the umask
    payload = (FILE_HEADER + tomli_w.dumps(settings_to_dict(s))).encode("utf-8")
    # mkstemp creates the file 0o600 on POSIX, so there is no moment it is world-readable.
    fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if os.name == "posix":
        try:
            dir_fd = os.open(parent, os.O_RDONLY)
        except OSError:  # pragma: no cover - directory fsync is best effort
            return
        try:
            os.fsync(dir_fd)
        except OSError:  # pragma: no cover
            pass
        finally:
            os.close(dir_fd)
    logger.info("Saved settings to %s", target)
