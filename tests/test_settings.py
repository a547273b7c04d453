"""The settings model: validation messages, the file on disk, and recovery from bad files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import stat
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neckcare_desktop.core.clock import ManualClock
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
    LoadResult,
    Settings,
    SettingsError,
    TherapySettings,
    default_settings,
    get_value,
    load_settings,
    save_settings,
    settings_from_dict,
    settings_to_dict,
    with_value,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

KNOWN_KEYS = [spec.key for spec in FIELDS]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "neckcare" / "settings.toml"


@pytest.fixture
def now(clock: ManualClock) -> datetime:
    return clock.now()


def write(path: Path, content: bytes | str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = content.encode() if isinstance(content, str) else content
    path.write_bytes(raw)
    return raw


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bad-*"))


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


# --- the file on disk ---------------------------------------------------------------


def test_save_then_load_round_trips(path: Path, now: datetime) -> None:
    s = with_value(default_settings(), "therapy.ice_minutes", 12)
    s = with_value(s, "breaks.micro.enabled", False)
    save_settings(s, path)

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# NeckCare Desktop settings")
    assert tomllib.loads(text)["therapy"]["ice_minutes"] == 12
    result = load_settings(path, now)
    assert result == LoadResult(s, [], None)


def test_missing_file_gives_defaults_without_backup(path: Path, now: datetime) -> None:
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert result.problems == []
    assert result.backup_path is None
    assert not path.parent.exists()


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_syntax_error_is_reported_with_line_and_file_kept(path: Path, now: datetime) -> None:
    original = write(path, "[therapy]\nice_minutes = 10\nheat_minutes = = 3\n")

    result = load_settings(path, now)

    assert result.settings == default_settings()
    assert "line 3" in result.problems[0]
    assert "default settings" in result.problems[-1]
    assert result.backup_path == path.with_name("settings.toml.bad-20260302-090000")
    assert result.backup_path.read_bytes() == original
    assert path.read_bytes() == original
    assert str(result.backup_path) in result.problems[-1]


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_out_of_range_file_value_names_key_and_range(path: Path, now: datetime) -> None:
    write(path, "schema_version = 1\n[therapy]\nice_minutes = 25\n")
    result = load_settings(path, now)
    assert result.settings.therapy.ice_minutes == ICE_DEFAULT_MINUTES
    assert result.problems[0] == (
        "therapy.ice_minutes = 25 is out of range: allowed 1–20 "
        "(ice is capped at 20 minutes a round)"
    )
    assert result.backup_path is not None


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_backup_never_overwrites_an_existing_backup(path: Path, now: datetime) -> None:
    first = write(path, "nonsense =\n")
    taken = path.with_name("settings.toml.bad-20260302-090000")
    taken.write_bytes(b"older backup")

    result = load_settings(path, now)
    assert result.backup_path == path.with_name("settings.toml.bad-20260302-090000-2")
    assert result.backup_path.read_bytes() == first
    assert taken.read_bytes() == b"older backup"

    again = load_settings(path, now)
    assert again.backup_path == path.with_name("settings.toml.bad-20260302-090000-3")
    assert len(backups(path)) == 3


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_newer_schema_in_file_runs_on_defaults(path: Path, now: datetime) -> None:
    write(path, "schema_version = 2\n[therapy]\nice_minutes = 10\n")
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert "schema_version = 2" in result.problems[0]


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_non_utf8_file_is_reported_not_raised(path: Path, now: datetime) -> None:
    original = write(path, b"[therapy]\nice_minutes = 10 # caf\xe9\n")
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert "UTF-8" in result.problems[0]
    assert "line 2" in result.problems[0]
    assert result.backup_path is not None
    assert result.backup_path.read_bytes() == original


def test_utf8_byte_order_mark_is_accepted(path: Path, now: datetime) -> None:
    write(path, "\ufeff[therapy]\nice_minutes = 10\n".encode())
    result = load_settings(path, now)
    assert result.problems == []
    assert result.settings.therapy.ice_minutes == 10


@pytest.mark.expect_log(
    "neckcare_desktop.core.settings", logging.WARNING, r"Could not read settings"
)
def test_unreadable_path_is_reported(path: Path, now: datetime) -> None:
    path.mkdir(parents=True)  # a directory where the file should be
    result = load_settings(path, now)
    assert result.settings == default_settings()
    assert str(path) in result.problems[0]
    assert "default settings" in result.problems[-1]


@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
@pytest.mark.expect_log(
    "neckcare_desktop.core.settings", logging.ERROR, r"Could not copy bad settings"
)
def test_failed_backup_is_reported(
    path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(path, "oops")

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("neckcare_desktop.core.settings.os.open", refuse)
    result = load_settings(path, now)
    assert result.backup_path is None
    assert "Permission denied" in result.problems[-1]
    assert "default settings" in result.problems[-1]


@posix_only
def test_saved_file_and_new_directory_are_private(path: Path) -> None:
    save_settings(default_settings(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_atomic_save_leaves_no_temp_files(path: Path) -> None:
    save_settings(default_settings(), path)
    save_settings(with_value(default_settings(), "therapy.heat_minutes", 20), path)
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


def test_failed_save_keeps_the_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(default_settings(), path)
    before = path.read_bytes()

    def broken_replace(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("neckcare_desktop.core.settings.os.replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        save_settings(with_value(default_settings(), "therapy.heat_minutes", 20), path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_save_writes_through_a_symlinked_settings_file(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "neckcare.toml"
    save_settings(default_settings(), real)
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)

    save_settings(with_value(default_settings(), "therapy.ice_minutes", 9), link)
    assert link.is_symlink()
    assert tomllib.loads(real.read_text(encoding="utf-8"))["therapy"]["ice_minutes"] == 9


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


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
@pytest.mark.expect_log("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
def test_arbitrary_file_bytes_never_raise(tmp_path: Path, now: datetime, content: bytes) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(content)
    result = load_settings(path, now)
    assert isinstance(result, LoadResult)
    assert path.read_bytes() == content
    if result.problems:
        assert result.settings == default_settings()
        assert result.backup_path is not None and result.backup_path.read_bytes() == content
        result.backup_path.unlink()  # keep examples independent


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
