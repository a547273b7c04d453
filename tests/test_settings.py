"""The settings model: defaults, the field table and validation messages.

The file on disk (reading, backups, saving) is tested in ``test_settings_file.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neckcare_desktop.core.limits import (
    HEAT_DEFAULT_MINUTES,
    ICE_DEFAULT_MINUTES,
    ICE_MAX_MINUTES,
    ICE_MIN_MINUTES,
    ICE_REST_DEFAULT_MINUTES,
)
from neckcare_desktop.core.settings import (
    FIELDS,
    SCHEMA_VERSION,
    Settings,
    SettingsError,
    TherapySettings,
    default_settings,
    get_value,
    settings_from_dict,
    settings_to_dict,
    with_value,
)
from neckcare_desktop.core.settings_fields import derive_fields, int_setting

KNOWN_KEYS = [spec.key for spec in FIELDS]


# --- defaults and the field table -------------------------------------------------------


def test_defaults_match_the_documented_values() -> None:
    assert settings_to_dict(default_settings()) == {
        "schema_version": 1,
        "breaks": {
            "postpone_minutes": 5,
            "max_postpones": 3,
            "strict": False,
            "warning_seconds": 30,
            "natural_breaks": True,
            "respect_fullscreen": True,
            "all_screens": False,
            "respect_calls": True,
            "wait_for_pause_seconds": 5,
            "micro": {"enabled": True, "interval_minutes": 20, "duration_seconds": 20},
            "posture": {"enabled": True, "interval_minutes": 50, "duration_minutes": 5},
        },
        # Off by default: every day, always on, until the person chooses hours.
        "working_hours": {
            "enabled": False,
            "days": "mon,tue,wed,thu,fri",
            "start": "09:00",
            "end": "17:30",
        },
        "hydration": {"enabled": True, "interval_minutes": 60},
        "therapy": {
            "ice_minutes": ICE_DEFAULT_MINUTES,
            "heat_minutes": HEAT_DEFAULT_MINUTES,
            "ice_rest_minutes": ICE_REST_DEFAULT_MINUTES,
            # The safety profile: no extra care until the person says so.
            "reduced_skin_feeling": False,
            "circulation_problems": False,
            "cold_sensitivity": False,
            "diabetes_or_neuropathy": False,
            "safety_asked": False,
        },
        "notifications": {"sound": True, "volume": 80},
        "guidance": {"see_someone": True},
        "app": {"language": "auto", "autostart_asked": False},
    }


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("working_hours.days", "mon,funday", "unknown day 'funday'"),
        ("working_hours.days", "", "at least one day"),
        ("working_hours.start", "25:00", "HH:MM"),
        ("working_hours.end", "9", "HH:MM"),
        ("working_hours.start", 9, "text in quotes"),
        ("app.language", "fr", "use one of auto, en, es"),
    ],
)
def test_text_settings_name_the_key_and_what_is_allowed(key, value, expected) -> None:
    with pytest.raises(SettingsError) as info:
        with_value(default_settings(), key, value)
    assert key in str(info.value)
    assert expected in str(info.value)


def test_working_hours_helpers() -> None:
    from neckcare_desktop.core.settings import parse_days, parse_hhmm

    assert parse_days("mon, wed,SUN") == frozenset({0, 2, 6})
    assert parse_hhmm("7:05") == dt.time(7, 5)


def test_field_table_covers_every_setting_with_its_default() -> None:
    defaults = default_settings()
    flat_keys = set()

    def collect(obj: Any, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            key = f"{prefix}.{f.name}" if prefix else f.name
            if dataclasses.is_dataclass(value):
                collect(value, key)
            else:
                flat_keys.add(key)

    collect(defaults, "")
    assert flat_keys == set(KNOWN_KEYS)
    for spec in FIELDS:
        assert get_value(defaults, spec.key) == spec.default
        if spec.kind is int:
            assert spec.minimum <= spec.default <= spec.maximum
        assert spec.label


def test_the_field_table_keeps_the_order_the_settings_dialog_shows() -> None:
    """FIELDS is derived from the dataclasses: their declaration order is the dialog's."""
    assert KNOWN_KEYS == [
        "breaks.micro.enabled",
        "breaks.micro.interval_minutes",
        "breaks.micro.duration_seconds",
        "breaks.posture.enabled",
        "breaks.posture.interval_minutes",
        "breaks.posture.duration_minutes",
        "breaks.postpone_minutes",
        "breaks.max_postpones",
        "breaks.strict",
        "breaks.warning_seconds",
        "breaks.natural_breaks",
        "breaks.respect_fullscreen",
        "breaks.all_screens",
        "breaks.respect_calls",
        "breaks.wait_for_pause_seconds",
        "working_hours.enabled",
        "working_hours.days",
        "working_hours.start",
        "working_hours.end",
        "hydration.enabled",
        "hydration.interval_minutes",
        "therapy.ice_minutes",
        "therapy.heat_minutes",
        "therapy.ice_rest_minutes",
        "therapy.reduced_skin_feeling",
        "therapy.circulation_problems",
        "therapy.cold_sensitivity",
        "therapy.diabetes_or_neuropathy",
        "therapy.safety_asked",
        "notifications.sound",
        "notifications.volume",
        "guidance.see_someone",
        "app.language",
        "app.autostart_asked",
    ]


@dataclasses.dataclass(frozen=True)
class _Section:
    minutes: int = int_setting(7, 1, 9, "Minutes", "min", "At most {maximum}.")


@dataclasses.dataclass(frozen=True)
class _Root:
    part: _Section = dataclasses.field(default_factory=_Section)


@dataclasses.dataclass(frozen=True)
class _Undeclared:
    minutes: int = 7


