"""The typed settings model (validation: ``settings_validation.py``; the file on disk:
``settings_file.py``; what a field is: ``settings_fields.py``).

Settings are frozen dataclasses so a half-applied change can never be observed: code
either holds the old object or a fully validated new one. Every setting is declared
once, as a dataclass field with its default, bounds and label in the field's metadata;
:data:`FIELDS` is derived from the dataclasses, and the validator, the dataclasses' own
checks, the settings file and the Settings dialog all read it, so a safety cap such as
the ice limit cannot drift between them.

A broken settings file must never stop NeckCare from reminding someone to take a break,
so :func:`load_settings` never raises for bad content: it falls back to defaults, keeps a
copy of the bad file for the person to fix, and reports exactly what was wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_type_hints

if TYPE_CHECKING:  # for type checkers: at run time ``__getattr__`` below provides them
    from neckcare_desktop.core.settings_file import (  # noqa: F401
        FILE_HEADER,
        LoadResult,
        SettingsFileRefused,
        load_settings,
        read_language,
        save_settings,
    )

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP
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
from neckcare_desktop.core.settings_fields import (
    WEEKDAYS,
    FieldSpec,
    bool_setting,
    check_days,
    check_hhmm,
    derive_fields,
    int_setting,
    parse_days,
    parse_hhmm,
    section_prefixes,
    str_setting,
)
from neckcare_desktop.core.settings_validation import (
    RETIRED_LANGUAGES,
    SCHEMA_VERSION,
    SettingsError,
    allowed_range,
    check_table,
    check_value,
    plain_check,
    unknown_setting,
)

__all__ = [
    "FIELDS",
    "RETIRED_LANGUAGES",
    "SCHEMA_VERSION",
    "WEEKDAYS",
    "AppSettings",
    "BreakSettings",
    "FieldSpec",
    "GuidanceSettings",
    "HydrationSettings",
    "MicroBreakSettings",
    "NotificationSettings",
    "PostureBreakSettings",
    "Settings",
    "SettingsError",
    "TherapySettings",
    "WorkingHoursSettings",
    "allowed_range",
    "default_settings",
    "get_value",
    "parse_days",
    "parse_hhmm",
    "plain_problem",
    "settings_from_dict",
    "settings_to_dict",
    "with_value",
]

MIN = QT_TRANSLATE_NOOP("FieldSpec", "min")
SECONDS = QT_TRANSLATE_NOOP("FieldSpec", "s")


class _Validated:
    """Mixin: a section checks its own fields against :data:`FIELDS` on construction.

    This makes it impossible to build, say, a 25-minute ice round by calling the
    dataclass directly and skipping :func:`settings_from_dict`.
    """

    def __post_init__(self) -> None:
        prefix = _PREFIXES[type(self)]
        problems: list[tuple[str, str]] = []
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            key = f"{prefix}.{f.name}"
            spec = _FIELDS_BY_KEY.get(key)
            if spec is not None:
                problem = check_value(spec, getattr(self, f.name))
                if problem is not None:
                    problems.append((key, problem))
        if problems:
            raise SettingsError(problems[0][0], [p for _, p in problems], [k for k, _ in problems])


# Field order is the order of the Settings dialog's rows and of FIELDS.


@dataclass(frozen=True)
class MicroBreakSettings(_Validated):
    """Short look-away breaks for the eyes and neck."""

    enabled: bool = bool_setting(
        True, QT_TRANSLATE_NOOP("FieldSpec", "Remind me to take micro-breaks")
    )
    interval_minutes: int = int_setting(
        20, 5, 120, QT_TRANSLATE_NOOP("FieldSpec", "Micro-break every"), MIN
    )
    duration_seconds: int = int_setting(
        20, 10, 300, QT_TRANSLATE_NOOP("FieldSpec", "Micro-break length"), SECONDS
    )


@dataclass(frozen=True)
class PostureBreakSettings(_Validated):
    """Longer stand-up-and-move breaks."""

    enabled: bool = bool_setting(
        True, QT_TRANSLATE_NOOP("FieldSpec", "Remind me to take posture breaks")
    )
    interval_minutes: int = int_setting(
        50, 15, 240, QT_TRANSLATE_NOOP("FieldSpec", "Posture break every"), MIN
    )
    duration_minutes: int = int_setting(
        5, 1, 30, QT_TRANSLATE_NOOP("FieldSpec", "Posture break length"), MIN
    )


@dataclass(frozen=True)
class BreakSettings(_Validated):
    micro: MicroBreakSettings = field(default_factory=MicroBreakSettings)
    posture: PostureBreakSettings = field(default_factory=PostureBreakSettings)
    postpone_minutes: int = int_setting(
        5, 1, 30, QT_TRANSLATE_NOOP("FieldSpec", "Postpone a break by"), MIN
    )
    max_postpones: int = int_setting(
        3,
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
    )
    strict: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Strict mode: no Postpone and no Skip")
    )
    warning_seconds: int = int_setting(
        30,
        0,
        300,
        QT_TRANSLATE_NOOP("FieldSpec", "Warn before a posture break"),
        SECONDS,
        QT_TRANSLATE_NOOP(
            "FieldSpec", "A notification this long before a posture break; 0 turns the warning off."
        ),
        rule=QT_TRANSLATE_NOOP(
            "FieldSpec", "a notification this long before a posture break; 0 turns the warning off"
        ),
    )
    natural_breaks: bool = bool_setting(
        True,
        QT_TRANSLATE_NOOP("FieldSpec", "Count time away from the computer as a break"),
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "When you are away for as long as a break lasts, that break counts as taken.",
        ),
    )
    respect_fullscreen: bool = bool_setting(
        True,
        QT_TRANSLATE_NOOP("FieldSpec", "Hold breaks during fullscreen apps and do-not-disturb"),
        QT_TRANSLATE_NOOP(
            "FieldSpec", "A due break waits (up to 30 minutes) while you present, watch or call."
        ),
    )
    all_screens: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Show the break window on every screen")
    )
    respect_calls: bool = bool_setting(
        True,
        QT_TRANSLATE_NOOP("FieldSpec", "Hold breaks during calls"),
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "While another program uses the microphone or camera, a due break waits and "
            "comes when the call ends. Only whether they are in use is read, never sound "
            "or images.",
        ),
    )
    wait_for_pause_seconds: int = int_setting(
        5,
        0,
        30,
        QT_TRANSLATE_NOOP("FieldSpec", "Start a break at a pause in typing of"),
        SECONDS,
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "A due break waits until you stop typing or moving the mouse this long, "
            "one minute at most; 0 starts it at once.",
        ),
        rule=QT_TRANSLATE_NOOP(
            "FieldSpec",
            "a due break waits until you stop typing or moving the mouse this long, "
            "one minute at most; 0 starts it at once",
        ),
    )


@dataclass(frozen=True)
class WorkingHoursSettings(_Validated):
    """When break reminders run. Off means every day, at any hour: the person chooses."""

    enabled: bool = bool_setting(
        False,
        QT_TRANSLATE_NOOP("FieldSpec", "Remind me only during working hours"),
        QT_TRANSLATE_NOOP(
            "FieldSpec",
            "Off: reminders run every day, at any hour. Ice and heat timers always work.",
        ),
    )
    days: str = str_setting(
        "mon,tue,wed,thu,fri",
        QT_TRANSLATE_NOOP("FieldSpec", "Working days"),
        check=check_days,
        hint=QT_TRANSLATE_NOOP(
            "FieldSpec", "Days separated by commas: mon,tue,wed,thu,fri,sat,sun"
        ),
    )
    start: str = str_setting(
        "09:00",
        QT_TRANSLATE_NOOP("FieldSpec", "Working hours start"),
        check=check_hhmm,
        hint=QT_TRANSLATE_NOOP("FieldSpec", "HH:MM"),
    )
    end: str = str_setting(
        "17:30",
        QT_TRANSLATE_NOOP("FieldSpec", "Working hours end"),
        check=check_hhmm,
        hint=QT_TRANSLATE_NOOP("FieldSpec", "HH:MM; an end before the start runs past midnight"),
    )


@dataclass(frozen=True)
class HydrationSettings(_Validated):
    enabled: bool = bool_setting(True, QT_TRANSLATE_NOOP("FieldSpec", "Remind me to drink water"))
    interval_minutes: int = int_setting(
        60, 15, 240, QT_TRANSLATE_NOOP("FieldSpec", "Drink water every"), MIN
    )


_BOTH_CARE = QT_TRANSLATE_NOOP(
    "FieldSpec", "Ice and heat rounds of at most 10 minutes, with a skin check halfway."
)
_ICE_CARE = QT_TRANSLATE_NOOP(
    "FieldSpec", "Ice rounds of at most 10 minutes, with a skin check halfway."
)
_HEAT_CARE = QT_TRANSLATE_NOOP(
    "FieldSpec", "Heat rounds of at most 10 minutes, with a skin check halfway."
)


@dataclass(frozen=True)
class TherapySettings(_Validated):
    ice_minutes: int = int_setting(
        ICE_DEFAULT_MINUTES,
        ICE_MIN_MINUTES,
        ICE_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Ice round length"),
        MIN,
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Ice is capped at {maximum} minutes a round to protect the skin."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "ice is capped at {maximum} minutes a round"),
    )
    heat_minutes: int = int_setting(
        HEAT_DEFAULT_MINUTES,
        HEAT_MIN_MINUTES,
        HEAT_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Heat session length"),
        MIN,
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Heat is capped at {maximum} minutes so nobody falls asleep on a pad."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "heat is capped at {maximum} minutes"),
    )
    ice_rest_minutes: int = int_setting(
        ICE_REST_DEFAULT_MINUTES,
        ICE_REST_MIN_MINUTES,
        ICE_REST_MAX_MINUTES,
        QT_TRANSLATE_NOOP("FieldSpec", "Rest between ice rounds"),
        MIN,
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Skin needs at least {minimum} minutes to warm back up between rounds."
        ),
        rule=QT_TRANSLATE_NOOP("FieldSpec", "skin needs at least {minimum} minutes"),
    )
    # The safety profile: any "yes" means extra care (core.therapy.ice_extra_care and
    # heat_extra_care): rounds of at most 10 minutes and a skin check halfway.
    reduced_skin_feeling: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Reduced feeling in my skin"), _BOTH_CARE
    )
    circulation_problems: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Circulation problems"), _BOTH_CARE
    )
    cold_sensitivity: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Sensitive to cold"), _ICE_CARE
    )
    diabetes_or_neuropathy: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Diabetes or nerve damage (neuropathy)"), _HEAT_CARE
    )
    #: The first-use check (the four questions above) has been answered.
    safety_asked: bool = bool_setting(
        False,
        QT_TRANSLATE_NOOP("FieldSpec", "The ice and heat safety questions were answered"),
        internal=True,
    )


@dataclass(frozen=True)
class NotificationSettings(_Validated):
    sound: bool = bool_setting(True, QT_TRANSLATE_NOOP("FieldSpec", "Play a sound with reminders"))
    volume: int = int_setting(80, 0, 100, QT_TRANSLATE_NOOP("FieldSpec", "Volume"), "%")


@dataclass(frozen=True)
class GuidanceSettings(_Validated):
    see_someone: bool = bool_setting(
        True,
        QT_TRANSLATE_NOOP(
            "FieldSpec", "Suggest seeing a healthcare professional when spasms keep coming back"
        ),
    )


@dataclass(frozen=True)
class AppSettings(_Validated):
    language: str = str_setting(
        "auto",
        QT_TRANSLATE_NOOP("FieldSpec", "Language"),
        choices=("auto", "en", "es"),
        hint=QT_TRANSLATE_NOOP(
            "FieldSpec", "A new language is used from the next start of NeckCare."
        ),
    )
    autostart_asked: bool = bool_setting(
        False, QT_TRANSLATE_NOOP("FieldSpec", "Asked about starting at login"), internal=True
    )


@dataclass(frozen=True)
class Settings:
    breaks: BreakSettings = field(default_factory=BreakSettings)
    working_hours: WorkingHoursSettings = field(default_factory=WorkingHoursSettings)
    hydration: HydrationSettings = field(default_factory=HydrationSettings)
    therapy: TherapySettings = field(default_factory=TherapySettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    guidance: GuidanceSettings = field(default_factory=GuidanceSettings)
    app: AppSettings = field(default_factory=AppSettings)


#: Every setting, derived from the dataclasses above (their field metadata).
FIELDS: tuple[FieldSpec, ...] = derive_fields(Settings)

_FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}
_PREFIXES: dict[type, str] = section_prefixes(Settings)

#: Every table that may appear in the file ("breaks", "breaks.micro", ...).
_SECTIONS: frozenset[str] = frozenset(
    ".".join(spec.key.split(".")[:n]) for spec in FIELDS for n in range(1, spec.key.count(".") + 1)
)


def plain_problem(key: str, value: object) -> str | None:
    """What is wrong with ``value`` for the setting ``key``, in the person's words (its
    label, the value, what is allowed), or None when it is allowed."""
    spec = _FIELDS_BY_KEY[key]
    return None if check_value(spec, value) is None else plain_check(spec, value)


def _build(cls: type[Any], prefix: str, values: Mapping[str, Any]) -> Any:
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
    checked = check_table(data, _FIELDS_BY_KEY, _SECTIONS)
    settings: Settings = _build(Settings, "", checked.values)
    if checked.problems:
        # Every value kept was checked: the good ones stay, the rest default.
        problems = checked.problems
        raise SettingsError(
            problems[0][0],
            [p for _, p in problems],
            [k for k, _ in problems],
            plain=[checked.plain.get(i, p) for i, (_, p) in enumerate(problems)],
            partial=settings,
        )
    return settings


def settings_to_dict(s: Settings) -> dict[str, Any]:
    """Nested dict in the on-disk layout, ``schema_version`` first."""
    return {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(s)}


def default_settings() -> Settings:
    return Settings()


def get_value(s: Settings, key: str) -> int | bool | str:
    """Read one setting by its public dotted name."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, unknown_setting(key))
    obj: Any = s
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def with_value(s: Settings, key: str, value: object) -> Settings:
    """A copy of ``s`` with one setting changed, validated exactly like the file is."""
    if key not in _FIELDS_BY_KEY:
        raise SettingsError(key, unknown_setting(key))
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
