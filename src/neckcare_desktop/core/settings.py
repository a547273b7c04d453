"""The typed settings model and its validator (the file on disk: ``settings_file.py``).

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, get_type_hints

if TYPE_CHECKING:  # for type checkers: at run time ``__getattr__`` below provides them
    from neckcare_desktop.core.settings_file import (  # noqa: F401
        FILE_HEADER,
        LoadResult,
        SettingsFileRefused,
        load_settings,
        read_language,
        save_settings,
    )

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate
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


class SettingsError(ValueError):
    """One or more settings are invalid.

    All problems are collected rather than stopping at the first, so someone fixing a
    hand-edited file sees everything at once instead of playing whack-a-mole.
    ``key`` is the dotted name of the first offending setting ("" for the file as a
    whole); ``keys`` lists the key of every problem, in the same order as ``problems``.
    ``plain`` says the same for the person: a setting by its label in their language, not
    its key (the key stays in ``problems``, for the log and for someone editing the file).
    ``partial`` is what the file's good values give, defaults for the rest, when only
    single values were wrong (None when the file as a whole is unusable).
    """

    def __init__(
        self,
        key: str,
        problems: str | Sequence[str],
        keys: Sequence[str] | None = None,
        *,
        plain: Sequence[str] | None = None,
        partial: Settings | None = None,
    ) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.key = key
        self.keys: list[str] = list(keys) if keys is not None else [key] * len(self.problems)
        self.plain: list[str] = list(plain) if plain is not None else list(self.problems)
        self.partial = partial
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
    """Everything the validator and the dialog need to know about one setting.

    ``label``, ``unit`` and ``hint`` are English; :meth:`label_text`, :meth:`unit_text`
    and :meth:`hint_text` give them in the person's language (context "FieldSpec").
    """

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
    #: The hint as written for translation: ``{minimum}``/``{maximum}`` stand for the bounds.
    hint_source: str = ""
    #: The rule an out-of-range refusal names in brackets, e.g. "ice is capped at
    #: {maximum} minutes a round" (same placeholders as ``hint_source``).
    rule: str = ""

    def _bounds(self, text: str) -> str:
        return text.format(minimum=self.minimum, maximum=self.maximum)

    def label_text(self) -> str:
        return translate("FieldSpec", self.label) if self.label else ""

    def unit_text(self) -> str:
        return translate("FieldSpec", self.unit) if self.unit.isalpha() else self.unit

    def hint_text(self) -> str:
        source = self.hint_source or self.hint
        return self._bounds(translate("FieldSpec", source)) if source else ""

    def rule_text(self) -> str:
        return self._bounds(translate("FieldSpec", self.rule)) if self.rule else ""


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


def _int(
    key: str,
    minimum: int,
    maximum: int,
    label: str,
    unit: str,
    hint: str = "",
    *,
    rule: str = "",
) -> FieldSpec:
    """An integer setting. ``hint`` and ``rule`` may use ``{minimum}`` and ``{maximum}``."""
    return FieldSpec(
        key,
        int,
        _dataclass_default(key),
        minimum,
        maximum,
        label,
        unit,
        hint.format(minimum=minimum, maximum=maximum),
        hint_source=hint,
        rule=rule,
    )


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
        return translate("Settings", 'must name at least one day, e.g. "mon,tue,wed,thu,fri"')
    bad = [name for name in names if name not in WEEKDAYS]
    if bad:
        return translate(
            "Settings", "has unknown day {day}: use {days} separated by commas"
        ).format(day=repr(bad[0]), days=", ".join(WEEKDAYS))
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
    return translate("Settings", "must be a time of day as HH:MM, from 00:00 to 23:59")


#: Retired values of ``app.language`` and what they mean now. "de" was offered before any
#: translation shipped; a file that still says so must not be refused as a whole (that
#: would put every other setting back to its default), so it reads as "auto".
RETIRED_LANGUAGES: dict[str, str] = {"de": "auto"}


FIELDS: tuple[FieldSpec, ...] = (
    _bool("breaks.micro.enabled", QT_TRANSLATE_NOOP("FieldSpec", "Remind me to take micro-breaks")),
    _int(
        "breaks.micro.interval_minutes",
        5,
        120,
        QT_TRANSLATE_NOOP("FieldSpec", "Micro-break every"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
    ),
    _int(
        "breaks.micro.duration_seconds",
        10,
        300,
        QT_TRANSLATE_NOOP("FieldSpec", "Micro-break length"),
        QT_TRANSLATE_NOOP("FieldSpec", "s"),
    ),
    _bool(
        "breaks.posture.enabled", QT_TRANSLATE_NOOP("FieldSpec", "Remind me to take posture breaks")
    ),
    _int(
        "breaks.posture.interval_minutes",
        15,
        240,
        QT_TRANSLATE_NOOP("FieldSpec", "Posture break every"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
    ),
    _int(
        "breaks.posture.duration_minutes",
        1,
        30,
        QT_TRANSLATE_NOOP("FieldSpec", "Posture break length"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
    ),
    _int(
        "breaks.postpone_minutes",
        1,
        30,
        QT_TRANSLATE_NOOP("FieldSpec", "Postpone a break by"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
    ),
    _int(
        "breaks.max_postpones",
        0,
        10,
        QT_TRANSLATE_NOOP("FieldSpec", "Postpones in a row, at most"),
        "",
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "After this many postpones the break window offers only Start break and Skip.",
        ),
        rule=QT_TRANSLATE_NOOP(
            "FieldSpec",
            "after this many postpones the break window offers only Start break and Skip",
        ),
    ),
    _bool("breaks.strict", QT_TRANSLATE_NOOP("FieldSpec", "Strict mode: no Postpone and no Skip")),
    _int(
        "breaks.warning_seconds",
        0,
        300,
        QT_TRANSLATE_NOOP("FieldSpec", "Warn before a posture break"),
        QT_TRANSLATE_NOOP("FieldSpec", "s"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "A notification this long before a posture break; 0 turns the warning off."
        ),
        rule=QT_TRANSLATE_NOOP(
            "FieldSpec", "a notification this long before a posture break; 0 turns the warning off"
        ),
    ),
    _bool(
        "breaks.natural_breaks",
        QT_TRANSLATE_NOOP("FieldSpec", "Count time away from the computer as a break"),
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "When you are away for as long as a break lasts, that break counts as taken.",
        ),
    ),
    _bool(
        "breaks.respect_fullscreen",
        QT_TRANSLATE_NOOP("FieldSpec", "Hold breaks during fullscreen apps and do-not-disturb"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "A due break waits (up to 30 minutes) while you present, watch or call."
        ),
    ),
    _bool(
        "breaks.all_screens",
        QT_TRANSLATE_NOOP("FieldSpec", "Show the break window on every screen"),
    ),
    _bool(
        "working_hours.enabled",
        QT_TRANSLATE_NOOP("FieldSpec", "Remind me only during working hours"),
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "Off: reminders run every day, at any hour. Ice and heat timers always work.",
        ),
    ),
    _str(
        "working_hours.days",
        QT_TRANSLATE_NOOP("FieldSpec", "Working days"),
        check=_check_days,
        hint=QT_TRANSLATE_NOOP(
            "FieldSpec", "Days separated by commas: mon,tue,wed,thu,fri,sat,sun"
        ),
    ),
    _str(
        "working_hours.start",
        QT_TRANSLATE_NOOP("FieldSpec", "Working hours start"),
        check=_check_hhmm,
        hint=QT_TRANSLATE_NOOP("FieldSpec", "HH:MM"),
    ),
    _str(
        "working_hours.end",
        QT_TRANSLATE_NOOP("FieldSpec", "Working hours end"),
        check=_check_hhmm,
        hint=QT_TRANSLATE_NOOP("FieldSpec", "HH:MM; an end before the start runs past midnight"),
    ),
    _bool("hydration.enabled", QT_TRANSLATE_NOOP("FieldSpec", "Remind me to drink water")),
    _int(
        "hydration.interval_minutes",
        15,
        240,
        QT_TRANSLATE_NOOP("FieldSpec", "Drink water every"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
    ),
    _int(
        "therapy.ice_minutes",
        ICE_MIN_MINUTES,
        ICE_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Ice round length"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Ice is capped at {maximum} minutes a round to protect the skin."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "ice is capped at {maximum} minutes a round"),
    ),
    _int(
        "therapy.heat_minutes",
        HEAT_MIN_MINUTES,
        HEAT_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Heat session length"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Heat is capped at {maximum} minutes so nobody falls asleep on a pad."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "heat is capped at {maximum} minutes"),
    ),
    _int(
        "therapy.ice_rest_minutes",
        ICE_REST_MIN_MINUTES,
        ICE_REST_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Rest between ice rounds"),
        QT_TRANSLATE_NOOP("FieldSpec", "min"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Skin needs at least {minimum} minutes to warm back up between rounds."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "skin needs at least {minimum} minutes"),
    ),
    _bool("notifications.sound", QT_TRANSLATE_NOOP("FieldSpec", "Play a sound with reminders")),
    _int("notifications.volume", 0, 100, QT_TRANSLATE_NOOP("FieldSpec", "Volume"), "%"),
    _bool(
        "guidance.see_someone",
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Suggest seeing a healthcare professional when spasms keep coming back"
        ),
    ),
    _str(
        "app.language",
        QT_TRANSLATE_NOOP("FieldSpec", "Language"),
        choices=("auto", "en", "es"),
        hint=QT_TRANSLATE_NOOP(
            "FieldSpec", "A new language is used from the next start of NeckCare."
        ),
    ),
    _bool(
        "app.autostart_asked",
        QT_TRANSLATE_NOOP("FieldSpec", "Asked about starting at login"),
        internal=True,
    ),
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
            return translate("Settings", "a number with thousands of digits")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, Mapping):
        return translate("Settings", "a table")
    if isinstance(value, list | tuple):
        return translate("Settings", "a list")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return translate("Settings", "nothing")
    return translate("Settings", "a {type}").format(type=type(value).__name__)


def _range_reason(spec: FieldSpec) -> str:
    """The field's rule as a parenthetical, so the refusal says *why*.

    E.g. " (ice is capped at 20 minutes a round)": the rule of the hint without its
    rationale, written out in ``FieldSpec.rule`` so that it can be translated.
    """
    rule = spec.rule_text()
    return f" ({rule})" if rule else ""


def allowed_range(spec: FieldSpec) -> str:
    """Human text of an int field's bounds, e.g. ``1–20``."""
    return f"{spec.minimum}–{spec.maximum}"


