"""Editors the Settings dialog uses where a plain line edit or spin box misleads.

* :class:`DayToggles`: seven toggle buttons named by the locale's day names (the file
  keeps ``mon,tue,...``; a Spanish window used to refuse "lun,mar" typed by hand).
* :class:`TimePicker`: a time-of-day editor that always gives ``HH:MM``.
* :class:`BoundedSpinBox`: a spin box that lets an out-of-range number stay typed, so the
  dialog can say what is allowed and what it will be set to, instead of silently
  dropping the keystroke (a typed 25 in a 1–20 box used to become 2).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTime, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QTimeEdit, QToolButton, QWidget

from neckcare_desktop.core.settings import WEEKDAYS, parse_days


class DayToggles(QWidget):
    """One checkable button per weekday, in the locale's week order and day names."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        locale = QLocale()
        first = locale.firstDayOfWeek().value  # 1 = Monday … 7 = Sunday, as in Qt
        self.buttons: dict[str, QToolButton] = {}
        for offset in range(7):
            qt_day = (first - 1 + offset) % 7 + 1
            button = QToolButton(self)
            button.setCheckable(True)
            button.setText(locale.dayName(qt_day, QLocale.FormatType.ShortFormat))
            button.setToolTip(locale.dayName(qt_day, QLocale.FormatType.LongFormat))
            button.setAccessibleName(button.toolTip())
            button.setObjectName(f"day-{WEEKDAYS[qt_day - 1]}")
            button.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(button)
            self.buttons[WEEKDAYS[qt_day - 1]] = button
        layout.addStretch(1)

    def value(self) -> str:
        """The checked days as the file writes them, Monday first: ``"mon,tue"``."""
        return ",".join(day for day in WEEKDAYS if self.buttons[day].isChecked())

    def set_value(self, text: str) -> None:
        try:
            days = parse_days(text)
        except ValueError:  # the validator reports it; show nothing checked
            days = frozenset()
        for index, day in enumerate(WEEKDAYS):
            self.buttons[day].setChecked(index in days)


class TimePicker(QTimeEdit):
    """A time of day in the locale's short format; reads and writes ``HH:MM``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(QLocale().timeFormat(QLocale.FormatType.ShortFormat))
        self.setWrapping(True)

    def value(self) -> str:
        return self.time().toString("HH:mm")

    def set_value(self, text: str) -> None:
        time = QTime.fromString(text.strip().zfill(5), "HH:mm")
        if time.isValid():
            self.setTime(time)


class BoundedSpinBox(QSpinBox):
    """A spin box whose typed out-of-range number stays on screen until editing ends.

    ``typed_out_of_range`` carries the number while it is out of range (None once the
    text is back in range). When editing ends, Qt sets the nearest allowed value.
    """

    typed_out_of_range = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToNearestValue)
        self.lineEdit().textEdited.connect(self._check_typed)
        self.editingFinished.connect(lambda: self.typed_out_of_range.emit(None))

    def typed_number(self) -> int | None:
        digits = self.cleanText().strip()
        try:
            return int(digits)
        except ValueError:
            return None

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state = super().validate(text, pos)
        if _state(state) == QValidator.State.Invalid:
            number = self._number_in(text)
            if number is not None:  # out of range: keep it typed, say so, clamp at the end
                return QValidator.State.Intermediate, text, pos
        return state

    def _number_in(self, text: str) -> int | None:
        core = text
        if self.suffix() and core.endswith(self.suffix()):
            core = core[: -len(self.suffix())]
        core = core.strip()
        return int(core) if core.lstrip("-").isdigit() else None

    def _check_typed(self, _text: str) -> None:
        number = self.typed_number()
        in_range = number is None or self.minimum() <= number <= self.maximum()
        self.typed_out_of_range.emit(None if in_range else number)


def _state(result: object) -> object:
    return result[0] if isinstance(result, tuple) else result
