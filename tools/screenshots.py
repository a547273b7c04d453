"""Take the screenshots in docs/screenshots/ on a real X display.

Usage (an X server must be running; QT_QPA_PLATFORM must not be "offscreen")::

    Xvfb :74 -screen 0 1280x800x24 -nolisten tcp &
    DISPLAY=:74 python tools/screenshots.py            # every screenshot
    DISPLAY=:74 python tools/screenshots.py --only contrast
    DISPLAY=:74 python tools/screenshots.py --only en --only es --only scale150 --only es150

Besides the English pictures, the Settings, spasm and History windows in English and
Spanish at 100 % (``en``, ``es``) and at 150 % (``scale150``, ``es150``, named
``…-150.png``): on a 1280×800 display that is a laptop at 150 %, and they must fit it.

Each window is built straight from the package (no running app, no tray needed) against a
seeded history in a temporary folder, shown, and grabbed with ``QWidget.grab()`` so the
picture is the window alone, without the desktop around it. The 200 % and high-contrast
pictures need settings that must be in place before the ``QApplication`` exists
(``QT_SCALE_FACTOR``, the palette), so each variant runs in its own child process.

The dates are fixed (Thursday 5 March 2026, 15:30 local time) and the seeded history comes
from a seeded random generator, so running the script twice gives the same pictures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
MAX_BYTES = 150 * 1024
VARIANTS = ("normal", "scale200", "contrast", "en", "es", "scale150", "es150")
#: Environment of a variant's child process besides the language.
VARIANT_ENV: dict[str, dict[str, str]] = {
    "scale200": {"QT_SCALE_FACTOR": "2"},
    "scale150": {"QT_SCALE_FACTOR": "1.5"},
    "es150": {"QT_SCALE_FACTOR": "1.5"},
}
#: The language of a variant's pictures (English unless named here).
VARIANT_LANGUAGE = {"es": "es", "es150": "es"}
#: The Settings picture's name per language (the Spanish one shows the Breaks tab too).
SETTINGS_NAME = {"en": "en-settings", "es": "es-settings-breaks"}
#: With --extras DIR: the other window of each 200 % / high-contrast pair, for checking.
EXTRAS: Path | None = None
#: "Now" in every picture: a Thursday afternoon, local time.
NOW = datetime(2026, 3, 5, 15, 30).astimezone()


# --------------------------------------------------------------------------- the history


def seed_history(path: Path, now: datetime) -> None:
    """Four weeks of a plausible desk worker: breaks, ice then heat, two spasms."""
    from neckcare_desktop.core.history import EventKind, HistoryStore

    rng = random.Random(7)
    store = HistoryStore(path)
    try:
        today = now.date()
        for back in range(27, -1, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:  # weekends: an occasional heat pack only
                if rng.random() < 0.4 and not 14 <= back <= 20:  # not during spasm 1
                    at = datetime.combine(day, time(18, 10)).astimezone()
                    _therapy(store, at, "heat", 15)
                continue
            start = datetime.combine(day, time(8, 45)).astimezone()
            end = now if day == today else datetime.combine(day, time(17, 30)).astimezone()
            t = start + timedelta(minutes=20)
            n = 0
            while t < end:
                n += 1
                posture = n % 3 == 0
                subject = "posture" if posture else "micro"
                roll = rng.random()
                if roll < 0.74:
                    store.record(
                        EventKind.BREAK_COMPLETED,
                        t,
                        subject=subject,
                        planned_seconds=60 if posture else 20,
                        actual_seconds=60 if posture else 20,
                    )
                elif roll < 0.84:
                    store.record(EventKind.BREAK_NATURAL, t, subject=subject)
                elif roll < 0.93:
                    store.record(EventKind.BREAK_POSTPONED, t, subject=subject)
                else:
                    store.record(EventKind.BREAK_SKIPPED, t, subject=subject)
                t += timedelta(minutes=rng.choice((20, 20, 25, 30, 40)))
        # Spasm 1: woke up with it 19 days ago, pain 6 -> 4 -> 2, resolved after 4 days.
        first_at = datetime.combine(today - timedelta(days=19), time(7, 40)).astimezone()
        first = store.log_episode(first_at, 6, ["awkward_sleep"], [], "Woke up stiff", now=now)
        store.update_pain(first.id, 4, first_at + timedelta(days=1, hours=2))
        store.update_pain(first.id, 2, first_at + timedelta(days=3))
        store.resolve_episode(first.id, first_at + timedelta(days=4))
        for d in (0, 1):  # ice in the first 48 hours, three rounds a day
            for hour in (9, 12, 16):
                at = datetime.combine(first_at.date() + timedelta(days=d), time(hour)).astimezone()
                _therapy(store, at, "ice", 15)
        for d in (2, 3, 4):  # then heat
            at = datetime.combine(first_at.date() + timedelta(days=d), time(13, 0)).astimezone()
            _therapy(store, at, "heat", 20)
        # Spasm 2: yesterday after a long screen session, pain 5 -> 3, still open.
        second_at = datetime.combine(today - timedelta(days=1), time(11, 15)).astimezone()
        second = store.log_episode(
            second_at, 5, ["screen_posture", "stress"], [], "Deadline week", now=now
        )
        store.update_pain(second.id, 3, now - timedelta(hours=3))
        for at in (
            second_at + timedelta(minutes=20),
            second_at + timedelta(hours=4),
            now - timedelta(hours=5),
        ):
            _therapy(store, at, "ice", 15)
        _therapy(store, now - timedelta(hours=2), "ice", 15, stopped_after=9, note="Phone call")
    finally:
        store.close()


def _therapy(
    store,
    at: datetime,
    kind: str,
    minutes: int,
    *,
    stopped_after: int | None = None,
    note: str | None = None,
) -> None:
    from neckcare_desktop.core.history import EventKind

    store.record(EventKind.THERAPY_STARTED, at, subject=kind, planned_seconds=minutes * 60)
    if stopped_after is None:
        store.record(
            EventKind.THERAPY_COMPLETED,
            at + timedelta(minutes=minutes),
            subject=kind,
            planned_seconds=minutes * 60,
            actual_seconds=minutes * 60,
        )
    else:
        store.record(
            EventKind.THERAPY_STOPPED_EARLY,
            at + timedelta(minutes=stopped_after),
            subject=kind,
            planned_seconds=minutes * 60,
            actual_seconds=stopped_after * 60,
            note=note,
        )


# --------------------------------------------------------------------------- Qt helpers


def _settle(qapp, ms: int = 250) -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop

    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _save(qapp, widget, name: str, folder: Path | None = None) -> Path:
    _settle(qapp)
    path = (folder or OUT) / name
    widget.grab().save(str(path))
    _shrink(path)
    screen = widget.screen().availableGeometry()
    fits = "fits" if screen.contains(widget.frameGeometry()) else "DOES NOT FIT"
    print(
        f"{name}: {widget.width()}x{widget.height()} logical, {fits} the screen's "
        f"{screen.width()}x{screen.height()}, {path.stat().st_size // 1024} KB"
    )
    return path


def _shrink(path: Path) -> None:
    """Strip metadata; if still over the limit, quantise to a palette (UI art survives)."""
    convert = shutil.which("convert")
    if convert is None:
        return
    subprocess.run([convert, str(path), "-strip", str(path)], check=True)
    if path.stat().st_size > MAX_BYTES:
        subprocess.run([convert, str(path), "-strip", "-colors", "256", str(path)], check=True)
    if path.stat().st_size > MAX_BYTES:
        print(f"warning: {path.name} is {path.stat().st_size // 1024} KB", file=sys.stderr)


def _high_contrast_palette():
    from PySide6.QtGui import QColor, QPalette

    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    grey = QColor("#a0a0a0")
    p = QPalette()
    R = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, colour in (
            (R.Window, black),
            (R.WindowText, white),
            (R.Base, black),
            (R.AlternateBase, black),
            (R.Text, white),
            (R.Button, black),
            (R.ButtonText, white),
            (R.BrightText, yellow),
            (R.Highlight, yellow),
            (R.HighlightedText, black),
            (R.Link, yellow),
            (R.ToolTipBase, black),
            (R.ToolTipText, white),
            (R.PlaceholderText, grey),
            (R.Light, white),
            (R.Midlight, grey),
            (R.Mid, grey),
            (R.Dark, white),
            (R.Shadow, white),
        ):
            p.setColor(group, role, colour)
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return p


def _make_qapp(variant: str):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    language = VARIANT_LANGUAGE.get(variant, "en")
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))
    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    qapp.setApplicationName("NeckCare")
    if variant == "contrast":
        qapp.setPalette(_high_contrast_palette())
    from neckcare_desktop import translations

    translations.apply_setting(language)
    return qapp


# --------------------------------------------------------------------------- the windows


def _stretch(sid: str):
    from neckcare_desktop.core.stretches import default_stretches

    return next(s for s in default_stretches() if s.id == sid)


def _break_window(qapp, *, running: bool):
    from neckcare_desktop.core.breaks import BreakKind
    from neckcare_desktop.ui.break_window import BreakWindow

    w = BreakWindow(BreakKind.POSTURE, _stretch("chin-tuck"), 60, 5, lambda: 42.0)
    w.present(qapp.primaryScreen())
    if running:
        w.set_running(1000, can_end_early=True)
        w._tick.stop()  # keep 0:42 on screen
    return w


def _alert(qapp):
    from neckcare_desktop.core.therapy import (
        FinishedSession,
        TherapyKind,
        TherapySession,
        end_advice,
    )
    from neckcare_desktop.ui.therapy_alert import TherapyAlert

    started = NOW - timedelta(minutes=15)
    session = TherapySession(TherapyKind.ICE, started, 900, NOW)
    w = TherapyAlert(FinishedSession(session, NOW, 900, True), end_advice(TherapyKind.ICE))
    w.present()
    return w


def shoot_normal(qapp, tmp: Path) -> None:
    w = _break_window(qapp, running=False)
    _save(qapp, w, "en-break.png")
    w.finish()
    w = _break_window(qapp, running=True)
    _save(qapp, w, "en-break-running.png")
    w.finish()

    alert = _alert(qapp)
    _save(qapp, alert, "en-alert.png")
    alert.acknowledge()

    shoot_dialogs(qapp, tmp, "en")
    tray_strip(OUT / "en-tray-states.png")


def shoot_dialogs(qapp, tmp: Path, language: str, suffix: str = "") -> None:
    """Settings, History and the spasm log as they open (``suffix``: "-150" at 150 %)."""
    from neckcare_desktop.core.history import HistoryStore
    from neckcare_desktop.core.settings import settings_from_dict
    from neckcare_desktop.ui.history.window import HistoryWindow
    from neckcare_desktop.ui.settings_dialog import SettingsDialog
    from neckcare_desktop.ui.spasm_dialog import SpasmDialog

    settings = settings_from_dict({"app": {"autostart_asked": True}})
    dialog = SettingsDialog(settings, tmp / "settings.toml")
    dialog.show()
    dialog.tabs.setCurrentIndex(0)
    _save(qapp, dialog, f"{SETTINGS_NAME[language]}{suffix}.png")
    # Working hours: the day toggles named by the locale and the time pickers.
    dialog.tabs.setCurrentIndex(2)
    _save(qapp, dialog, f"{language}-settings-hours{suffix}.png")
    dialog.close()

    db = tmp / "history.sqlite3"
    seed_history(db, NOW)
    store = HistoryStore(db)
    try:
        history = HistoryWindow(store, lambda: NOW)
        history.show()
        history.set_range_days(30)  # both spasms, the ice-then-heat weeks
        _settle(qapp, 600)  # charts animate and lay out after the first show
        _save(qapp, history, f"{language}-history{suffix}.png")
        history.close()

        spasm = SpasmDialog(store, lambda: NOW)
        spasm.show()
        spasm.pain.set_value(6)
        for key in ("screen_posture", "stress"):
            box = getattr(spasm, "trigger_boxes", {}).get(key)
            if box is not None:
                box.setChecked(True)
        spasm.pain.edit.clearFocus()  # no text caret in the picture
        _save(qapp, spasm, f"{language}-spasm{suffix}.png")
        spasm.close()
    finally:
        store.close()


def shoot_scale200(qapp, tmp: Path) -> None:
    w = _break_window(qapp, running=False)
    _save(qapp, w, "en-break-200.png")
    w.finish()
    if EXTRAS is not None:  # checked by eye, not published
        w = _break_window(qapp, running=True)
        _save(qapp, w, "en-break-running-200.png", EXTRAS)
        w.finish()
        alert = _alert(qapp)
        _save(qapp, alert, "en-alert-200.png", EXTRAS)
        alert.acknowledge()


def shoot_contrast(qapp, tmp: Path) -> None:
    alert = _alert(qapp)
    _save(qapp, alert, "en-alert-contrast.png")
    alert.acknowledge()
    if EXTRAS is not None:
        for running in (False, True):
            w = _break_window(qapp, running=running)
            _save(qapp, w, f"en-break{'-running' if running else ''}-contrast.png", EXTRAS)
            w.finish()


# --------------------------------------------------------------------------- tray strip


TRAY_STATES = (
    ("Idle", {}),
    ("Ice, 9 min left", {"therapy_kind": "ice", "therapy_fraction_left": 0.6, "minutes_left": 9}),
    ("Heat, 6 min left", {"therapy_kind": "heat", "therapy_fraction_left": 0.3, "minutes_left": 6}),
    ("Break due", {"break_pending": True}),
    ("Paused", {"paused": True}),
)


def tray_strip(path: Path) -> None:
    """Every tray state at 64 px and at a real panel's 24 px, on a light and a dark panel."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from neckcare_desktop.ui.tray_icon import TrayIconState, render_tray_icon

    cell, pad, label_h, small = 132, 16, 22, 24
    row_h = pad + 64 + 8 + small + 6 + label_h + pad
    width = cell * len(TRAY_STATES)
    image = QImage(width, 2 * row_h, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    font = QFont()
    font.setPixelSize(13)
    painter.setFont(font)
    panels = ((False, "#eeeeec", "#2e3436"), (True, "#2b2b2b", "#eeeeec"))
    for row, (dark, bg, fg) in enumerate(panels):
        top = row * row_h
        painter.fillRect(0, top, width, row_h, QColor(bg))
        for i, (label, fields) in enumerate(TRAY_STATES):
            state = TrayIconState(dark_panel=dark, **fields)
            x = i * cell
            painter.drawImage((x + (cell - 64) // 2), top + pad, render_tray_icon(state, 64))
            painter.drawImage(
                (x + (cell - small) // 2), top + pad + 64 + 8, render_tray_icon(state, small)
            )
            painter.setPen(QColor(fg))
            painter.drawText(
                QRectF(x, top + pad + 64 + 8 + small + 6, cell, label_h),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
    painter.end()
    image.save(str(path))
    _shrink(path)
    print(f"{path.name}: {width}x{2 * row_h}, {path.stat().st_size // 1024} KB")


# --------------------------------------------------------------------------- main


def run_variant(variant: str) -> None:
    qapp = _make_qapp(variant)
    shoot = {
        "normal": shoot_normal,
        "scale200": shoot_scale200,
        "contrast": shoot_contrast,
        "en": lambda qapp, tmp: shoot_dialogs(qapp, tmp, "en"),
        "es": lambda qapp, tmp: shoot_dialogs(qapp, tmp, "es"),
        "scale150": lambda qapp, tmp: shoot_dialogs(qapp, tmp, "en", "-150"),
        "es150": lambda qapp, tmp: shoot_dialogs(qapp, tmp, "es", "-150"),
    }[variant]
    with tempfile.TemporaryDirectory(prefix="neckcare-shots-") as tmp:
        shoot(qapp, Path(tmp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=VARIANTS,
        action="append",
        help="take only this group of screenshots (repeatable)",
    )
    parser.add_argument(
        "--extras",
        type=Path,
        metavar="DIR",
        help="also save the break at 200 %% running, the alert at 200 %% and "
        "the break in high contrast to DIR, to check them by eye",
    )
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global EXTRAS
    if args.extras is not None:
        EXTRAS = args.extras.resolve()
        EXTRAS.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        parser.error("needs a real X display: set DISPLAY and leave QT_QPA_PLATFORM unset")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.child:
        run_variant(args.child)
        return 0
    status = 0
    for variant in args.only or VARIANTS:
        env = dict(os.environ)
        env.pop("QT_SCALE_FACTOR", None)
        env.pop("QT_QPA_PLATFORM", None)
        language = VARIANT_LANGUAGE.get(variant, "en")
        env.setdefault("LANG", "en_GB.UTF-8")
        env["LANGUAGE"] = language
        env.update(VARIANT_ENV.get(variant, {}))
        command = [sys.executable, __file__, "--child", variant]
        if EXTRAS is not None:
            command += ["--extras", str(EXTRAS)]
        result = subprocess.run(command, env=env)
        status = status or result.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