def _check(spec: FieldSpec, value: object) -> str | None:
    """Return a problem message for ``value`` or None if it is acceptable."""
    if spec.kind is bool:
        if isinstance(value, bool):
            return None
        return translate("Settings", "{key} must be true or false, got {value}").format(
            key=spec.key, value=_describe(value)
        )
    if spec.kind is str:
        if not isinstance(value, str):
            return translate("Settings", "{key} must be text in quotes, got {value}").format(
                key=spec.key, value=_describe(value)
            )
        if spec.choices and value not in spec.choices:
            return translate(
                "Settings", "{key} = {value} is not allowed: use one of {choices}"
            ).format(key=spec.key, value=_describe(value), choices=", ".join(spec.choices))
        if spec.check is not None:
            problem = spec.check(value)
            if problem is not None:
                return translate("Settings", "{key} = {value} {problem}").format(
                    key=spec.key, value=_describe(value), problem=problem
                )
        return None
    # bool is a subclass of int, but "ice_minutes = true" is a mistake, not 1 minute.
    if isinstance(value, bool) or not isinstance(value, int):
        return translate(
            "Settings", "{key} must be a whole number (allowed {range}), got {value}"
        ).format(key=spec.key, range=allowed_range(spec), value=_describe(value))
    assert spec.minimum is not None and spec.maximum is not None
    if not spec.minimum <= value <= spec.maximum:
        return translate(
            "Settings", "{key} = {value} is out of range: allowed {range}{reason}"
        ).format(
            key=spec.key,
            value=_describe(value),
            range=allowed_range(spec),
            reason=_range_reason(spec),
        )
    return None


