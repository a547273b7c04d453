"""History's totals line in Spanish reads right for a count of one ("1 pospuestas" was
wrong): the counts stand after their word, as elsewhere in the Spanish texts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale

from neckcare_desktop.core.history.queries import DaySummary
from neckcare_desktop.ui.history.summary_texts import SummaryTexts


def test_one_postponed_and_one_skipped_read_right_in_spanish(spanish_ui):
    texts = SummaryTexts(lambda: QLocale("es_ES"))
    day = DaySummary(date(2026, 3, 2), completed=1, natural=1, postponed=1, skipped=1)
    line = texts.totals_text([day])
    assert "pospuestas: 1" in line and "omitidas: 1" in line
    assert "(completadas: 1; en tu ausencia: 1)" in line
    assert "1 pospuestas" not in line and "1 omitidas" not in line
