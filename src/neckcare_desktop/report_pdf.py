"""The clinician report as a PDF: Qt's own ``QTextDocument`` laid out on ``QPdfWriter`` pages.

No new dependency: the HTML of :mod:`neckcare_desktop.report_html` is laid out by
``QTextDocument`` on the page size of the person's locale (A4, or US Letter where that is
the paper) and painted page by page, with the footer "Recorded by the person with NeckCare
Desktop; not a diagnosis" and the page number on every page.

Why these choices:

* **Two pages at most.** The report is laid out with the fullest detail first and, while
  it runs past two pages, again with less (:data:`report_html.DETAILS`: ice and heat per
  week, then the latest spasms and notes only); the report says what it left out.
* **Written whole, 0600, or not at all.** The PDF is made in memory and written with
  :func:`~neckcare_desktop.core.atomic_file.write_atomically` (a temporary file in the same
  folder, renamed over the target): it holds pain scores, so only this user may read it,
  and a failure (no such folder, no permission, disk full) leaves no half file and is a
  :class:`ReportError` that says why and what to do.
* **Any Qt thread.** Painting into a ``QPdfWriter`` and laying out a ``QTextDocument``
  are allowed off the GUI thread; the History window renders on a ``QThread`` (see
  :mod:`neckcare_desktop.report_jobs`; layout starts Qt timers, which a plain Python
  thread has no event dispatcher for). A ``QGuiApplication`` must exist (fonts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from neckcare_desktop.core.atomic_file import write_atomically
from neckcare_desktop.core.i18n import translate
from neckcare_desktop.core.report import ReportData
from neckcare_desktop.report_html import (
    DETAILS,
    TITLE,
    Detail,
    Paper,
    footer_text,
    page_text,
    paper_for,
    report_html,
)

logger = logging.getLogger(__name__)

#: The report keeps to this many pages (see the module notes).
MAX_PAGES = 2
#: Resolution of the PDF's coordinate system (text and lines stay vectors).
_DPI = 300
_MARGINS_MM = QMarginsF(18, 15, 18, 12)
_FOOTER_PT = 7.5


class ReportError(Exception):
    """The report could not be written; ``str()`` says why and what to do, in words."""


@dataclass(frozen=True)
class RenderedReport:
    """A report made in memory: the PDF's bytes, its pages, and how much it says."""

    pdf: bytes
    pages: int
    paper: Paper
    detail: Detail

    @property
    def summarised(self) -> bool:
        return self.detail != DETAILS[0]


def locale_paper(locale: QLocale | None = None) -> Paper:
    """The paper of ``locale`` (default: the system's, where the printer is, whatever
    language the app speaks)."""
    locale = QLocale.system() if locale is None else locale
    territory = QLocale.territoryToCode(locale.territory())
    us = locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return paper_for(territory, us)


def _writer(device: QIODevice, paper: Paper) -> QPdfWriter:
    writer = QPdfWriter(device)
    writer.setResolution(_DPI)
    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)
    writer.setPageLayout(
        QPageLayout(
            size, QPageLayout.Orientation.Portrait, _MARGINS_MM, QPageLayout.Unit.Millimeter
        )
    )
    writer.setTitle(translate("Report", TITLE))
    writer.setCreator("NeckCare Desktop")
    return writer


def _footer_height(writer: QPdfWriter) -> float:
    # Two footer lines' worth: one of space above the text and the text itself.
    return 2.4 * _FOOTER_PT * writer.resolution() / 72


def _document(html: str, detail: Detail, writer: QPdfWriter) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont()
    font.setPointSizeF(detail.font_pt)
    # No ligatures: "fi" stays two letters, so the PDF's text can be searched and copied
    # (and a screen reader or pdftotext reads "figures", not "ﬁgures").
    font.setFeature(QFont.Tag("liga"), 0)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setPageSize(QSizeF(writer.width(), writer.height() - _footer_height(writer)))
    doc.setHtml(html)
    return doc