def _plain_check(spec: FieldSpec, value: object) -> str:
    """The problem :func:`_check` found, for the person: the setting by the label the
    Settings dialog gives it, the value found and what is allowed."""
    label = spec.label_text() or spec.key
    found = _describe(value)
    if spec.kind is bool:
        return translate("Settings", "{label}: {value} is not allowed; use true or false.").format(
            label=label, value=found
        )
    if spec.kind is str:
        if not isinstance(value, str):
            text = translate("Settings", "{label}: {value} is not allowed; use text in quotes.")
            return text.format(label=label, value=found)
        if spec.choices and value not in spec.choices:
            return translate(
                "Settings", "{label}: {value} is not allowed; use one of {choices}."
            ).format(label=label, value=found, choices=", ".join(spec.choices))
        problem = spec.check(value) if spec.check is not None else None
        return translate("Settings", "{label}: {value} {problem}.").format(
            label=label, value=found, problem=problem or ""
        )
    unit = spec.unit_text()
    allowed = allowed_range(spec) + (f" {unit}" if unit else "")
    if isinstance(value, bool) or not isinstance(value, int):
        return translate(
            "Settings", "{label}: {value} is not allowed; use a whole number, {range}."
        ).format(label=label, value=found, range=allowed)
    return translate("Settings", "{label}: {value} is not allowed; use {range}{reason}.").format(
        label=label, value=found, range=allowed, reason=_range_reason(spec)
    )


