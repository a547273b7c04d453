"""Settings → Exercises: switch exercises on or off, add or edit one's own, import a file.

Built-in exercises can be switched off, never edited. The tab writes nothing: every
change is an intent (core.exercise_library) the app checks and saves at once, answering
with :meth:`ExercisesTab.show_library` or :meth:`ExercisesTab.show_problem`; a refusal
(an unsafe move, a line of a sent file) is shown here in full and the form keeps what
was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core.exercise_format import ExerciseFileError
from neckcare_desktop.core.exercise_library import (
    ExerciseDraft,
    ExerciseLibrary,
    ImportExercises,
    RemoveExercise,
    SaveExercise,
    SwitchExercise,
    exercise_from_draft,
)
from neckcare_desktop.core.exercise_safety import find_unsafe_move
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP
from neckcare_desktop.core.stretches import (
    AREAS,
    MAX_HOLD_SECONDS,
    MAX_REPETITIONS,
    Stretch,
)

#: Body areas as the person reads them.
AREA_NAMES: dict[str, str] = {
    "eyes": QT_TRANSLATE_NOOP("ExercisesTab", "Eyes"),
    "neck": QT_TRANSLATE_NOOP("ExercisesTab", "Neck"),
    "shoulders": QT_TRANSLATE_NOOP("ExercisesTab", "Shoulders"),
    "upper_back": QT_TRANSLATE_NOOP("ExercisesTab", "Upper back"),
    "whole_body": QT_TRANSLATE_NOOP("ExercisesTab", "Whole body"),
}
_ERROR_STYLE = "color: #b00020;"


def area_name(area: str) -> str:
    return QCoreApplication.translate("ExercisesTab", AREA_NAMES.get(area, area))


class WheelSafeSpinBox(QSpinBox):
    """A spin box in a scrolling form: the mouse wheel scrolls the form past it, and
    changes its number only once it has keyboard focus (clicked or tabbed into).

    A plain spin box takes focus from the wheel and steps its number, so scrolling the
    tab with the pointer over "Hold each time" turned 5 s into 1 s unseen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # on to the scroll area around the form