def render_report(
    data: ReportData,
    *,
    made_on: date,
    paper: Paper | None = None,
    locale: QLocale | None = None,
) -> RenderedReport:
    """The report as PDF bytes, at most :data:`MAX_PAGES` pages when any detail fits.

    ``locale`` writes the numbers (default: the app's); ``paper`` defaults to the
    system locale's (:func:`locale_paper`).
    """
    paper = locale_paper() if paper is None else paper
    number_locale = QLocale() if locale is None else locale

    def number(n: int) -> str:
        return number_locale.toString(n)

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, paper)

    def layout(detail: Detail) -> QTextDocument:
        return _document(report_html(data, detail, made_on=made_on, number=number), detail, writer)

    doc: QTextDocument | None = None
    detail = DETAILS[0]
    tried: set[tuple[str, float]] = set()
    for detail in DETAILS:
        if detail is not DETAILS[-1] and not _may_fit(data, detail):
            continue
        html = report_html(data, detail, made_on=made_on, number=number)
        if (html, detail.font_pt) in tried:
            continue  # the same as a detail that did not fit (a long range's weeks)
        tried.add((html, detail.font_pt))
        doc = _document(html, detail, writer)
        if doc.pageCount() <= MAX_PAGES:
            break
    assert doc is not None
    pages = doc.pageCount()
    if pages <= MAX_PAGES and detail.max_spasms is not None:
        # The spasms matter most: list as many as still fit (a few more layouts, by halves).
        fits, too_many = detail.max_spasms, min(len(data.spasms), _MOST_ROWS) + 1
        while too_many - fits > 1:
            more = replace(detail, max_spasms=(fits + too_many) // 2)
            candidate = layout(more)
            if candidate.pageCount() <= MAX_PAGES:
                fits, detail, doc = more.max_spasms or 0, more, candidate
            else:
                too_many = more.max_spasms or 0
        pages = doc.pageCount()
    if pages > MAX_PAGES:
        logger.info("report: %d pages even at the least detail", pages)
    _paint(doc, writer, pages)
    buffer.close()
    pdf = bytes(buffer.data().data())
    return RenderedReport(pdf, pages, paper, detail)


#: More rows than this never fit on two pages: a detail that lists more is not laid out
#: at all (a ten-year report would otherwise lay out 1,000 spasms to find that out).
_MOST_ROWS = 40


def _may_fit(data: ReportData, detail: Detail) -> bool:
    spasms = len(data.spasms) if detail.max_spasms is None else detail.max_spasms
    notes = len(data.notes) if detail.max_notes is None else detail.max_notes
    return min(spasms, len(data.spasms)) + min(notes, len(data.notes)) <= _MOST_ROWS


def _paint(doc: QTextDocument, writer: QPdfWriter, pages: int) -> None:
    width = float(writer.width())
    body = doc.pageSize().height()
    footer_top = float(writer.height()) - _footer_height(writer)
    footer_font = QFont(doc.defaultFont())
    footer_font.setPointSizeF(_FOOTER_PT)
    footer = footer_text()
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body)
            doc.drawContents(painter, QRectF(0, page * body, width, body))
            painter.restore()
            painter.save()
            painter.setFont(footer_font)
            line = QRectF(0, footer_top, width, float(writer.height()) - footer_top)
            painter.drawLine(line.topLeft(), line.topRight())
            align = Qt.AlignmentFlag.AlignBottom
            painter.drawText(line, align | Qt.AlignmentFlag.AlignLeft, footer)
            painter.drawText(line, align | Qt.AlignmentFlag.AlignRight, page_text(page + 1, pages))
            painter.restore()
    finally:
        painter.end()


def write_report(
    data: ReportData,
    path: Path,
    *,
    made_on: date,
    paper: Paper | None = None,
    locale: QLocale | None = None,
) -> RenderedReport:
    """Make the report and write it to ``path`` (mode 0600, whole or not at all).

    Raises :class:`ReportError` with the reason and what to do when it cannot be written.
    """
    rendered = render_report(data, made_on=made_on, paper=paper, locale=locale)
    try:
        write_atomically(path, rendered.pdf, 0o600)
    except OSError as exc:
        raise ReportError(
            translate(
                "Report",
                "Could not write the report {path}: {reason}. "
                "Choose a folder that exists and that you can write to.",
            ).format(path=path, reason=exc.strerror or exc)
        ) from exc
    logger.info(
        "Wrote a %d-page report (%d bytes, %s) to %s",
        rendered.pages,
        len(rendered.pdf),
        rendered.paper,
        path,
    )
    return rendered
