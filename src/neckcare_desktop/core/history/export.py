"""The one way history leaves the computer: a CSV export the person asks for.

Why one file with a ``record`` column: one header row and ``record`` (``event`` or
``episode``) keep it a single valid CSV that ``csv.DictReader`` or a spreadsheet reads in
one go. Rows are streamed from the cursor so a years-long history never sits in memory,
and times are exported exactly as recorded (ISO 8601 with their offset).
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from neckcare_desktop.core.history.connection import HistoryFile
from neckcare_desktop.core.history.errors import HistoryError
from neckcare_desktop.core.history.events import EVENT_COLUMNS, SELECT_COLUMNS
from neckcare_desktop.core.i18n import translate

logger = logging.getLogger(__name__)

#: Column order of the CSV export. The first seven are the schema-1 export unchanged, so
#: a spreadsheet or script written against it keeps working; ``record`` says whether a
#: row is an ``event`` or a spasm ``episode`` (for which ``at`` is when it started and
#: ``pain`` the pain logged at the start).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "kind",
    "subject",
    "planned_seconds",
    "actual_seconds",
    "note",
    "record",
    "episode_id",
    "pain",
    "triggers",
    "warning_signs",
    "resolved_at",
)


class ExportCounts(NamedTuple):
    events: int
    episodes: int

    @property
    def total(self) -> int:
        return self.events + self.episodes


class CsvExport(HistoryFile):
    """Writing the whole history, events then episodes, as one CSV."""

    def export_csv(self, out: Path | str | TextIO) -> int:
        """Write every event, then every spasm episode, as one UTF-8 CSV; return the row count.

        One header row and a ``record`` column (``event``/``episode``) keep it a single
        valid CSV that ``csv.DictReader`` or a spreadsheet reads in one go. Rows are
        streamed from the cursor so a years-long history never sits in memory. Times are
        exported exactly as recorded (ISO 8601 with their offset).
        """
        return self.export(out).total

    def export(self, out: Path | str | TextIO) -> ExportCounts:
        """Like :meth:`export_csv`, but says how many events and episodes were written."""
        if isinstance(out, str | os.PathLike):
            with csv_file(Path(out)) as fh:
                counts = self._write_csv(fh)
            log_export(counts, Path(out))
            return counts
        return self._write_csv(out)

    def _write_csv(self, fh: TextIO) -> ExportCounts:
        writer = csv.DictWriter(fh, CSV_COLUMNS, restval="")
        writer.writeheader()
        events = episodes = 0

        def cells(**values: Any) -> dict[str, Any]:
            return {k: "" if v is None else v for k, v in values.items()}

        try:
            for row in self._db.execute(
                f"SELECT {SELECT_COLUMNS} FROM events ORDER BY at_utc ASC, id ASC"
            ):
                writer.writerow(cells(record="event", **dict(zip(EVENT_COLUMNS, row, strict=True))))
                events += 1
            for id_, started_at, note, pain, triggers, signs, resolved_at in self._db.execute(
                "SELECT id, started_at, note, pain, triggers, warning_signs, resolved_at "
                "FROM episodes ORDER BY started_utc ASC, id ASC"
            ):
                writer.writerow(
                    cells(
                        record="episode",
                        id=id_,
                        at=started_at,
                        note=note,
                        episode_id=id_,
                        pain=pain,
                        triggers=triggers,
                        warning_signs=signs,
                        resolved_at=resolved_at,
                    )
                )
                episodes += 1
        except sqlite3.Error as exc:
            raise self._sql_failed("read", exc) from exc
        return ExportCounts(events, episodes)


@contextlib.contextmanager
def csv_file(target: Path) -> Iterator[TextIO]:
    """``target`` opened for a CSV export; a failure to write it is a HistoryError that
    says what to do (the person chose the place)."""
    try:
        with target.open("w", encoding="utf-8", newline="") as fh:
            yield fh
    except OSError as exc:
        raise HistoryError(
            translate(
                "History",
                "Could not write the CSV file {path}: {reason}. "
                "Choose a folder that exists and that you can write to.",
            ).format(path=target, reason=exc.strerror or exc)
        ) from exc


def log_export(counts: ExportCounts, target: Path) -> None:
    logger.info(
        "Exported %d history events and %d episodes to %s", counts.events, counts.episodes, target
    )