def plain_problem(key: str, value: object) -> str | None:
    """What is wrong with ``value`` for the setting ``key``, in the person's words (its
    label, the value, what is allowed), or None when it is allowed."""
    spec = _FIELDS_BY_KEY[key]
    return None if _check(spec, value) is None else _plain_check(spec, value)


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
        raise SettingsError(
            "",
            translate("Settings", "settings must be a table of keys, got {value}").format(
                value=_describe(data)
            ),
        )
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SettingsError(
            "schema_version",
            translate("Settings", "schema_version must be a whole number, got {value}").format(
                value=_describe(version)
            ),
        )
    if version > SCHEMA_VERSION:
        raise SettingsError(
            "schema_version",
            translate(
                "Settings",
                "schema_version = {value} is newer than this NeckCare understands "
                "(up to {supported}); the file was probably written by a newer version",
            ).format(value=_describe(version), supported=SCHEMA_VERSION),
        )
    if version < 1:
        raise SettingsError(
            "schema_version",
            translate(
                "Settings", "schema_version = {value} is invalid: versions start at 1"
            ).format(value=_describe(version)),
        )
    data = _migrate(data, version)
    data = _retire_values(data)

    problems: list[tuple[str, str]] = []
    plain: dict[int, str] = {}  # problem index -> in the person's words, where it differs
    values: dict[str, Any] = {}

    def walk(table: Mapping[Any, Any], prefix: str) -> None:
        for raw_key, value in table.items():
            if not prefix and raw_key == "schema_version":
                continue
            if not isinstance(raw_key, str):
                problems.append(
                    (
                        prefix,
                        (
                            translate("Settings", "unknown setting {key} in {section}")
                            if prefix
                            else translate("Settings", "unknown setting {key} in the file")
                        ).format(key=repr(raw_key), section=prefix),
                    )
                )
                continue
            key = f"{prefix}.{raw_key}" if prefix else raw_key
            spec = _FIELDS_BY_KEY.get(key)
            if spec is not None:
                if key in values:
                    problems.append(
                        (key, translate("Settings", "{key} is set more than once").format(key=key))
                    )
                    continue
                problem = _check(spec, value)
                if problem is None:
                    values[key] = value
                else:
                    plain[len(problems)] = _plain_check(spec, value)
                    problems.append((key, problem))
            elif key in _SECTIONS:
                if isinstance(value, Mapping):
                    walk(value, key)
                else:
                    problems.append(
                        (
                            key,
                            translate(
                                "Settings", "{key} must be a table ([{key}]), got {value}"
                            ).format(key=key, value=_describe(value)),
                        )
                    )
            else:
                problems.append((key, _unknown_setting(key)))

    walk(data, "")
    if problems:
        # Every value kept in ``values`` was checked: the good ones stay, the rest default.
        raise SettingsError(
            problems[0][0],
            [p for _, p in problems],
            [k for k, _ in problems],
            plain=[plain.get(i, p) for i, (_, p) in enumerate(problems)],
            partial=_build(Settings, "", values),
        )
    return _build(Settings, "", values)


def _unknown_setting(key: str) -> str:
    return translate("Settings", "unknown setting {key}").format(key=repr(key))


def _retire_values(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Read values an older NeckCare offered, and that mean something else now, as their
    current meaning (see :data:`RETIRED_LANGUAGES`) instead of refusing the whole file."""
    app = data.get("app")
    language = app.get("language") if isinstance(app, Mapping) else data.get("app.language")
    if not isinstance(language, str) or language not in RETIRED_LANGUAGES:
        return data
    replacement = RETIRED_LANGUAGES[language]
    logger.info("app.language = %r is no longer offered; using %r", language, replacement)
    if isinstance(app, Mapping):
        return {**data, "app": {**app, "language": replacement}}
    return {**data, "app.language": replacement}


def settings_to_dict(s: Settings) -> dict[str, Any]:
    """Nested dict in the on-disk layout, ``schema_version`` first."""
    return {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(s)}


def default_settings() -> Settings:
    return Settings()


def get_value(s: Settings, key: str) -> int | bool | str:
    """Read one setting by its public dotted name."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, _unknown_setting(key))
    obj: Any = s
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def with_value(s: Settings, key: str, value: object) -> Settings:
    """A copy of ``s`` with one setting changed, validated exactly like the file is."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, _unknown_setting(key))
    data = settings_to_dict(s)
    table = data
    *sections, name = key.split(".")
    for part in sections:
        table = table[part]
    table[name] = value
    return settings_from_dict(data)


#: The file on disk lives in :mod:`neckcare_desktop.core.settings_file`; these names are
#: importable from here too, as they always were. Loaded on first use: the model must not
#: import the file module at import time (that one imports the model: a cycle).
_FILE_NAMES = frozenset(
    {
        "FILE_HEADER",
        "LoadResult",
        "SettingsFileRefused",
        "load_settings",
        "read_language",
        "save_settings",
    }
)


def __getattr__(name: str) -> Any:
    if name in _FILE_NAMES:
        from neckcare_desktop.core import settings_file

        return getattr(settings_file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
