"""What NeckCare knows about each setting, declared beside the setting itself.

Each field of the settings dataclasses (:mod:`neckcare_desktop.core.settings`) is made
with :func:`int_setting`, :func:`bool_setting` or :func:`str_setting`: its default, its
bounds or allowed values, and the label, unit and hint the Settings dialog shows, in one
place. :func:`derive_fields` reads them back as the table of :class:`FieldSpec` that the
validator, the dialog, the settings file and the CLI use, so there is no second list to
keep in step with the dataclasses.

The rules of the text settings (days of the week, a time of day) live here too: they are
part of what a field is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, get_type_hints

from neckcare_desktop.core.i18n import translate

#: The key under which a field's :class:`FieldSpec` sits in ``dataclasses.Field.metadata``.
SPEC: Final = "neckcare_setting"


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


# The declarators return ``field(...)``, typed as the value it defaults to, so the
# dataclass reads ``interval_minutes: int = int_setting(20, ...)``. The key is filled in
# by :func:`derive_fields`, which knows where the field sits in the tree.


def int_setting(
    default: int,
    minimum: int,
    maximum: int,
    label: str,
    unit: str,
    hint: str = "",
    *,
    rule: str = "",
) -> int:
    """An integer setting. ``hint`` and ``rule`` may use ``{minimum}`` and ``{maximum}``."""
    spec = FieldSpec(
        "",
        int,
        default,
        minimum,
        maximum,
        label,
        unit,
        hint.format(minimum=minimum, maximum=maximum),
        hint_source=hint,
        rule=rule,
    )
    return field(default=default, metadata={SPEC: spec})


def bool_setting(default: bool, label: str, hint: str = "", *, internal: bool = False) -> bool:
    """An on/off setting; ``internal`` ones are app bookkeeping the dialog does not show."""
    spec = FieldSpec("", bool, default, None, None, label, "", hint, internal=internal)
    return field(default=default, metadata={SPEC: spec})


def str_setting(
    default: str,
    label: str,
    *,
    choices: tuple[str, ...] = (),
    check: Callable[[str], str | None] | None = None,
    hint: str = "",
) -> str:
    """A text setting, limited to ``choices`` or to what ``check`` accepts."""
    spec = FieldSpec("", str, default, None, None, label, "", hint, choices, check)
    return field(default=default, metadata={SPEC: spec})


def _walk(cls: Any, prefix: str) -> Iterator[tuple[str, type, dataclasses.Field[Any]]]:
    """Every leaf field under ``cls``: (dotted key, the class declaring it, the field)."""
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(hints[f.name]):
            yield from _walk(hints[f.name], key)
        else:
            yield key, cls, f


def derive_fields(root: type) -> tuple[FieldSpec, ...]:
    """The table of every setting under ``root``, in declaration order, keys filled in."""
    specs: list[FieldSpec] = []
    for key, cls, f in _walk(root, ""):
        spec = f.metadata.get(SPEC)
        if not isinstance(spec, FieldSpec):
            raise TypeError(
                f"{cls.__name__}.{f.name} is not declared with int_setting, bool_setting "
                "or str_setting: every setting needs its bounds and label"
            )
        specs.append(dataclasses.replace(spec, key=key))
    return tuple(specs)


def section_prefixes(root: type) -> dict[type, str]:
    """Each section class under ``root`` → its dotted name ("breaks.micro", ...)."""
    prefixes: dict[type, str] = {}
    for key, cls, _f in _walk(root, ""):
        prefixes.setdefault(cls, key.rpartition(".")[0])
    return prefixes


# --- days of the week and times of day --------------------------------------------------

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> frozenset[int]:
    """``"mon,wed"`` -> {0, 2} (Monday is 0, as in ``datetime.weekday()``)."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    return frozenset(WEEKDAYS.index(name) for name in names)


def check_days(text: str) -> str | None:
    """What is wrong with a list of days, or None."""
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


def check_hhmm(text: str) -> str | None:
    """What is wrong with a time of day written as HH:MM, or None."""
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