def test_a_setting_is_declared_once_beside_its_field() -> None:
    (spec,) = derive_fields(_Root)
    assert (spec.key, spec.default, spec.minimum, spec.maximum) == ("part.minutes", 7, 1, 9)
    assert spec.hint == "At most 9."
    with pytest.raises(TypeError, match=r"_Undeclared\.minutes .* bounds and label"):
        derive_fields(_Undeclared)


def test_ice_field_uses_the_safety_cap_and_explains_it() -> None:
    ice = next(spec for spec in FIELDS if spec.key == "therapy.ice_minutes")
    assert (ice.minimum, ice.maximum) == (ICE_MIN_MINUTES, ICE_MAX_MINUTES)
    assert str(ICE_MAX_MINUTES) in ice.hint


# --- validation messages -------------------------------------------------------------


def test_out_of_range_ice_names_key_value_and_range() -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_dict({"therapy": {"ice_minutes": 25}})
    assert info.value.key == "therapy.ice_minutes"
    message = str(info.value)
    assert "therapy.ice_minutes" in message
    assert "25" in message
    assert f"{ICE_MIN_MINUTES}–{ICE_MAX_MINUTES}" in message
    assert "capped" in message


def test_unknown_key_is_named() -> None:
    with pytest.raises(SettingsError, match=r"unknown setting 'breaks\.micro\.lenght'"):
        settings_from_dict({"breaks": {"micro": {"lenght": 3}}})


def test_bool_for_bool_field_must_be_a_real_bool() -> None:
    with pytest.raises(
        SettingsError, match=r'breaks\.micro\.enabled must be true or false, got "yes"'
    ):
        settings_from_dict({"breaks": {"micro": {"enabled": "yes"}}})


@pytest.mark.parametrize("bad", [True, 15.0, "15"])
def test_int_field_rejects_bool_float_and_string(bad: object) -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_dict({"therapy": {"heat_minutes": bad}})
    assert info.value.key == "therapy.heat_minutes"
    assert "whole number" in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_dict(
            {"therapy": {"ice_minutes": 25, "heat_minutes": 0}, "notifications": {"sound": 1}}
        )
    assert len(info.value.problems) == 3
    assert info.value.keys == [
        "therapy.ice_minutes",
        "therapy.heat_minutes",
        "notifications.sound",
    ]
    assert str(info.value).count("\n") == 2


def test_section_that_is_not_a_table_is_reported() -> None:
    with pytest.raises(SettingsError, match=r"therapy must be a table"):
        settings_from_dict({"therapy": 5})


def test_missing_keys_take_defaults() -> None:
    s = settings_from_dict({"therapy": {"ice_minutes": 10}})
    assert s.therapy.ice_minutes == 10
    assert s.breaks == default_settings().breaks


def test_newer_schema_version_is_rejected_clearly() -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_dict({"schema_version": SCHEMA_VERSION + 1})
    assert info.value.key == "schema_version"
    assert f"schema_version = {SCHEMA_VERSION + 1}" in str(info.value)
    assert "newer" in str(info.value)


def test_dataclasses_refuse_out_of_range_values_directly() -> None:
    with pytest.raises(SettingsError, match=r"therapy\.ice_minutes"):
        TherapySettings(ice_minutes=ICE_MAX_MINUTES + 1)


def test_with_value_changes_one_setting_and_validates() -> None:
    s = with_value(default_settings(), "breaks.posture.interval_minutes", 60)
    assert s.breaks.posture.interval_minutes == 60
    assert get_value(s, "breaks.posture.interval_minutes") == 60
    assert s.therapy == default_settings().therapy

    with pytest.raises(SettingsError, match="allowed 1–20"):
        with_value(s, "therapy.ice_minutes", 21)
    with pytest.raises(SettingsError, match=r"unknown setting 'therapy\.ice'"):
        with_value(s, "therapy.ice", 5)
    with pytest.raises(SettingsError, match="true or false"):
        with_value(s, "notifications.sound", 0)


# --- properties ---------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=10)
    | st.datetimes()
)
_keys = st.sampled_from(
    ["schema_version", "breaks", "micro", "posture", "therapy", "notifications"]
    + [k.rpartition(".")[2] for k in KNOWN_KEYS]
    + KNOWN_KEYS
) | st.text(max_size=8)
_toml_ish = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=5),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _toml_ish, max_size=6))
def test_arbitrary_dicts_give_settings_or_settings_error(data: dict[Any, Any]) -> None:
    try:
        result = settings_from_dict(data)
    except SettingsError as exc:
        assert exc.problems
        assert str(exc)
    else:
        assert isinstance(result, Settings)
        ice = result.therapy.ice_minutes
        assert ICE_MIN_MINUTES <= ice <= ICE_MAX_MINUTES


def _rule_from_hint(hint: str) -> str:
    """How refusals used to derive their bracketed rule from the hint (kept as the spec)."""
    hint = hint.strip().rstrip(".")
    for cut in (" to ", " so "):
        head, sep, _ = hint.partition(cut)
        if sep:
            hint = head
            break
    return f"{hint[0].lower()}{hint[1:]}"


def test_each_range_rule_says_what_its_hint_says() -> None:
    """Rules are written out (so they can be translated); in English they must stay the
    hint's own rule, e.g. "ice is capped at 20 minutes a round"."""
    for spec in FIELDS:
        if spec.kind is int and spec.hint:
            assert spec.rule_text() == _rule_from_hint(spec.hint), spec.key
        else:
            assert not spec.rule, spec.key
        assert spec.hint_text() == spec.hint, spec.key
        assert spec.label_text() == spec.label, spec.key
