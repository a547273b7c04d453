"""The clinician report in words: its HTML (for Qt's ``QTextDocument``) and its paper size.

Pure Python (no Qt): :mod:`neckcare_desktop.report_pdf` renders what this writes. Kept
apart so the wording, the summarising rules and the paper rule are tested without fonts.

Why the report summarises: it is meant to be read in a ten-minute appointment, so it keeps
to two pages. :data:`DETAILS` are the ways to say less, from "everything, day by day" to
"weekly figures and the latest spasms only"; the renderer takes the first that fits and
every cut is said in the report itself, with where to find the rest (the CSV export).

Every text here is the person's own language (core.i18n ``translate``, context
"Report"); dates are written as the rest of the app writes them (``Dates`` context,
short month and weekday names), never with ``strftime``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from neckcare_desktop.core.history.habits import whole_minutes
from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, month_short, translate
from neckcare_desktop.core.report import (
    PERIODS,
    Period,
    ReportData,
    ReportRange,
    SpasmEntry,
    minutes_add_up,
    periods,
)
from neckcare_desktop.core.report_dates import (
    day_text,
    moment_text,
    period_text,
    short_moment,
)

Paper = Literal["a4", "letter"]

#: The report's title (and the PDF's), context "Report".
TITLE: Final = QT_TRANSLATE_NOOP("Report", "Neck spasms, ice and heat, and breaks")

#: Territories whose paper is US Letter (CLDR's paperSize data): the rest of the world
#: uses A4. ISO 3166 codes, as ``QLocale.territoryToCode`` gives them.
LETTER_TERRITORIES: Final = frozenset(
    {"US", "CA", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV", "VE"}
)


def paper_for(territory: str, us_measurements: bool = False) -> Paper:
    """US Letter where it is the usual paper (a Letter territory, or a locale measuring in
    US units), A4 everywhere else, the C locale included."""
    if us_measurements or territory.upper() in LETTER_TERRITORIES:
        return "letter"
    return "a4"


@dataclass(frozen=True)
class Detail:
    """How much the report says; each later entry of :data:`DETAILS` says less."""

    #: A table of periods (days, weeks, months, years) has at most this many rows: the
    #: shortest period that fits is used (ice and heat by day only up to this many days).
    max_rows: int
    #: At most this many spasms (the latest), None for all.
    max_spasms: int | None
    #: At most this many notes (the latest), None for all.
    max_notes: int | None
    #: A longer note is cut at this many characters.
    note_chars: int
    #: At most this many pain values per spasm (the first and the latest), None for all.
    max_pain_values: int | None
    font_pt: float


DETAILS: Final[tuple[Detail, ...]] = (
    Detail(31, None, None, 600, None, 9.5),
    Detail(16, None, None, 600, None, 9.5),
    Detail(16, 20, 10, 300, 8, 9.0),
    Detail(14, 12, 6, 200, 6, 8.5),
    Detail(12, 6, 3, 160, 4, 8.0),
)


def table_period(rng: ReportRange, max_rows: int, shortest: Period = "day") -> Period:
    """The shortest period from ``shortest`` on whose rows over ``rng`` fit ``max_rows``
    (a year per row at the very least)."""
    allowed = PERIODS[PERIODS.index(shortest) :]
    for period in allowed:
        if len(periods(rng, period)) <= max_rows:
            return period
    return "year"


#: Said under a table grouped by a longer period than the report's usual one.
_PERIOD_NOTES: Final[dict[Period, str]] = {
    "week": QT_TRANSLATE_NOOP(
        "Report", "Shown per week (Monday to Sunday) to keep this report to two pages."
    ),
    "month": QT_TRANSLATE_NOOP("Report", "Shown per month to keep this report to two pages."),
    "year": QT_TRANSLATE_NOOP("Report", "Shown per year to keep this report to two pages."),
}


# -- the document ------------------------------------------------------------------------------


def _period_header(period: Period) -> str:
    headers = {
        "day": translate("Report", "Day"),
        "week": translate("Report", "Week"),
        "month": translate("Report", "Month"),
        "year": translate("Report", "Year"),
    }
    return headers[period]


def footer_text() -> str:
    """The line at the foot of every page."""
    return translate("Report", "Recorded by the person with NeckCare Desktop; not a diagnosis")


def page_text(page: int, pages: int) -> str:
    return translate("Report", "Page {page} of {pages}").format(page=page, pages=pages)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


_STYLE = """
h1 { font-size: 15pt; font-weight: bold; margin-bottom: 2px; }
h2 { font-size: 11.5pt; font-weight: bold; margin-top: 12px; margin-bottom: 4px; }
p { margin-top: 0; margin-bottom: 4px; }
p.small { font-size: small; color: #333333; }
th { background-color: #e8e8e8; font-weight: bold; text-align: left; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: bold; }
"""


class _Writer:
    def __init__(self, data: ReportData, detail: Detail, number: Callable[[int], str]) -> None:
        self.data = data
        self.detail = detail
        self.n = number
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def table(
        self,
        headers: list[tuple[str, bool]],
        rows: list[tuple[list[str], str]],
        widths: tuple[int, ...] = (),
    ) -> None:
        """``headers``: (text, numeric); ``rows``: (escaped cells, row class); ``widths``:
        each column's share of the page in percent (0, or none given: as wide as its
        content needs)."""
        self.add(
            '<table width="100%" border="1" cellspacing="0" cellpadding="3" '
            'style="border-collapse: collapse; border-color: #999999;">'
        )
        # <thead>: Qt repeats the header row at the top of the next page.
        self.add(
            "<thead><tr>"
            + "".join(
                f'<th class="{"num" if num else ""}"'
                + (f' width="{widths[i]}%"' if widths and widths[i] else "")
                + f">{_e(h)}</th>"
                for i, (h, num) in enumerate(headers)
            )
            + "</tr></thead>"
        )
        for cells, cls in rows:
            self.add(
                f'<tr class="{cls}">'
                + "".join(
                    f'<td class="{"num" if headers[i][1] else ""}">{c}</td>'
                    for i, c in enumerate(cells)
                )
                + "</tr>"
            )
        self.add("</table>")

    # -- sections

    def spasms(self) -> None:
        self.heading(translate("Report", "Neck spasms"))
        spasms = list(self.data.spasms)
        if not spasms:
            self.para(translate("Report", "No spasm was logged in these days."))
            return
        limit = self.detail.max_spasms
        shown = spasms if limit is None else spasms[-limit:]
        rows = [(self._spasm_cells(s), "") for s in shown]
        self.table(
            [
                (translate("Report", "Started"), False),
                (translate("Report", "Pain (0–10) over time"), False),
                (translate("Report", "Possible triggers"), False),
                (translate("Report", "Warning signs noted"), False),
                (translate("Report", "Resolved"), False),
            ],
            rows,
            (15, 29, 20, 21, 15),
        )
        said = []
        if len(shown) < len(spasms):
            said.append(
                translate(
                    "Report",
                    "The latest {shown} of {total} spasms are listed, to keep this report to two "
                    "pages; History → Export CSV… has every one.",
                ).format(shown=len(shown), total=len(spasms))
            )
        limit = self.detail.max_pain_values
        if limit is not None and any(len(s.pain) > limit for s in shown):
            said.append(
                translate(
                    "Report",
                    "A spasm with more than {n} pain values shows the first and the latest "
                    "ones (… marks the gap).",
                ).format(n=limit)
            )
        if said:
            self._small(" ".join(said))

    def _years(self) -> bool:
        """Whether the spasm table's dates need their year (not all in the range's last)."""
        year = self.data.range.last_day.year
        return any(
            s.started_at.year != year or (s.resolved_at and s.resolved_at.year != year)
            for s in self.data.spasms
        )

    def _spasm_cells(self, s: SpasmEntry) -> list[str]:
        years = self._years()

        def when(at: datetime) -> str:
            # No-break spaces: a narrow column never splits a date; with its year, the
            # time goes under it.
            day = day_text(at.date()) if years else f"{at.day} {month_short(at.date())}"
            time = f"{at.hour:02d}:{at.minute:02d}"
            return _e(day).replace(" ", "\u00a0") + ("<br>" if years else "\u00a0") + time

        first, *later = s.pain
        limit = self.detail.max_pain_values
        cut = limit is not None and len(later) > limit - 1
        if limit is not None and cut:
            later = later[len(later) - (limit - 1) :] if limit > 1 else []
        pain = str(first.pain) + (" → …" if cut else "")
        pain += "".join(f" → {p.pain} ({_e(short_moment(p.at))})" for p in later)
        none = "—"
        return [
            when(s.started_at),
            pain,
            _e(", ".join(s.triggers)) or none,
            _e(", ".join(s.warning_signs)) or none,
            when(s.resolved_at) if s.resolved_at else _e(translate("Report", "not yet")),
        ]

    def rounds(self) -> None:
        self.heading(translate("Report", "Ice and heat"))
        data = self.data
        if not data.rounds:
            self.para(translate("Report", "No ice or heat round was recorded in these days."))
            return
        period = table_period(data.range, self.detail.max_rows)
        shown = data.rounds_by(period)
        rows = [
            (
                [
                    _e(period_text(r.first_day, r.last_day, period)),
                    self._rounds_text(r.ice_rounds, r.ice_seconds, r.ice_numb),
                    self._rounds_text(r.heat_rounds, r.heat_seconds),
                ],
                "",
            )
            for r in shown
        ]
        rows.append(
            (
                [
                    _e(translate("Report", "All days")),
                    self._rounds_text(data.ice_rounds, data.ice_seconds, data.ice_numb),
                    self._rounds_text(data.heat_rounds, data.heat_seconds),
                ],
                "total",
            )
        )
        self.table(
            [
                (_period_header(period), False),
                (translate("Report", "Ice"), True),
                (translate("Report", "Heat"), True),
            ],
            rows,
            (24, 38, 38),
        )
        how = [
            translate(
                "Report",
                "Minutes the pack was on. A round cancelled in its first minutes is not "
                "counted; an ice session of 10 min on, 10 off, 10 on is one round.",
            )
        ]
        if not minutes_add_up(shown):
            how.append(
                translate(
                    "Report",
                    "Each figure is rounded to the nearest minute from the exact times, so "
                    "the rows may not add up to the total exactly.",
                )
            )
        if period != "day":
            how.append(translate("Report", _PERIOD_NOTES[period]))
        self._small(" ".join(how))

    def _rounds_text(self, rounds: int, seconds: int, numb: int = 0) -> str:
        """ "2 rounds, 17 min" ("under 1 min" when the pack was on less than a minute,
        never "0 min"), and on a line of its own how many of the ice rounds were stopped
        because the skin went numb."""
        lines = []
        if rounds:
            if seconds < 60:
                text = (
                    translate("Report", "1 round, under 1 min")
                    if rounds == 1
                    else translate("Report", "{n} rounds, under 1 min")
                )
            else:
                text = (
                    translate("Report", "1 round, {minutes} min")
                    if rounds == 1
                    else translate("Report", "{n} rounds, {minutes} min")
                )
            lines.append(text.format(n=self.n(rounds), minutes=self.n(whole_minutes(seconds))))
        if numb:
            text = (
                translate("Report", "1 stopped early: skin went numb")
                if numb == 1
                else translate("Report", "{n} stopped early: skin went numb")
            )
            lines.append(text.format(n=self.n(numb)))
        cells = [_e(line) for line in lines]
        if len(cells) > 1:
            # In the weight of a plain row, also in the bold total: it fits its column.
            cells[1] = f'<span style="font-weight: normal;">{cells[1]}</span>'
        return "<br>".join(cells) or "—"

    def breaks(self) -> None:
        period = table_period(self.data.range, self.detail.max_rows, "week")
        self.heading(
            translate("Report", "Breaks, per week")
            if period == "week"
            else translate("Report", "Breaks")
        )
        rows = []
        for w in self.data.breaks_by(period):
            percent = w.percent
            rows.append(
                (
                    [
                        _e(period_text(w.first_day, w.last_day, period)),
                        self.n(w.taken),
                        self.n(w.due),
                        "—"
                        if percent is None
                        else _e(translate("Report", "{percent}%").format(percent=percent)),
                    ],
                    "",
                )
            )
        self.table(
            [
                (_period_header(period), False),
                (translate("Report", "Taken"), True),
                (translate("Report", "Due"), True),
                (translate("Report", "Taken of due"), True),
            ],
            rows,
            (40, 20, 20, 20),
        )
        how = [
            translate(
                "Report",
                "Taken: done at the reminder, or away from the computer for as long as the "
                "break. Due: taken plus skipped; a postponed break counts once, when it ends.",
            )
        ]
        if period != "week":
            how.append(translate("Report", _PERIOD_NOTES[period]))
        self._small(" ".join(how))

    def notes(self) -> None:
        notes = list(self.data.notes)
        if not notes:
            return
        self.heading(translate("Report", "Notes written with the spasms"))
        limit = self.detail.max_notes
        shown = notes if limit is None else notes[-limit:]
        cut = False
        for note in shown:
            text = note.text
            if len(text) > self.detail.note_chars:
                head = text[: self.detail.note_chars]
                # At a word's end when there is one in the second half: "A lon…" reads badly.
                if " " in head[len(head) // 2 :]:
                    head = head.rsplit(" ", 1)[0]
                text = head.rstrip() + "…"
                cut = True
            when = moment_text(note.at, note.at.year != self.data.range.last_day.year)
            body = _e(text).replace("\n", "<br>")
            self.add(f"<p><b>{_e(when)}</b>: {body}</p>")
        said = []
        if len(shown) < len(notes):
            said.append(
                translate(
                    "Report",
                    "The latest {shown} of {total} notes are shown; History → Export CSV… "
                    "has every one.",
                ).format(shown=len(shown), total=len(notes))
            )
        if cut:
            said.append(
                translate(
                    "Report",
                    "A long note ends with … where it was cut; History → Export CSV… has it whole.",
                )
            )
        if said:
            self._small(" ".join(said))

    def extras(self) -> None:
        for section in self.data.extra_sections:
            self.heading(section.title)
            numeric = section.numeric or (False,) * len(section.headers)
            self.table(
                list(zip(section.headers, numeric, strict=True)),
                [([_e(c) for c in row], "") for row in section.rows],
                section.widths,
            )
            if section.note:
                self._small(section.note)

    def heading(self, text: str) -> None:
        self.add(f"<h2>{_e(text)}</h2>")

    def para(self, text: str) -> None:
        self.add(f"<p>{_e(text)}</p>")

    def _small(self, text: str) -> None:
        self.add(f'<p class="small">{_e(text)}</p>')


def report_html(
    data: ReportData,
    detail: Detail = DETAILS[0],
    *,
    made_on: date,
    number: Callable[[int], str] = str,
) -> str:
    """The whole report as HTML for ``QTextDocument``; ``number`` writes a count in the
    person's locale (digit grouping)."""
    rng = data.range
    w = _Writer(data, detail, number)
    w.add(f"<html><head><style>{_STYLE}</style></head><body>")
    w.add("<h1>" + _e(translate("Report", TITLE)) + "</h1>")
    w.add(
        "<p><b>"
        + _e(
            translate("Report", "{first} to {last} ({days} days)").format(
                first=day_text(rng.first_day), last=day_text(rng.last_day), days=rng.days
            )
        )
        + "</b> · "
        + _e(translate("Report", "made on {day}").format(day=day_text(made_on)))
        + "</p>"
    )
    w._small(
        translate(
            "Report",
            "What the person logged in NeckCare Desktop, as they logged it. The figures stand "
            "side by side; they do not show what caused what.",
        )
    )
    w.spasms()
    w.rounds()
    w.breaks()
    w.extras()
    w.notes()
    w.add("</body></html>")
    return "\n".join(w.parts)
