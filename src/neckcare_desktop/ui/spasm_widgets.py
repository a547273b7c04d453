"""Parts of the spasm dialog: the 0–10 pain field, the tick-box grids, date formats.

Kept apart from :mod:`neckcare_desktop.ui.spasm_dialog` so the dialog module holds the
form's logic (reading, checking, saving) and this one the widgets it is built from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.history import MAX_PAIN, MIN_PAIN


class _PainField(QWidget):
    """A 0–10 slider and a small text box that follow each other.

    (The underscore stays: the class name is the translation context of its texts.)

    The text box is what is saved: it starts empty, so "no pain chosen yet" is visible
    and cannot be saved by accident as 0, and it accepts typing for keyboard users.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(MIN_PAIN, MAX_PAIN)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName(self.tr("Pain, 0 to 10"))
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("0–10"))
        self.edit.setMaxLength(3)
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance("00000") + 16)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setAccessibleName(self.tr("Pain score from 0 (no pain) to 10 (worst)"))
        self.meaning = QLabel(self)
        self.meaning.setMinimumWidth(self.meaning.fontMetrics().horizontalAdvance("M" * 10))
        low = QLabel(self.tr("0 no pain"), self)
        high = QLabel(self.tr("10 worst imaginable"), self)
        high.setAlignment(Qt.AlignmentFlag.AlignRight)
        for label in (low, high):
            small = QFont(label.font())
            small.setPointSizeF(small.pointSizeF() * 0.9)
            label.setFont(small)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.slider, 0, 0, 1, 2)
        grid.addWidget(self.edit, 0, 2)
        grid.addWidget(self.meaning, 0, 3)
        grid.addWidget(low, 1, 0)
        grid.addWidget(high, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.slider.valueChanged.connect(self._from_slider)
        # A click on the handle at 0 changes no value but is still a choice of 0.
        self.slider.sliderPressed.connect(lambda: self._from_slider(self.slider.value()))
        self.edit.textChanged.connect(self._from_text)
        self._from_text("")

    def _from_slider(self, value: int) -> None:
        if self.edit.text() != str(value):
            self.edit.setText(str(value))

    def _from_text(self, text: str) -> None:
        value = self.value()
        if value is not None and MIN_PAIN <= value <= MAX_PAIN:
            self.slider.blockSignals(True)
            self.slider.setValue(value)
            self.slider.blockSignals(False)
            self.meaning.setText(self._meaning(value))
        else:
            self.meaning.setText("")

    def _meaning(self, value: int) -> str:
        if value == 0:
            return self.tr("no pain")
        if value <= 3:
            return self.tr("mild")
        if value <= 6:
            return self.tr("moderate")
        if value <= 9:
            return self.tr("severe")
        return self.tr("worst imaginable")

    def text(self) -> str:
        return self.edit.text().strip()

    def value(self) -> int | None:
        """The typed whole number (possibly out of range), or None when empty or not a number."""
        try:
            return int(self.text())
        except ValueError:
            return None

    def set_value(self, value: int) -> None:
        self.edit.setText(str(value))

    def value_to_check(self) -> int | None:
        """The pain to validate: None when empty, -1 for text that is not a whole number."""
        if not self.text():
            return None
        value = self.value()
        return -1 if value is None else value


def tick_boxes(group: QGroupBox, labels: Mapping[str, str], context: str) -> dict[str, QCheckBox]:
    """Check boxes in two columns, one per stored key, labelled in the person's language.

    ``labels`` are core's English labels (:mod:`neckcare_desktop.core.spasm_vocabulary`),
    translated in ``context``: one wording for the dialog, the history and the guidance.
    """
    grid = QGridLayout(group)
    boxes: dict[str, QCheckBox] = {}
    for i, key in enumerate(labels):
        box = QCheckBox(QCoreApplication.translate(context, labels[key]), group)
        box.setAccessibleName(box.text())
        boxes[key] = box
        grid.addWidget(box, i // 2, i % 2)
    return boxes


def below_tick_boxes(group: QGroupBox, hint: str, advice_name: str) -> QLabel:
    """Under ``group``'s tick boxes: the ``hint`` line, then a hidden bold label for advice
    about what is ticked (accessible name ``advice_name``), returned to be filled in."""
    grid = group.layout()
    assert isinstance(grid, QGridLayout)  # tick_boxes lays them out in a grid
    below = (grid.count() + 1) // 2  # the first row under the two columns
    hint_label = QLabel(hint, group)
    hint_label.setWordWrap(True)
    grid.addWidget(hint_label, below, 0, 1, 2)
    advice = QLabel(group)
    advice.setWordWrap(True)
    advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    advice.setAccessibleName(advice_name)
    bold = QFont(advice.font())
    bold.setBold(True)
    advice.setFont(bold)
    advice.hide()
    grid.addWidget(advice, below + 1, 0, 1, 2)
    return advice


def when_grid(
    box: QGroupBox,
    rows: Sequence[tuple[QWidget, QWidget | None]],
    message: QLabel,
    message_width: int,
) -> None:
    """Lay out ``box``: one start choice a row (its radio and its time field, if any) and
    the ``message`` beside them, at least ``message_width`` wide.

    The message sits in the room the short rows leave free: the rows give it more lines
    than the longest message needs, so it never reflows.
    """
    grid = QGridLayout()
    for row, (choice, field) in enumerate(rows):
        grid.addWidget(choice, row, 0)
        if field is not None:
            grid.addWidget(field, row, 1)
    grid.addWidget(message, 0, 2, len(rows), 1)
    grid.setColumnStretch(2, 1)
    grid.setColumnMinimumWidth(2, message_width)
    QVBoxLayout(box).addLayout(grid)


def edit_formats(locale: QLocale) -> tuple[str, str]:
    """The person's own short date and time formats, the year always in full.

    "3/1/26" next to the history's "Sun 1 Mar 2026" would make the year a guess; the
    locale decides the order and the 12- or 24-hour clock.
    """
    date_format = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date_format:
        date_format = date_format.replace("yy", "yyyy")
    return date_format, locale.timeFormat(QLocale.FormatType.ShortFormat)