class WheelSafeComboBox(QComboBox):
    """A combo box that, like :class:`WheelSafeSpinBox`, lets the wheel scroll the form
    unless it has keyboard focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _Folder:
    """The folder "Import a file…" opens in: home at first, then the last one a file was
    imported from, for as long as the app runs."""

    last: Path | None = None

    @classmethod
    def start(cls) -> Path:
        if cls.last is not None and cls.last.is_dir():
            return cls.last
        return Path.home()


class ExercisesTab(QWidget):
    """The list of exercises with their switches, and the form for one's own."""

    #: An ExerciseIntent for the app to carry out.
    intent = Signal(object)

    def __init__(
        self,
        library: ExerciseLibrary,
        problem: str | None = None,
        parent: QWidget | None = None,
        *,
        choose_file: Callable[[QWidget], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exercisesTab")
        self._library = library
        self._choose_file = choose_file or _choose_file
        #: The person's file has a problem: nothing here may change it (the app would
        #: write the built-ins over their own exercises), so the tab only shows.
        self._read_only = bool(problem)
        #: The own exercise the form edits (None: a new one).
        self._editing: str | None = None
        #: "Save exercise" was pressed and the app has not answered yet.
        self._saving = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Breaks draw their exercises from the ones switched on here. Built-in "
                "exercises can be switched off but not changed; your own (or a file from "
                "your physiotherapist) can be added, edited and removed. Changes are saved "
                "at once."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        # A one-column tree rather than a list widget: item views of every kind answer
        # columnCount() alike (the translation checks walk every model).
        self.list = QTreeWidget(self)
        self.list.setColumnCount(1)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setObjectName("exerciseList")
        self.list.setAccessibleName(self.tr("Exercises"))
        self.list.setMinimumHeight(8 * self.list.fontMetrics().lineSpacing() + 8)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.list, 1)

        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add an exercise…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.import_button = QPushButton(self.tr("Import a file…"))
        for name, button, slot in (
            ("add", self.add_button, self._on_add),
            ("edit", self.edit_button, self._on_edit),
            ("remove", self.remove_button, self._on_remove),
            ("import", self.import_button, self._on_import),
        ):
            button.setObjectName(f"exercise_{name}")
            button.setAccessibleName(button.text())
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

        self.form = self._build_form()
        self.form.hide()
        layout.addWidget(self.form)

        self.message = QLabel(self)
        self.message.setObjectName("exerciseMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)

        self.show_library(library)
        if problem:
            self.show_problem(problem)

    # -- building ------------------------------------------------------------------------

    def _build_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("Your exercise"), self)
        box.setObjectName("exerciseForm")
        form = QFormLayout(box)
        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("exerciseName")
        self.steps_edit = QPlainTextEdit(box)
        self.steps_edit.setObjectName("exerciseSteps")
        self.steps_edit.setPlaceholderText(self.tr("One step per line"))
        self.steps_edit.setTabChangesFocus(True)
        # Room for a few steps; the list above keeps its rows while the form is open.
        self.steps_edit.setFixedHeight(5 * self.steps_edit.fontMetrics().lineSpacing() + 12)
        self.hold_spin = WheelSafeSpinBox(box)
        self.hold_spin.setObjectName("exerciseHold")
        self.hold_spin.setRange(0, MAX_HOLD_SECONDS)
        self.hold_spin.setSuffix(self.tr(" s"))
        self.reps_spin = WheelSafeSpinBox(box)
        self.reps_spin.setObjectName("exerciseRepetitions")
        self.reps_spin.setRange(1, MAX_REPETITIONS)
        self.area_combo = WheelSafeComboBox(box)
        self.area_combo.setObjectName("exerciseArea")
        for area in AREAS:
            self.area_combo.addItem(area_name(area), area)
        self.micro_box = QCheckBox(self.tr("Also as a micro-break cue"), box)
        self.micro_box.setObjectName("exerciseMicro")
        for label, widget in (
            (self.tr("Name"), self.name_edit),
            (self.tr("Steps"), self.steps_edit),
            (self.tr("Hold each time"), self.hold_spin),
            (self.tr("Repetitions"), self.reps_spin),
            (self.tr("Body area"), self.area_combo),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        form.addRow("", self.micro_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save exercise"), box)
        self.save_button.setObjectName("exercise_save")
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button = QPushButton(self.tr("Cancel"), box)
        self.cancel_button.setObjectName("exercise_cancel")
        self.cancel_button.clicked.connect(self._close_form)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        return box

    # -- what the app says ---------------------------------------------------------------

    def show_library(self, library: ExerciseLibrary) -> None:
        """The library as saved: the list, and the form closed (a save went through)."""
        self._library = library
        current = self._current_id()
        exercises = library.all()
        items = self._items()
        self.list.blockSignals(True)
        if [i.data(0, Qt.ItemDataRole.UserRole) for i in items] == [e.id for e in exercises]:
            # The same exercises (a switch): update in place. A switch arrives while its
            # item is still inside its own change signal; deleting it then would crash.
            for item, exercise in zip(items, exercises, strict=True):
                self._fill(item, exercise)
        else:
            self.list.clear()
            for exercise in exercises:
                item = QTreeWidgetItem()
                item.setData(0, Qt.ItemDataRole.UserRole, exercise.id)
                flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                if self._read_only:
                    flags &= ~Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                self._fill(item, exercise)
                self.list.addTopLevelItem(item)
                if exercise.id == current:
                    self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._saving = False
        self._close_form()
        self.message.hide()
        self._update_buttons()

    def _fill(self, item: QTreeWidgetItem, exercise: Stretch) -> None:
        item.setText(0, self._item_text(exercise))
        on = self._library.is_on(exercise.id)
        item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def show_problem(self, text: str) -> None:
        """A refusal or a failure: said in full, in sight (the tab scrolls to it); the
        form keeps what was typed, with the field to change focused."""
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self.message.show()
        field = None
        if self._saving and self.form.isVisible():
            field = self._focus_problem()
        self._saving = False
        self._reveal(field)
        # The list may show a switch the app refused: show what is saved again.
        self.list.blockSignals(True)
        for item in self._items():
            on = self._library.is_on(str(item.data(0, Qt.ItemDataRole.UserRole)))
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    def show_message(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        self.message.show()
        self._reveal(None)

    def _scroll_area(self) -> QScrollArea | None:
        """The scroll area the tab sits in (Settings scrolls each page on a short screen)."""
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QScrollArea):
            widget = widget.parentWidget()
        return widget

    def _reveal(self, field: QWidget | None) -> None:
        """Scroll the tab so the message shows, below the field it concerns and the Save
        button: it sits under the form, out of sight on a small or scaled screen.

        Again once the tab has laid the message out (it grows the tab, and a longer
        message takes more lines)."""
        area = self._scroll_area()
        if area is None:
            return

        def scroll() -> None:
            if field is not None and field.isVisible():
                area.ensureWidgetVisible(field, 0, 0)
            if self.message.isVisible():
                area.ensureWidgetVisible(self.message, 0, 0)

        scroll()
        QTimer.singleShot(0, self, scroll)

    def _focus_problem(self) -> QWidget | None:
        """Focus the form's field a refused save concerns (its unsafe words selected)."""
        try:
            exercise_from_draft(self.draft())
        except ExerciseFileError as exc:
            field = exc.field
        else:
            return None  # refused for another reason (a built-in's name, the disk)
        widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "id": self.name_edit,
            "steps": self.steps_edit,
            "hold_seconds": self.hold_spin,
            "repetitions": self.reps_spin,
            "area": self.area_combo,
            "kinds": self.micro_box,
        }
        widget = widgets.get(field or "")
        if widget is None:
            return None
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if widget is self.steps_edit:
            self._select_unsafe_step()
        elif widget is self.name_edit:
            found = find_unsafe_move([self.name_edit.text()])
            if found is not None:
                start = self.name_edit.text().find(found.words)
                self.name_edit.setSelection(start, len(found.words))
        return widget

    def _select_unsafe_step(self) -> None:
        lines = self.steps_edit.toPlainText().split("\n")
        found = find_unsafe_move(lines)
        if found is None:
            return
        start = sum(len(line) + 1 for line in lines[: found.index])
        start += lines[found.index].find(found.words)
        cursor = self.steps_edit.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(start + len(found.words), QTextCursor.MoveMode.KeepAnchor)
        self.steps_edit.setTextCursor(cursor)

    # -- the list ------------------------------------------------------------------------

    def _item_text(self, exercise: Stretch) -> str:
        origin = self.tr("built-in") if exercise.builtin else self.tr("your own")
        return f"{exercise.title_text()} — {area_name(exercise.area)} · {origin}"

    def _current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def _current(self) -> Stretch | None:
        current = self._current_id()
        return None if current is None else self._library.find(current)

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount()))
        return [item for item in items if item is not None]

    def item_for(self, exercise_id: str) -> QTreeWidgetItem | None:
        return next(
            (i for i in self._items() if i.data(0, Qt.ItemDataRole.UserRole) == exercise_id),
            None,
        )

    def _update_buttons(self) -> None:
        current = self._current()
        own = current is not None and not current.builtin and not self._read_only
        self.edit_button.setEnabled(own)
        self.remove_button.setEnabled(own)
        self.add_button.setEnabled(not self._read_only)
        self.import_button.setEnabled(not self._read_only)
        tip = "" if own or current is None else self.tr("Built-in: switch it off instead")
        if self._read_only:
            tip = ""
        self.edit_button.setToolTip(tip)

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        on = item.checkState(0) == Qt.CheckState.Checked
        self.intent.emit(SwitchExercise(str(item.data(0, Qt.ItemDataRole.UserRole)), on))

    # -- the form ------------------------------------------------------------------------

    def _on_add(self) -> None:
        self._open_form(None)

    def _on_edit(self) -> None:
        current = self._current()
        if current is not None and not current.builtin:
            self._open_form(current)

    def _open_form(self, exercise: Stretch | None) -> None:
        self._editing = None if exercise is None else exercise.id
        self.name_edit.setText("" if exercise is None else exercise.title)
        self.steps_edit.setPlainText("" if exercise is None else "\n".join(exercise.steps))
        self.hold_spin.setValue(0 if exercise is None else exercise.hold_seconds)
        self.reps_spin.setValue(1 if exercise is None else exercise.repetitions)
        area = "shoulders" if exercise is None else exercise.area
        self.area_combo.setCurrentIndex(max(0, self.area_combo.findData(area)))
        self.micro_box.setChecked(exercise is not None and "micro" in exercise.kinds)
        self.form.show()
        self.message.hide()
        self.name_edit.setFocus()

    def _close_form(self) -> None:
        self._editing = None
        self.form.hide()

    def draft(self) -> ExerciseDraft:
        """What the form says now."""
        existing = self._library.find(self._editing) if self._editing else None
        kinds = {"posture", "micro"} if self.micro_box.isChecked() else {"posture"}
        return ExerciseDraft(
            name=self.name_edit.text().strip(),
            steps=tuple(
                line.strip() for line in self.steps_edit.toPlainText().splitlines() if line.strip()
            ),
            hold_seconds=self.hold_spin.value(),
            repetitions=self.reps_spin.value(),
            area=str(self.area_combo.currentData()),
            kinds=frozenset(kinds),
            picture=existing.image if existing is not None else None,
            variants=existing.variants if existing is not None else (),
        )

    def _on_save(self) -> None:
        self._saving = True
        self.intent.emit(SaveExercise(self.draft(), self._editing))

    def _on_remove(self) -> None:
        current = self._current()
        if current is not None and not current.builtin:
            self.intent.emit(RemoveExercise(current.id))

    def _on_import(self) -> None:
        path = self._choose_file(self)
        if path:
            self.intent.emit(ImportExercises(path))


def _choose_file(parent: QWidget) -> str:
    """The file to import: the dialog opens in the home folder (not the folder the app
    was started from), then where the last import came from."""
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("ExercisesTab", "Import exercises"),
        str(_Folder.start()),
        QCoreApplication.translate("ExercisesTab", "Exercise files (*.toml)"),
    )
    if path:
        _Folder.last = Path(path).parent
    return path
