"""The clinician report as a PDF: the known history's figures, read back with pdftotext.

What a clinician would read is checked on the PDF itself (``pdftotext -layout``,
``pdfinfo``, from poppler-utils): the date range, each spasm with its pain values, minutes
per day, breaks per week, the notes, the footer on every page, one or two pages, in
English and in Spanish. Page 1 is rendered to PNG (``pdftoppm``) into the e2e artifacts
folder, to be looked at.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from conftest import TEST_TZ
from neckcare_desktop import cli_i18n
from neckcare_desktop.core import i18n
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.core.report import build_report, last_days
from neckcare_desktop.report_html import DETAILS, paper_for, period_text, table_period
from neckcare_desktop.report_pdf import (
    ReportError,
    locale_paper,
    render_report,
    write_report,
)
from neckcare_desktop.resources import resource_path
from test_report import NOW, known_history

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed",
)

REPO = Path(__file__).resolve().parents[1]
FOOTER = "Recorded by the person with NeckCare Desktop; not a diagnosis"
ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.replace("\u00a0", " ")


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]  # pdftotext ends every page with a form feed


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def known_pdf(qapp, history: HistoryStore, tmp_path: Path) -> Path:
    data = build_report(known_history(history), last_days(NOW, 30))
    target = tmp_path / "report.pdf"
    write_report(data, target, made_on=NOW.date(), paper="a4", locale=ENGLISH)
    return target


def test_the_report_holds_the_known_figures(known_pdf: Path):
    text = pdf_text(known_pdf)
    flat = squeeze(text)
    assert "Neck spasms, ice and heat, and breaks" in flat
    assert "1 Feb 2026 to 2 Mar 2026 (30 days) · made on 2 Mar 2026" in flat
    # Each spasm: start, every pain value with its time, triggers, warning signs, resolved.
    assert re.search(r"10 Feb 08:30\s+7 → 5 \(11 Feb 12:00\) → 3", text)
    assert "(12 Feb 19:45)" in text
    assert re.search(r"20 Jan 07:15\s+6\s+Awkward sleep\s+—\s+3 Feb 09:00", text)
    assert re.search(r"28 Feb 21:10\s+8\s+—\s+Numbness or\s+not yet", text)
    assert "Posture at the" in text and "Headache" in text and "13 Feb 10:00" in text
    assert "5 Jan" not in text  # over before the range
    # Ice and heat per day, minutes on; the total.
    assert re.search(r"Wed 11 Feb\s+2 rounds, 17 min\s+1 round, 15 min", text)
    assert re.search(r"Thu 12 Feb\s+1 round, 20 min\s+—", text)
    assert re.search(r"Sat 28 Feb\s+—\s+1 round, 25 min", text)
    assert re.search(r"All days\s+3 rounds, 37 min\s+2 rounds, 40 min", text)
    assert "Sat 31 Jan" not in text
    # Breaks taken of due, per week.
    for row in (
        r"Sun 1 Feb\s+0\s+0\s+—",
        r"Mon 2 Feb – Sun 8 Feb\s+4\s+5\s+80%",
        r"Mon 9 Feb – Sun 15 Feb\s+2\s+4\s+50%",
        r"Mon 16 Feb – Sun 22 Feb\s+0\s+0\s+—",
        r"Mon 23 Feb – Sun 1 Mar\s+1\s+1\s+100%",
        r"Mon 2 Mar\s+0\s+1\s+0%",
    ):
        assert re.search(row, text), row
    # Exercises in the breaks (issue 19), per week.
    assert "Exercises in the breaks" in flat
    assert re.search(r"Mon 23 Feb – Sun 1 Mar\s+3\s+2\s+1\s+Chin tucks \(2\), Shoulder", text)
    # The person's notes, as written.
    assert "Tue 10 Feb 08:30: Woke up stiff;" in flat and "worse turning left" in flat
    assert "Sat 28 Feb 21:10: Could not sleep" in flat


def test_one_or_two_pages_each_with_the_footer(known_pdf: Path):
    info = pdf_info(known_pdf)
    assert info["Pages"] == "1"
    assert "A4" in info["Page size"]
    for page in pdf_pages(known_pdf):
        assert FOOTER in page


def test_no_claim_that_one_figure_causes_another(known_pdf: Path):
    text = squeeze(pdf_text(known_pdf)).lower()
    assert not re.search(r"\b(reduc|improv|prevent|lower|help)\w*", text)
    assert "they do not show what caused what" in text


def test_written_for_this_user_only(known_pdf: Path, history: HistoryStore, tmp_path: Path):
    assert stat.S_IMODE(known_pdf.stat().st_mode) == 0o600
    # Over an existing, readable file too: the new one is 0600, and nothing is left over.
    old = tmp_path / "old.pdf"
    old.write_bytes(b"old")
    old.chmod(0o644)
    write_report(build_report(history, last_days(NOW, 7)), old, made_on=NOW.date())
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert old.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf", "report.pdf"]


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_a_place_that_cannot_be_written_says_why_and_leaves_no_file(
    qapp, history: HistoryStore, tmp_path: Path, where: str
):
    target = tmp_path / "missing" / "report.pdf" if where == "missing folder" else tmp_path
    data = build_report(history, last_days(NOW, 7))
    with pytest.raises(ReportError) as raised:
        write_report(data, target, made_on=NOW.date())
    message = str(raised.value)
    assert message.startswith(f"Could not write the report {target}: ")
    assert message.endswith("Choose a folder that exists and that you can write to.")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no half file, no temp file


# -- paper --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("territory", "us_units", "paper"),
    [
        ("US", False, "letter"),
        ("CA", False, "letter"),
        ("MX", False, "letter"),
        ("ph", False, "letter"),
        ("ES", False, "a4"),
        ("GB", False, "a4"),
        ("DE", False, "a4"),
        ("", False, "a4"),  # the C locale
        ("LR", True, "letter"),  # measures in US units
    ],
)
def test_paper_follows_the_territory(territory: str, us_units: bool, paper: str):
    assert paper_for(territory, us_units) == paper


@pytest.mark.parametrize(
    ("name", "paper"),
    [
        ("en_US", "letter"),
        ("es_MX", "letter"),
        ("fr_CA", "letter"),
        ("en_GB", "a4"),
        ("es_ES", "a4"),
        ("C", "a4"),
    ],
)
def test_paper_of_a_qt_locale(name: str, paper: str):
    assert locale_paper(QLocale(name)) == paper


def test_letter_paper_in_the_pdf(qapp, history: HistoryStore, tmp_path: Path):
    target = tmp_path / "letter.pdf"
    write_report(
        build_report(history, last_days(NOW, 7)), target, made_on=NOW.date(), paper="letter"
    )
    assert "letter" in pdf_info(target)["Page size"].lower()


# -- long histories keep to two pages -----------------------------------------------------------


def busy_history(store: HistoryStore, days: int, spasms: int) -> None:
    """A spasm every few days with four pain values and a long note, ice and heat and
    breaks every day."""
    start = NOW - timedelta(days=days - 1)
    for i in range(spasms):
        when = start + timedelta(days=i * days // spasms, hours=1)
        e = store.log_episode(when, 6, ["stress"], [], "A long note. " * 30, now=NOW)
        for j, pain in enumerate((5, 4, 3)):
            store.update_pain(e.id, pain, when + timedelta(hours=4 * (j + 1)))
        store.resolve_episode(e.id, when + timedelta(hours=20))
    from neckcare_desktop.core.history import EventKind

    for d in range(days):
        day = (start + timedelta(days=d)).replace(hour=10)
        store.record(EventKind.THERAPY_COMPLETED, day, subject="ice", actual_seconds=600)
        store.record(EventKind.THERAPY_COMPLETED, day, subject="heat", actual_seconds=900)
        store.record(EventKind.BREAK_COMPLETED, day, subject="micro")


@pytest.mark.parametrize(("days", "spasms"), [(90, 40), (365, 60)])
def test_a_long_busy_history_keeps_to_two_pages_and_says_what_it_left_out(
    qapp, history: HistoryStore, tmp_path: Path, days: int, spasms: int
):
    busy_history(history, days, spasms)
    target = tmp_path / "long.pdf"
    rendered = write_report(
        build_report(history, last_days(NOW, days)), target, made_on=NOW.date(), locale=ENGLISH
    )
    assert rendered.summarised and rendered.pages == 2
    assert pdf_info(target)["Pages"] == "2"
    pages = pdf_pages(target)
    assert len(pages) == 2 and all(FOOTER in p for p in pages)
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    flat = squeeze(pdf_text(target))
    assert re.search(rf"The latest \d+ of {spasms} spasms are listed", flat)
    if rendered.detail.note_chars < len("A long note. " * 30):
        assert "A long note ends with … where it was cut" in flat
    if rendered.detail.max_pain_values is not None and rendered.detail.max_pain_values < 4:
        assert "6 → … →" in flat and "(… marks the gap)" in flat
    period = "week" if days == 90 else "month"
    assert f"Shown per {period}" in flat
    # The totals are the whole range's, whatever the rows are grouped by.
    assert f"All days {days} rounds, {days * 10:,} min {days} rounds, {days * 15:,} min" in flat


def test_tables_group_by_the_shortest_period_that_fits():
    rng = last_days(NOW, 30)
    assert table_period(rng, 31) == "day" and table_period(rng, 16) == "week"
    assert table_period(rng, 31, "week") == "week"
    assert table_period(last_days(NOW, 365), 16) == "month"
    assert table_period(last_days(NOW, 3650), 12) == "year"
    assert period_text(date(2026, 2, 1), date(2026, 2, 28), "month") == "Feb 2026"
    assert period_text(date(2026, 2, 3), date(2026, 2, 28), "month") == "3 Feb 2026 – 28 Feb 2026"
    assert DETAILS[0].max_spasms is None  # the first try lists everything


# -- in the person's language -------------------------------------------------------------------

SPANISH_REPORT = {
    "Neck spasms, ice and heat, and breaks": "Espasmos de cuello, hielo y calor, y pausas",
    "{first} to {last} ({days} days)": "{first} a {last} ({days} días)",
    "made on {day}": "hecho el {day}",
    "{weekday} {day} {month}": "{weekday} {day} {month}",
    "Recorded by the person with NeckCare Desktop; not a diagnosis": (
        "Registrado por la persona con NeckCare Desktop; no es un diagnóstico"
    ),
    "Page {page} of {pages}": "Página {page} de {pages}",
    "{n} rounds, {minutes} min": "{n} sesiones, {minutes} min",
    "1 round, {minutes} min": "1 sesión, {minutes} min",
    "not yet": "todavía no",
}


@pytest.fixture
def spanish():
    catalog = cli_i18n.read_catalog(resource_path("translations", "neckcare_es.ts"))

    def lookup(context: str, text: str) -> str:
        if context == "Report" and text in SPANISH_REPORT:
            return SPANISH_REPORT[text]
        return catalog.get((context, text), text)

    i18n.install(lookup)
    yield
    i18n.install(None)


def test_in_spanish(qapp, spanish, history: HistoryStore, tmp_path: Path):
    data = build_report(known_history(history), last_days(NOW, 30))
    target = tmp_path / "informe.pdf"
    write_report(data, target, made_on=NOW.date(), locale=QLocale("es_ES"))
    text = pdf_text(target)
    flat = squeeze(text)
    assert "Espasmos de cuello, hielo y calor, y pausas" in flat
    assert "1 feb 2026 a 2 mar 2026 (30 días) · hecho el 2 mar 2026" in flat
    assert re.search(r"10 feb 08:30\s+7 → 5 \(11 feb 12:00\) → 3", text)
    assert re.search(r"mié 11 feb\s+2 sesiones, 17 min\s+1 sesión, 15 min", text)
    assert "todavía no" in text
    assert "Estrés" in flat  # a trigger label from the shipped Spanish catalog
    for page in pdf_pages(target):
        assert "Registrado por la persona con NeckCare Desktop; no es un diagnóstico" in page
        assert "Página 1 de 1" in page


# -- to look at ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_page_one_as_an_image_in_the_artifacts(qapp, history: HistoryStore):
    """Page 1 of the known history's report, rendered as a person sees it, kept with the
    e2e screenshots (``test-artifacts/e2e`` or ``$NECKCARE_ARTIFACTS``)."""
    folder = Path(os.environ.get("NECKCARE_ARTIFACTS") or REPO / "test-artifacts" / "e2e")
    folder.mkdir(parents=True, exist_ok=True)
    data = build_report(known_history(history), last_days(NOW, 30))
    rendered = render_report(data, made_on=NOW.date(), paper="a4", locale=ENGLISH)
    pdf = folder / "report-page1.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(folder / "report-page1"),
        ],
        check=True,
    )
    pdf.unlink()
    png = folder / "report-page1.png"
    assert png.stat().st_size > 10_000  # a page with text on it, not a blank one
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_times_are_as_recorded_and_years_said_when_they_differ(
    qapp, history: HistoryStore, tmp_path: Path
):
    """A spasm logged at 08:30 in another zone still reads 08:30 (as in History); one
    from last year says its year."""
    new_york = timezone(timedelta(hours=-5))
    history.log_episode(datetime(2026, 2, 20, 8, 30, tzinfo=new_york), 4, now=NOW)
    target = tmp_path / "r.pdf"
    write_report(build_report(history, last_days(NOW, 30)), target, made_on=NOW.date())
    assert re.search(r"^ ?20 Feb 08:30\s+4", pdf_text(target), re.M)

    history.log_episode(datetime(2025, 12, 30, 7, 15, tzinfo=TEST_TZ), 5, now=NOW)
    write_report(build_report(history, last_days(NOW, 90)), target, made_on=NOW.date())
    text = pdf_text(target)
    assert re.search(r"^ ?30 Dec 2025\s+5 .*\n ?07:15", text, re.M)
    assert re.search(r"^ ?20 Feb 2026\s+4 .*\n ?08:30", text, re.M)
