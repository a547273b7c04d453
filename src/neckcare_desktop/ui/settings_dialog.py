"""The Settings dialog.

It is generated from :data:`neckcare_desktop.core.settings.FIELDS` so a new setting, or a
changed safety cap, shows up here without touching this file. Widget ranges are only a
convenience: the core validator has the final word on every value, and its refusal is
shown inside the dialog so nothing the person typed is lost.

The dialog writes nothing: Save emits :attr:`SettingsDialog.settings_submitted` with the
validated settings and the autostart wish; the app saves them and answers through
:meth:`~SettingsDialog.show_saved` and its siblings.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP  # typed str; lupdate reads it too
from neckcare_desktop.core.settings import (
    FIELDS,
    FieldSpec,
    Settings,
    SettingsError,
    allowed_range,
    get_value,
    plain_problem,
    settings_from_dict,
)
from neckcare_desktop.ui.placement import FittingScrollArea, fit_to_screen
from neckcare_desktop.ui.settings_widgets import BoundedSpinBox, DayToggles, TimePicker

#: Text fields edited with a picker rather than typed (the file keeps the text).
if TYPE_CHECKING:
    from neckcare_desktop.core.exercise_library import ExerciseLibrary
    from neckcare_desktop.ui.exercises_tab import ExercisesTab

_DAY_FIELDS: frozenset[str] = frozenset({"working_hours.days"})
_TIME_FIELDS: frozenset[str] = frozenset({"working_hours.start", "working_hours.end"})

logger = logging.getLogger(__name__)

#: Section prefix -> group title, in display order. The top-level ``breaks`` options
#: (postpone) apply to both kinds of break, so they get their own group. Titles are
#: marked here and translated when the dialog is built, after translators are installed.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("breaks.micro", QT_TRANSLATE_NOOP("SettingsDialog", "Micro-breaks")),
    ("breaks.posture", QT_TRANSLATE_NOOP("SettingsDialog", "Posture breaks")),
    ("breaks", QT_TRANSLATE_NOOP("SettingsDialog", "Breaks")),
    ("working_hours", QT_TRANSLATE_NOOP("SettingsDialog", "Working hours")),
    ("hydration", QT_TRANSLATE_NOOP("SettingsDialog", "Water")),
    ("therapy", QT_TRANSLATE_NOOP("SettingsDialog", "Ice and heat")),
    ("notifications", QT_TRANSLATE_NOOP("SettingsDialog", "Notifications")),
    ("guidance", QT_TRANSLATE_NOOP("SettingsDialog", "Guidance")),
    ("app", QT_TRANSLATE_NOOP("SettingsDialog", "Application")),
)

#: Tabs, each holding some of the groups above, so the dialog fits a small screen.
_TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("SettingsDialog", "Breaks"), ("breaks.micro", "breaks.posture")),
    (QT_TRANSLATE_NOOP("SettingsDialog", "Interruptions"), ("breaks",)),
    (QT_TRANSLATE_NOOP("SettingsDialog", "Schedule"), ("working_hours", "hydration")),
    (QT_TRANSLATE_NOOP("SettingsDialog", "Ice and heat"), ("therapy",)),
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "General"),
        ("notifications", "guidance", "app"),
    ),
)

#: Display names for choice values of text fields.
_CHOICE_LABELS: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system"),
}
#: Languages are named in their own language, never translated: someone who cannot read
#: the current language must still find their own in the list.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
}

#: Fields whose hint is visible without hovering: the ice cap is safety-relevant, and a
#: new language only applies at the next start, which is surprising if not said.
_VISIBLE_HINTS: frozenset[str] = frozenset({"therapy.ice_minutes", "app.language"})

_ERROR_STYLE = "color: #b00020;"


class AutostartState(Protocol):
    """What the dialog shows of starting at login (it only reads it)."""

    def describe(self) -> str: ...

    def is_enabled(self) -> bool: ...


def _section(key: str) -> str:
    return key.rpartition(".")[0]


def _choice_text(choice: str) -> str:
    if choice in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[choice]
    return QCoreApplication.translate("SettingsDialog", _CHOICE_LABELS.get(choice, choice))


class SettingsDialog(QDialog):
    """Edit every setting; Save validates through core and submits them to the app."""

    #: ``(settings, autostart wish)``: what Save asks for; the wish is None without the
    #: autostart box. The app answers with :meth:`show_saved` or a ``show_not_…`` method.
    settings_submitted = Signal(object, object)
    #: Emitted with the new :class:`Settings` once the app has written them.
    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        path: Path,
        parent: QWidget | None = None,
        *,
        autostart: AutostartState | None = None,
        play_test_sound: Callable[[float], object] | None = None,
        calls_available: str | None = None,
    ) -> None:
        """``calls_available``: where calls cannot be detected, the sentence saying so
        (shown under "Hold breaks during calls"); None says nothing."""
        super().__init__(parent)
        self._calls_available = calls_available
        self._settings = settings
        self._path = path
        #: Plays the break-start cue at a volume from 0 to 1; never writes anything.
        self._play_test_sound = play_test_sound or (lambda _volume: None)
        #: The app's answer to the last submission: True once it was saved.
        self._submitted_ok = False
        self.autostart_box: QCheckBox | None = None
        #: Settings → Exercises, once the app added it (add_exercises_tab).
        self.exercises_tab: ExercisesTab | None = None
        self._widgets: dict[str, QWidget] = {}
        #: Out-of-range numbers typed in a spin box, by key, until editing ends.
        self._typed: dict[str, str] = {}
        self.setWindowTitle(self.tr("Settings — NeckCare"))
        self.setObjectName("SettingsDialog")

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        titles = dict(_GROUPS)
        for tab_title, prefixes in _TABS:
            page = QWidget(self.tabs)
            page_layout = QVBoxLayout(page)
            for prefix in prefixes:
                specs = [
                    spec for spec in FIELDS if _section(spec.key) == prefix and not spec.internal
                ]
                if specs:
                    title = QCoreApplication.translate("SettingsDialog", titles[prefix])
                    page_layout.addWidget(self._build_group(title, specs))
            if prefixes[0] == "notifications" and autostart is not None:
                self.autostart_box = QCheckBox(self.tr("Start NeckCare when I log in"), page)
                self.autostart_box.setObjectName("autostart")
                self.autostart_box.setAccessibleName(self.autostart_box.text())
                self.autostart_box.setToolTip(autostart.describe())
                with contextlib.suppress(OSError):
                    self.autostart_box.setChecked(autostart.is_enabled())
                page_layout.addWidget(self.autostart_box)
            page_layout.addStretch(1)
            # A page longer than a small or scaled screen scrolls; Save stays on screen.
            self.tabs.addTab(
                FittingScrollArea(page, self.tabs),
                QCoreApplication.translate("SettingsDialog", tab_title),
            )
        layout.addWidget(self.tabs)

        self._error_label = QLabel(self)
        self._error_label.setObjectName("errorLabel")
        self._error_label.setStyleSheet(_ERROR_STYLE)
        self._error_label.setWordWrap(True)
        self._error_label.setAccessibleName(self.tr("Settings problem"))
        self._error_label.hide()
        layout.addWidget(self._error_label)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setDefault(True)
        save_button.setAutoDefault(True)
        self._buttons.accepted.connect(self._on_save)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)

    def play_test_sound(self) -> None:
        """The "Test sound" button: the break-start cue at the volume now in the dialog."""
        volume = self._widgets.get("notifications.volume")
        level = volume.value() if isinstance(volume, QSpinBox) else 100
        self._play_test_sound(level / 100)

    def _revalidate(self) -> None:
        """After any edit: say what is wrong now, and nothing once it is fixed."""
        problems = list(self._typed.values())
        try:
            current = {spec.key: get_value(self._settings, spec.key) for spec in FIELDS}
            settings_from_dict({**current, **self.current_values()})
        except SettingsError as exc:
            problems.extend(p for p in exc.plain if p not in problems)
        if problems:
            self._show_error("\n".join(problems))
        else:
            self._error_label.hide()
            self._error_label.clear()

    def _on_typed(self, spec: FieldSpec, number: int | None) -> None:
        if number is None:
            self._typed.pop(spec.key, None)
        else:
            nearest = min(max(int(number), spec.minimum or 0), spec.maximum or 0)
            problem = plain_problem(spec.key, int(number)) or ""
            self._typed[spec.key] = self.tr(
                "{problem} When you leave the field it becomes {value}."
            ).format(problem=problem, value=nearest)
        self._revalidate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # QDialog centers itself on the pointer's screen here
        if not event.spontaneous():
            fit_to_screen(self)

    def _build_group(self, title: str, specs: list[FieldSpec]) -> QGroupBox:
        group = QGroupBox(title, self)
        form = QFormLayout(group)
        for spec in specs:
            # Labels and hints come from core (which cannot import Qt): core translates
            # them through the hook the app installs.
            label_text = spec.label_text()
            hint = spec.hint_text()
            value = get_value(self._settings, spec.key)
            widget: QWidget
            range_tip = ""
            if spec.kind is bool:
                widget = QCheckBox(label_text, group)
                widget.setChecked(bool(value))
                widget.toggled.connect(self._revalidate)
                form.addRow(widget)
            elif spec.kind is str:
                if spec.choices:
                    widget = QComboBox(group)
                    for choice in spec.choices:
                        widget.addItem(_choice_text(choice), choice)
                    widget.setCurrentIndex(max(0, widget.findData(value)))
                    widget.currentIndexChanged.connect(self._revalidate)
                elif spec.key in _DAY_FIELDS:
                    widget = DayToggles(group)
                    widget.set_value(str(value))
                    widget.changed.connect(self._revalidate)
                elif spec.key in _TIME_FIELDS:
                    widget = TimePicker(group)
                    widget.set_value(str(value))
                    widget.timeChanged.connect(self._revalidate)
                else:
                    widget = QLineEdit(str(value), group)
                    widget.textChanged.connect(self._revalidate)
                label = QLabel(label_text, group)
                label.setBuddy(widget)
                form.addRow(label, widget)
            else:
                widget = BoundedSpinBox(group)
                assert spec.minimum is not None and spec.maximum is not None
                widget.setRange(spec.minimum, spec.maximum)
                if spec.unit:
                    widget.setSuffix(f" {spec.unit_text()}")
                widget.setValue(int(value))
                widget.valueChanged.connect(self._revalidate)
                widget.typed_out_of_range.connect(
                    lambda number, spec=spec: self._on_typed(spec, number)
                )
                # The range is said before anything is typed, not only once it is wrong.
                unit = f" {spec.unit_text()}" if spec.unit else ""
                allowed = self.tr("Allowed: {range}").format(range=allowed_range(spec) + unit)
                range_tip = f"{hint}\n{allowed}" if hint else allowed
                label = QLabel(label_text, group)
                label.setBuddy(widget)
                label.setToolTip(range_tip)
                form.addRow(label, widget)
                if spec.key == "notifications.volume":
                    test = QPushButton(self.tr("Test sound"), group)
                    test.setObjectName("testSound")
                    test.setAutoDefault(False)
                    test.setToolTip(self.tr("Plays the break sound at this volume."))
                    test.clicked.connect(self.play_test_sound)
                    form.addRow("", test)
            widget.setObjectName(spec.key)
            widget.setAccessibleName(label_text)
            if hint:
                widget.setToolTip(hint)
                widget.setAccessibleDescription(hint)
                if spec.key in _VISIBLE_HINTS:
                    note = QLabel(hint, group)
                    note.setObjectName(f"{spec.key}.hint")
                    note.setWordWrap(True)
                    font = note.font()
                    if font.pointSizeF() > 0:
                        font.setPointSizeF(font.pointSizeF() * 0.9)
                        note.setFont(font)
                    form.addRow("", note)
            if spec.key == "breaks.respect_calls" and self._calls_available:
                # Detection does not work here: the setting says so instead of pretending.
                missing = QLabel(self._calls_available, group)
                missing.setObjectName("breaks.respect_calls.unavailable")
                missing.setWordWrap(True)
                form.addRow("", missing)
                widget.setAccessibleDescription(f"{hint}\n{self._calls_available}")
            if range_tip:
                widget.setToolTip(range_tip)
            self._widgets[spec.key] = widget
        return group

    def current_values(self) -> dict[str, int | bool | str]:
        """What the widgets currently show, by dotted key."""
        values: dict[str, int | bool | str] = {}
        for key, w in self._widgets.items():
            if isinstance(w, QCheckBox):
                values[key] = w.isChecked()
            elif isinstance(w, QComboBox):
                values[key] = str(w.currentData())
            elif isinstance(w, QLineEdit):
                values[key] = w.text().strip()
            elif isinstance(w, DayToggles | TimePicker | QSpinBox):
                values[key] = w.value()
        return values

    def set_value(self, key: str, value: int | bool | str) -> None:
        """Set one widget as if the person had edited it (spin boxes clamp to their range)."""
        widget = self._widgets[key]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, DayToggles | TimePicker):
            widget.set_value(str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))

    def error_text(self) -> str:
        """The problem currently shown in the dialog, or "" when there is none."""
        return self._error_label.text() if self._error_label.isVisible() else ""

    def save_values(self, values: Mapping[str, object]) -> bool:
        """Validate ``values`` through core and submit them; True if the app saved them.

        This is the path the Save button takes. It deliberately accepts any mapping so
        that the core validator, not the widget ranges, is what guarantees the caps.
        """
        try:
            # Flat dotted keys: unchanged settings keep their values, and any key the
            # caller passes (known or not) goes through the same checks as the file.
            current = {spec.key: get_value(self._settings, spec.key) for spec in FIELDS}
            new = settings_from_dict({**current, **values})
        except SettingsError as exc:
            logger.info("Settings rejected: %s", exc)
            self._show_error("\n".join(exc.plain))
            focus = self._widgets.get(exc.key)
            if focus is not None:
                page = focus.parentWidget()
                while page is not None and self.tabs.indexOf(page) < 0:
                    page = page.parentWidget()
                if page is not None:
                    self.tabs.setCurrentWidget(page)
                focus.setFocus()
            return False
        wish = None if self.autostart_box is None else self.autostart_box.isChecked()
        self._submitted_ok = False
        self.settings_submitted.emit(new, wish)  # the app answers before this returns
        return self._submitted_ok

    # -- the app's answer ----------------------------------------------------------------

    def show_saved(self, settings: Settings) -> None:
        """Saved as submitted: close."""
        self._settings = settings
        self._submitted_ok = True
        self._error_label.hide()
        self.saved.emit(settings)
        self.accept()

    def show_not_saved(self, path: Path, exc: OSError) -> None:
        """Nothing was written: say why, and keep the person's changes on screen."""
        self._show_error(
            self.tr(
                "Could not save settings to {path}: {reason}. "
                "Your changes are still in this window."
            ).format(path=path, reason=exc.strerror or exc)
        )

    def show_autostart_not_changed(self, settings: Settings, exc: OSError) -> None:
        """The settings were written, starting at login was not changed: say so, stay open."""
        self._show_error(
            self.tr(
                "Settings were saved, but starting at login could not be changed: {reason}"
            ).format(reason=exc.strerror or exc)
        )
        self._settings = settings
        self.saved.emit(settings)

    def _on_save(self) -> None:
        self.save_values(self.current_values())

    def add_exercises_tab(
        self, library: ExerciseLibrary, problem: str | None = None
    ) -> ExercisesTab:
        """The Exercises tab (its changes are saved at once, not by Save)."""
        from neckcare_desktop.ui.exercises_tab import ExercisesTab

        tab = ExercisesTab(library, problem, self.tabs)
        self.exercises_tab = tab
        # Like the other pages: on a short screen it scrolls, Save stays on screen.
        self.tabs.addTab(FittingScrollArea(tab, self.tabs), self.tr("Exercises"))
        return tab

    def _show_error(self, text: str) -> None:
        self._error_label.setText(text)
        self._error_label.show()

    @property
    def settings(self) -> Settings:
        """The settings the dialog was opened with, or the last ones it saved."""
        return self._settings
