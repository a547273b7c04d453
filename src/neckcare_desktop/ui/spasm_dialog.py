"""The spasm log: write down a neck spasm, later update its pain or mark it resolved.

A person in the middle of a spasm has little patience, so the dialog is one short form
that opens ready to save ("just now", a pain score, done) and everything else is
optional. Problems are shown inline next to the field they concern, in words, and the
form scrolls above its buttons (see :mod:`neckcare_desktop.ui.inline_form`): on a 1280×800
laptop at 150 % Save and Cancel stay on screen.

The dialog is non-modal (show(), never exec()): the tray app keeps running timers while
it is open. It writes nothing: Save emits :attr:`SpasmDialog.submitted` with what the
person entered (a :mod:`neckcare_desktop.core.spasm_log` intent); the app carries it out
and answers with :meth:`SpasmDialog.show_saved` (the dialog then emits
:attr:`SpasmDialog.saved` and closes) or :meth:`SpasmDialog.show_not_saved`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import (
    Episode,
    EpisodeProblem,
    HistoryError,
    HistoryStore,
    episode_problems,
    pain_problems,
)
from neckcare_desktop.core.spasm_log import (
    LogSpasm,
    ResolveSpasm,
    SpasmIntent,
    SpasmSaved,
    UpdatePain,
)
from neckcare_desktop.core.spasm_vocabulary import (
    RED_FLAGS,
    TRIGGER_CONTEXT,
    TRIGGERS,
    WARNING_SIGN_CONTEXT,
    WARNING_SIGNS,
)
from neckcare_desktop.ui.inline_form import InlineForm, py_time
from neckcare_desktop.ui.spasm_widgets import (
    _PainField,
    below_tick_boxes,
    edit_formats,
    tick_boxes,
    when_grid,
)

logger = logging.getLogger(__name__)

#: Longest note kept; a note is a reminder to oneself, not a diary.
NOTE_LIMIT = 1000

#: Start choices (stored as radio button ids).
START_NOW, START_TODAY, START_YESTERDAY, START_ON = range(4)


class SpasmDialog(InlineForm):
    """Log a spasm (default) or, via :meth:`for_update`, update or resolve an open one."""

    #: What the person asks to save: a ``LogSpasm``, ``UpdatePain`` or ``ResolveSpasm``.
    submitted = Signal(object)
    #: The saved :class:`Episode`: new, with a new pain score, or resolved.
    saved = Signal(object)
    #: The :class:`Episode` just marked resolved (``saved`` is emitted too).
    resolved = Signal(object)

    def __init__(
        self,
        store: HistoryStore,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        *,
        episode_id: int | None = None,
        at: Callable[[date, time], datetime] | None = None,
    ) -> None:
        """``at(day, time)`` turns a wall-clock time into an aware moment (see
        :meth:`InlineForm.moment`)."""
        super().__init__(now, parent, at=at)
        self.setModal(False)
        self._store = store
        self._episode_id = episode_id
        self._episode: Episode | None = None
        #: The intent submitted last, while the app answers it.
        self._submitted: SpasmIntent | None = None

        self.form_error = self._error_label(self.tr("Problem saving"))
        if episode_id is None:
            self._build_log_form()
        else:
            self._build_update_form(episode_id)

    @classmethod
    def for_update(
        cls,
        store: HistoryStore,
        episode_id: int,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        *,
        at: Callable[[date, time], datetime] | None = None,
    ) -> SpasmDialog:
        """A small dialog to give an open episode a new pain score or mark it resolved."""
        return cls(store, now, parent, episode_id=episode_id, at=at)

    @property
    def is_update(self) -> bool:
        return self._episode_id is not None

    # ------------------------------------------------------------------ building

    def _pain_box(self, title: str) -> QGroupBox:
        box = QGroupBox(title, self)
        self.pain = _PainField(box)
        self.pain_error = self._error_label(self.tr("Problem with the pain score"), reserve=True)
        self.pain.edit.textEdited.connect(lambda _t: self._clear(self.pain_error))
        self.pain.slider.valueChanged.connect(lambda _v: self._clear(self.pain_error))
        pain_layout = QVBoxLayout(box)
        pain_layout.addWidget(self.pain)
        pain_layout.addWidget(self.pain_error)
        return box

    def _build_log_form(self) -> None:
        self.setWindowTitle(self.tr("Log a neck spasm — NeckCare"))
        self.setAccessibleName(self.windowTitle())
        now = self._now()

        intro = QLabel(
            self.tr(
                "Write it down so you can see patterns over time. Only the pain score is "
                "needed; everything else is optional."
            ),
            self,
        )
        intro.setWordWrap(True)

        # -- when
        when_box = QGroupBox(self.tr("When did it start?"), self)
        self.start_group = QButtonGroup(self)
        self.now_radio = QRadioButton(self.tr("&Just now"), when_box)
        self.today_radio = QRadioButton(self.tr("Earlier &today at"), when_box)
        self.yesterday_radio = QRadioButton(self.tr("&Yesterday at"), when_box)
        self.on_radio = QRadioButton(self.tr("O&n"), when_box)
        for button_id, radio in enumerate(
            (self.now_radio, self.today_radio, self.yesterday_radio, self.on_radio)
        ):
            self.start_group.addButton(radio, button_id)
            radio.setAccessibleName(radio.text().replace("&", ""))
        self.now_radio.setChecked(True)
        earlier = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))
        self.today_time = QTimeEdit(QTime(earlier.hour, earlier.minute), when_box)
        self.today_time.setAccessibleName(self.tr("Start time today"))
        self.yesterday_time = QTimeEdit(QTime(now.hour, now.minute), when_box)
        self.yesterday_time.setAccessibleName(self.tr("Start time yesterday"))
        two_days_ago = now - timedelta(days=2)
        self.on_datetime = QDateTimeEdit(
            QDateTime(
                QDate(two_days_ago.year, two_days_ago.month, two_days_ago.day),
                QTime(two_days_ago.hour, two_days_ago.minute),
            ),
            when_box,
        )
        self.on_datetime.setCalendarPopup(True)
        self.on_datetime.setAccessibleName(self.tr("Start date and time"))
        date_format, time_format = edit_formats(self.locale())
        for edit in (self.today_time, self.yesterday_time):
            edit.setDisplayFormat(time_format)
        self.on_datetime.setDisplayFormat(f"{date_format} {time_format}")
        # Touching a time field means that choice: no need to click its radio as well.
        self.today_time.timeChanged.connect(lambda: self.today_radio.setChecked(True))
        self.yesterday_time.timeChanged.connect(lambda: self.yesterday_radio.setChecked(True))
        self.on_datetime.dateTimeChanged.connect(lambda: self.on_radio.setChecked(True))
        self.start_error = self._error_label(self.tr("Problem with the start time"))
        self.start_error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Kept in the grid (below) even while hidden, so a message appearing moves nothing.
        policy = self.start_error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.start_error.setSizePolicy(policy)
        self.start_group.idClicked.connect(lambda _id: self._clear(self.start_error))

        when_grid(
            when_box,
            [
                (self.now_radio, None),
                (self.today_radio, self.today_time),
                (self.yesterday_radio, self.yesterday_time),
                (self.on_radio, self.on_datetime),
            ],
            self.start_error,
            self.fontMetrics().horizontalAdvance("M" * 12),
        )
        self.when_box = when_box

        # -- pain
        pain_box = self._pain_box(self.tr("How strong is the pain?"))

        # -- triggers
        trigger_box = QGroupBox(self.tr("What might have set it off? (optional)"), self)
        self.trigger_boxes = tick_boxes(trigger_box, TRIGGERS, TRIGGER_CONTEXT)

        # -- warning signs
        signs_box = QGroupBox(self.tr("Along with it, did you notice any of these?"), self)
        self.sign_boxes = tick_boxes(signs_box, WARNING_SIGNS, WARNING_SIGN_CONTEXT)
        # A red flag says "get care promptly" the moment it is ticked, before any save,
        # in the dialog itself: it does not wait for (or depend on) the app's message.
        self.seek_care_label = below_tick_boxes(
            signs_box,
            self.tr("If you tick one, NeckCare will suggest talking to a healthcare professional."),
            self.tr("Get medical care promptly"),
        )
        for key in RED_FLAGS:
            self.sign_boxes[key].toggled.connect(
                lambda _on: self._show_if(
                    self.seek_care_label, guidance.seek_care_promptly(self.chosen_warning_signs())
                )
            )

        # -- note
        note_label = QLabel(self.tr("N&ote (optional)"), self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setPlaceholderText(self.tr("Anything you want to remember about it"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 3 + 14)
        note_label.setBuddy(self.note_edit)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save this spasm"))
        self.save_button.setDefault(True)
        # Text buttons both: a standard Cancel would get a style icon that Save lacks.
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName(self.tr("Close without saving"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self._lay_out(
            [
                intro,
                when_box,
                pain_box,
                trigger_box,
                signs_box,
                note_label,
                self.note_edit,
                self.form_error,
            ],
            self.buttons,
        )
        self.setMinimumWidth(520)
        self.pain.edit.setFocus()

    def _build_update_form(self, episode_id: int) -> None:
        self.setWindowTitle(self.tr("Update a neck spasm — NeckCare"))
        self.setAccessibleName(self.windowTitle())
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName(self.tr("The spasm being updated"))
        self.phase_label = QLabel(self)
        self.phase_label.setWordWrap(True)
        self.phase_label.setAccessibleName(self.tr("Suggestion for this phase"))

        pain_box = self._pain_box(self.tr("How strong is the pain now?"))

        self.buttons = QDialogButtonBox(self)
        self.update_button = QPushButton(self.tr("&Save pain"), self)
        self.update_button.setAccessibleName(self.tr("Save the new pain score"))
        self.update_button.setDefault(True)
        self.resolve_button = QPushButton(self.tr("&Mark as resolved"), self)
        self.resolve_button.setAccessibleName(self.tr("Mark this spasm as resolved"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAccessibleName(self.tr("Close without saving"))
        self.buttons.addButton(self.update_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.resolve_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.update_button.clicked.connect(self.save)
        self.resolve_button.clicked.connect(self.resolve)
        self.close_button.clicked.connect(self.reject)

        self._lay_out(
            [self.summary_label, self.phase_label, pain_box, self.form_error], self.buttons
        )
        self.setMinimumWidth(480)
        self._load_episode(episode_id)
        self.pain.edit.setFocus()

    def _load_episode(self, episode_id: int) -> None:
        try:
            episode = self._store.episode(episode_id)
        except HistoryError as exc:
            logger.warning("Could not read spasm episode %d: %s", episode_id, exc)
            self._show_form_error(str(exc))
            episode = None
        self._episode = episode
        if episode is None:
            self.summary_label.setText(self.tr("This spasm is no longer in the history."))
            self.phase_label.hide()
            self._disable_editing()
            return
        summary = self.tr("Spasm since {start}, pain {pain} at the start").format(
            start=self.format_time(episode.started_at), pain=episode.pain
        )
        if episode.updates:
            summary += self.tr(", {pain} at the last update").format(pain=episode.latest_pain)
        self.summary_label.setText(summary + ".")
        if not episode.is_open:
            self.phase_label.setText(self.tr("This spasm is already marked as resolved."))
            self._disable_editing()
            return
        current = guidance.phase(episode, self._now())
        line = guidance.status_line(current)
        self.phase_label.setText(line[:1].upper() + line[1:] + "." if line else "")
        self.phase_label.setVisible(bool(line))

    def _disable_editing(self) -> None:
        self.pain.setEnabled(False)
        self.update_button.setEnabled(False)
        self.resolve_button.setEnabled(False)

    # ------------------------------------------------------------------ reading the form

    def start_choice(self) -> int:
        return self.start_group.checkedId()

    def started_at(self, now: datetime) -> datetime:
        """The aware start moment the form describes."""
        choice = self.start_choice()
        if choice == START_TODAY:
            return self.moment(now.date(), py_time(self.today_time.time()))
        if choice == START_YESTERDAY:
            return self.moment(now.date() - timedelta(days=1), py_time(self.yesterday_time.time()))
        if choice == START_ON:
            value = self.on_datetime.dateTime()
            day = value.date()
            return self.moment(date(day.year(), day.month(), day.day()), py_time(value.time()))
        return now

    def chosen_triggers(self) -> list[str]:
        return [key for key, box in self.trigger_boxes.items() if box.isChecked()]

    def chosen_warning_signs(self) -> list[str]:
        return [key for key, box in self.sign_boxes.items() if box.isChecked()]

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()[:NOTE_LIMIT]

    # ------------------------------------------------------------------ validation

    def _pain_message(self, problem: EpisodeProblem) -> str:
        if problem is EpisodeProblem.PAIN_MISSING:
            return self.tr("Choose how strong the pain is, from 0 (no pain) to 10 (worst).")
        return self.tr(
            'The pain score must be a whole number from 0 to 10; "{text}" is not.'
        ).format(text=self.pain.text())

    def _start_message(self, problem: EpisodeProblem, started_at: datetime) -> str:
        if problem is EpisodeProblem.START_IN_FUTURE:
            return self.tr(
                "The start, {when}, is later than now. Choose a time that has already passed."
            ).format(when=self.format_time(started_at))
        return self.tr(
            "The start, {when}, is more than a year ago. Choose a date within the last year."
        ).format(when=self.format_time(started_at))

    def validate(self) -> bool:
        """Show every problem inline next to its field; True when the form can be saved."""
        self._clear(self.pain_error)
        self._clear(self.form_error)
        now = self._now()
        pain = self.pain.value_to_check()
        first_bad: QWidget | None = None
        first_message: QLabel | None = None
        if self.is_update:
            problems = pain_problems(pain)
        else:
            self._clear(self.start_error)
            started_at = self.started_at(now)
            problems = episode_problems(started_at, pain, now)
            start_problems = [
                p
                for p in problems
                if p in (EpisodeProblem.START_IN_FUTURE, EpisodeProblem.START_TOO_OLD)
            ]
            if start_problems:
                self._show(self.start_error, self._start_message(start_problems[0], started_at))
                first_bad = self._start_field()
                first_message = self.start_error
        pain_bad = [
            p
            for p in problems
            if p in (EpisodeProblem.PAIN_MISSING, EpisodeProblem.PAIN_OUT_OF_RANGE)
        ]
        if pain_bad:
            self._show(self.pain_error, self._pain_message(pain_bad[0]))
            first_bad = first_bad or self.pain.edit
            first_message = first_message or self.pain_error
        if first_bad is not None and first_message is not None:
            first_bad.setFocus()
            self._reveal(first_message)
            return False
        return True

    def _start_field(self) -> QWidget:
        return {
            START_TODAY: self.today_time,
            START_YESTERDAY: self.yesterday_time,
            START_ON: self.on_datetime,
        }.get(self.start_choice(), self.now_radio)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        """Validate, then submit the spasm (or the new pain score); closes once saved."""
        if not self.validate():
            return
        pain = self.pain.value()
        assert pain is not None  # validate() guarantees it
        if self.is_update:
            assert self._episode is not None
            self._submit(UpdatePain(self._episode.id, pain))
            return
        self._submit(
            LogSpasm(
                self.started_at(self._now()),
                pain,
                tuple(self.chosen_triggers()),
                tuple(self.chosen_warning_signs()),
                self.note() or None,
            )
        )

    def resolve(self) -> None:
        """Submit "resolved" (with a typed pain score, saved first); closes once saved."""
        if self._episode is None:
            return
        self._clear(self.form_error)
        if self.pain.text() and not self.validate():
            return
        pain = self.pain.value() if self.pain.text() else None
        self._submit(ResolveSpasm(self._episode.id, pain))

    def _submit(self, intent: SpasmIntent) -> None:
        self._submitted = intent
        self.submitted.emit(intent)

    def show_saved(self, saved: SpasmSaved) -> None:
        """The app saved what was submitted: say so to whoever listens, and close."""
        self._submitted = None
        self.saved.emit(saved.episode)
        if saved.resolved:
            self.resolved.emit(saved.episode)
        self.accept()

    def show_not_saved(self, reason: str) -> None:
        """The history refused it: say why in the form, which stays as it was."""
        intent, self._submitted = self._submitted, None
        if isinstance(intent, ResolveSpasm):
            logger.warning("Could not mark spasm %d resolved: %s", intent.episode_id, reason)
        else:
            logger.warning("Could not save the spasm: %s", reason)
        self._show_form_error(self.tr("Not saved. {reason}").format(reason=reason))

    # ------------------------------------------------------------------ text

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Dates in the summary follow the widget's locale; re-word them when it changes.
        if (
            event.type() == QEvent.Type.LocaleChange
            and self.is_update
            and self._episode is not None
        ):
            self._load_episode(self._episode.id)
