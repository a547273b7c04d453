"""The person's exercise file on disk: read at start, written when the Exercises tab asks.

The tab only says what the person wants (core.exercise_library's intents); core checks
it; this writes ``exercises.toml`` (and the pictures an imported file brings) with
core.atomic_file, so an editor or a crash never sees half a file, and hands the breaks
the new list at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from neckcare_desktop.core.atomic_file import write_atomically
from neckcare_desktop.core.exercise_format import ExerciseFileError
from neckcare_desktop.core.exercise_library import (
    EXERCISES_FILE_NAME,
    ExerciseIntent,
    ExerciseLibrary,
    ImportExercises,
    changed_library,
    parse_exercises,
    render_exercises,
)
from neckcare_desktop.core.stretches import Stretch, default_stretches

if TYPE_CHECKING:
    from neckcare_desktop.core.engine import Engine
    from neckcare_desktop.ui.settings_dialog import SettingsDialog

logger = logging.getLogger(__name__)


def exercises_file(config_dir: Path) -> Path:
    return config_dir / EXERCISES_FILE_NAME


def read_library(
    config_dir: Path, builtins: list[Stretch] | None = None
) -> tuple[ExerciseLibrary, str | None]:
    """The person's library, and a problem with their file (then only the built-ins).

    The problem is said for the person: the file, the line and what is wrong (the
    ExerciseFileError text), then that the built-ins serve meanwhile and the file is left
    as it is. Nothing here ever writes the file.
    """
    builtins = default_stretches() if builtins is None else builtins
    path = exercises_file(config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ExerciseLibrary(tuple(builtins)), None
    except (OSError, UnicodeDecodeError) as exc:
        logger.info("could not read %s: %s", path, exc)
        reason = getattr(exc, "strerror", None) or exc
        return ExerciseLibrary(tuple(builtins)), _problem_text(
            QCoreApplication.translate("ExerciseFiles", "Could not read {path}: {reason}").format(
                path=path, reason=reason
            )
        )
    try:
        library = parse_exercises(
            text,
            builtins,
            picture_exists=None,  # a missing picture only hides the picture
            image_root=str(config_dir),
        )
    except ExerciseFileError as exc:
        logger.info("%s has a problem, using the built-in exercises: %s", path, exc)
        return ExerciseLibrary(tuple(builtins)), _problem_text(f"{path}: {exc}")
    return library, None


def _problem_text(problem: str) -> str:
    return (
        problem
        + "\n"
        + QCoreApplication.translate(
            "ExerciseFiles",
            "Until it is fixed, breaks use the built-in exercises. NeckCare leaves your file "
            "as it is; it reads it again when you open Settings or start NeckCare.",
        )
    )


def load_at_start(config_dir: Path) -> tuple[list[Stretch], str | None]:
    """What breaks draw from at start (every exercise switched on), and a problem with
    the person's file to tell them about (then the built-ins only)."""
    library, problem = read_library(config_dir)
    return library.active(), problem


class ExerciseFiles(QObject):
    """Carries out the Exercises tab's intents: check (core), write, tell the breaks."""

    #: The library as saved now.
    changed = Signal(object)
    #: A refusal or a failure to write, in a sentence for the person.
    refused = Signal(str)
    #: Something went well (an import): a sentence for the person.
    done = Signal(str)

    def __init__(self, config_dir: Path, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dir = config_dir
        self._engine = engine
        self.library, self.problem = read_library(config_dir)
        #: The exercises the last import brought (for the sentence saying how many).
        self._last_imported: tuple[Stretch, ...] = ()

    def apply(self, intent: ExerciseIntent) -> None:
        if self.problem is not None:
            # Saving now would write the built-ins over the person's own exercises.
            self.refused.emit(
                QCoreApplication.translate(
                    "ExerciseFiles",
                    "Nothing was changed: NeckCare does not write over {file} while it has "
                    "a problem, so that nothing in it is lost. Fix it in a text editor, then "
                    "open Settings again.",
                ).format(file=exercises_file(self._dir))
                + "\n"
                + self.problem
            )
            return
        try:
            if isinstance(intent, ImportExercises):
                new = self._imported(Path(intent.path))
                self._write(new, Path(intent.path).parent)
            else:
                self._write(changed_library(self.library, intent), None)
        except ExerciseFileError as exc:
            self.refused.emit(str(exc))
            return
        except OSError as exc:
            logger.info("could not save the exercises: %s", exc)
            self.refused.emit(
                QCoreApplication.translate(
                    "ExerciseFiles", "Could not save {path}: {reason}"
                ).format(path=exercises_file(self._dir), reason=exc.strerror or exc)
            )
            return
        self.library, self.problem = read_library(self._dir, list(self.library.builtins))
        rotation = self._engine.stretches
        if rotation is not None:
            rotation.replace(self.library.active())
        self.changed.emit(self.library)
        if isinstance(intent, ImportExercises):
            count = len(self._last_imported)
            self.done.emit(
                # Right in English for any count with no English translation file ("1
                # exercise(s)" read wrong); %n still gives other languages their plurals.
                QCoreApplication.translate(
                    "ExerciseFiles", "Exercises imported from {file}: %n.", "", count
                ).format(file=Path(intent.path).name)
            )

    def _imported(self, path: Path) -> ExerciseLibrary:
        """Read a sent file whole: any problem refuses all of it."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ExerciseFileError(
                QCoreApplication.translate(
                    "ExerciseFiles", "Could not read {path}: {reason}"
                ).format(path=path, reason=getattr(exc, "strerror", None) or exc)
            ) from exc
        sent = parse_exercises(
            text,
            list(self.library.builtins),
            picture_exists=lambda name: (path.parent / name).is_file(),
            image_root=str(path.parent),
        )
        self._last_imported = sent.own
        return self.library.imported(sent)

    def _write(self, library: ExerciseLibrary, pictures_from: Path | None) -> None:
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if pictures_from is not None:
            # Pictures first: the file never names a picture that is not there yet.
            for source, name in library.pictures_to_copy:
                write_atomically(self._dir / name, (pictures_from / source).read_bytes())
        write_atomically(exercises_file(self._dir), render_exercises(library).encode("utf-8"))
        logger.info("saved %d exercises of the person's own", len(library.own))


def connect_exercises_tab(dialog: SettingsDialog, config_dir: Path, engine: Engine) -> None:
    """Give the Settings dialog its Exercises tab, wired to a writer living with it."""
    files = ExerciseFiles(config_dir, engine, dialog)
    rotation = engine.stretches
    if rotation is not None and files.problem is None:
        # A file edited by hand since the start takes effect now too.
        rotation.replace(files.library.active())
    tab = dialog.add_exercises_tab(files.library, files.problem)
    tab.intent.connect(files.apply)
    files.changed.connect(tab.show_library)
    files.refused.connect(tab.show_problem)
    files.done.connect(tab.show_message)
