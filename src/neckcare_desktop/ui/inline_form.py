"""A form dialog whose problems are shown inline, next to the field they concern.

Never in a message box: a box would take focus away from the very field that needs
fixing. A problem label keeps its place free beforehand when asked, so a message moves
nothing under the pointer; the form scrolls above a fixed row of buttons, so on a small
or scaled screen the dialog shrinks to the screen and its buttons stay on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QGroupBox, QLabel, QVBoxLayout, QWidget

from neckcare_desktop.ui.placement import FittingScrollArea, fit_to_screen

_ERROR_STYLE = "color: #b00020;"


def py_time(value: QTime) -> time:
    """A ``QTime`` as a ``datetime.time``."""
    return time(value.hour(), value.minute(), value.second(), value.msec() * 1000)


class InlineForm(QDialog):
    """The plumbing of such a form; subclasses build the fields and say what is wrong."""

    #: The problem that concerns the whole form (a refused save), below the fields.
    form_error: QLabel

    def __init__(
        self,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        *,
        at: Callable[[date, time], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._at = at

    def moment(self, day: date, clock_time: time) -> datetime:
        """The aware moment of a wall-clock time entered in the form: through ``at`` (the
        clock's, so a time on a DST-change day gets the right offset), else with the
        current offset."""
        if self._at is not None:
            return self._at(day, clock_time)
        return datetime.combine(day, clock_time.replace(second=0, microsecond=0)).replace(
            tzinfo=self._now().tzinfo
        )

    def _error_label(self, name: str, *, reserve: bool = False) -> QLabel:
        """A hidden problem label; ``reserve`` keeps one line free for it meanwhile, so
        the message appears without moving what is below it."""
        label = QLabel(self)
        label.setWordWrap(True)
        label.setStyleSheet(_ERROR_STYLE)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if reserve:
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            label.setSizePolicy(policy)
            label.setMinimumHeight(label.fontMetrics().lineSpacing())
        label.hide()
        return label

    def _lay_out(self, parts: list[QWidget], buttons: QWidget) -> None:
        """``parts`` in a scrolling form, ``buttons`` in a row below it that never scrolls."""
        body = QWidget(self)
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        for part in parts:
            content.addWidget(part)
        content.addStretch(1)
        self.scroll_area = FittingScrollArea(body, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # QDialog centers itself on the pointer's screen here
        if not event.spontaneous():
            fit_to_screen(self)

    def _reveal(self, message: QLabel) -> None:
        """Scroll the form (never resize the dialog) so ``message`` and its field show.

        Again once the form has laid out the message: a second line makes it taller.
        """
        group = message.parentWidget()
        target = group if isinstance(group, QGroupBox) else message
        self.scroll_area.ensureWidgetVisible(target, 0, 0)
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(target, 0, 0))

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setAccessibleDescription(text)
        label.show()

    def _show_if(self, label: QLabel, text: str | None) -> None:
        """Show ``text`` in ``label`` (scrolled into view), or hide the label for None."""
        if text is None:
            self._clear(label)
            return
        self._show(label, text)
        self._reveal(label)

    @staticmethod
    def _clear(label: QLabel) -> None:
        label.clear()
        label.hide()

    def _show_form_error(self, text: str) -> None:
        self._show(self.form_error, text)
        self._reveal(self.form_error)

    def format_time(self, at: datetime) -> str:
        """ "Mon 2 Mar 07:30" in the wall-clock time it was recorded with."""
        day = self.locale().toString(QDate(at.year, at.month, at.day), "ddd d MMM")
        if at.year != self._now().year:
            day += f" {at.year}"
        return f"{day} {at.hour:02d}:{at.minute:02d}"
