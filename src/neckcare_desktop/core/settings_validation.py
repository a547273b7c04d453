"""Checking settings: one value against its field, a whole file's table, old layouts.

The messages name the setting by its key and quote the value as the person typed it in
TOML, so someone fixing a hand-edited file can find it; :func:`plain_check` says the same
in the words of the Settings dialog (the setting's label, not its key). Every problem is
collected rather than stopping at the first, so a file is fixed in one go.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.settings_fields import FieldSpec

if TYPE_CHECKING:  # the model imports this module; only type checkers look back
    from neckcare_desktop.core.settings import Settings

# The settings' log lines keep the name they always had (people and tests grep for it).
logger = logging.getLogger("neckcare_desktop.core.settings")

#: Bump when the file layout changes, and teach :func:`_migrate` the old layout.
SCHEMA_VERSION = 1

#: Retired values of ``app.language`` and what they mean now. "de" was offered before any
#: translation shipped; a file that still says so must not be refused as a whole (that
#: would put every other setting back to its default), so it reads as "auto".
RETIRED_LANGUAGES: dict[str, str] = {"de": "auto"}


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


def describe(value: object) -> str:
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


def check_value(spec: FieldSpec, value: object) -> str | None:
    """Return a problem message for ``value`` or None if it is acceptable."""
    if spec.kind is bool:
        if isinstance(value, bool):
            return None
        return translate("Settings", "{key} must be true or false, got {value}").format(
            key=spec.key, value=describe(value)
        )
    if spec.kind is str:
        if not isinstance(value, str):
            return translate("Settings", "{key} must be text in quotes, got {value}").format(
                key=spec.key, value=describe(value)
            )
        if spec.choices and value not in spec.choices:
            return translate(
                "Settings", "{key} = {value} is not allowed: use one of {choices}"
            ).format(key=spec.key, value=describe(value), choices=", ".join(spec.choices))
        if spec.check is not None:
            problem = spec.check(value)
            if problem is not None:
                return translate("Settings", "{key} = {value} {problem}").format(
                    key=spec.key, value=describe(value), problem=problem
                )
        return None
    # bool is a subclass of int, but "ice_minutes = true" is a mistake, not 1 minute.
    if isinstance(value, bool) or not isinstance(value, int):
        return translate(
            "Settings", "{key} must be a whole number (allowed {range}), got {value}"
        ).format(key=spec.key, range=allowed_range(spec), value=describe(value))
    assert spec.minimum is not None and spec.maximum is not None
    if not spec.minimum <= value <= spec.maximum:
        return translate(
            "Settings", "{key} = {value} is out of range: allowed {range}{reason}"
        ).format(
            key=spec.key,
            value=describe(value),
            range=allowed_range(spec),
            reason=_range_reason(spec),
        )
    return None


def plain_check(spec: FieldSpec, value: object) -> str:
    """The problem :func:`check_value` found, for the person: the setting by the label the
    Settings dialog gives it, the value found and what is allowed."""
    label = spec.label_text() or spec.key
    found = describe(value)
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


def unknown_setting(key: str) -> str:
    return translate("Settings", "unknown setting {key}").format(key=repr(key))


# --- a whole file ----------------------------------------------------------------------


@dataclass
class CheckedValues:
    """What :func:`check_table` kept and found: every value in ``values`` was checked."""

    values: dict[str, Any] = field(default_factory=dict)
    #: (key, problem with the key) in the order found.
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: problem index → the same in the person's words, where it differs.
    plain: dict[int, str] = field(default_factory=dict)


def check_table(
    data: Mapping[str, Any], fields_by_key: Mapping[str, FieldSpec], sections: frozenset[str]
) -> CheckedValues:
    """Check a nested (TOML-shaped) or flat dotted mapping, value by value.

    Raises :class:`SettingsError` only when the file as a whole is unusable (not a
    table, a ``schema_version`` NeckCare cannot read); single bad values are collected.
    """
    if not isinstance(data, Mapping):
        raise SettingsError(
            "",
            translate("Settings", "settings must be a table of keys, got {value}").format(
                value=describe(data)
            ),
        )
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SettingsError(
            "schema_version",
            translate("Settings", "schema_version must be a whole number, got {value}").format(
                value=describe(version)
            ),
        )
    if version > SCHEMA_VERSION:
        raise SettingsError(
            "schema_version",
            translate(
                "Settings",
                "schema_version = {value} is newer than this NeckCare understands "
                "(up to {supported}); the file was probably written by a newer version",
            ).format(value=describe(version), supported=SCHEMA_VERSION),
        )
    if version < 1:
        raise SettingsError(
            "schema_version",
            translate(
                "Settings", "schema_version = {value} is invalid: versions start at 1"
            ).format(value=describe(version)),
        )
    data = _retire_values(_migrate(data, version))
    checked = CheckedValues()
    _walk(data, "", fields_by_key, sections, checked)
    return checked


def _walk(
    table: Mapping[Any, Any],
    prefix: str,
    fields_by_key: Mapping[str, FieldSpec],
    sections: frozenset[str],
    out: CheckedValues,
) -> None:
    problems = out.problems
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
        spec = fields_by_key.get(key)
        if spec is not None:
            if key in out.values:
                problems.append(
                    (key, translate("Settings", "{key} is set more than once").format(key=key))
                )
                continue
            problem = check_value(spec, value)
            if problem is None:
                out.values[key] = value
            else:
                out.plain[len(problems)] = plain_check(spec, value)
                problems.append((key, problem))
        elif key in sections:
            if isinstance(value, Mapping):
                _walk(value, key, fields_by_key, sections, out)
            else:
                problems.append(
                    (
                        key,
                        translate(
                            "Settings", "{key} must be a table ([{key}]), got {value}"
                        ).format(key=key, value=describe(value)),
                    )
                )
        else:
            problems.append((key, unknown_setting(key)))


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
