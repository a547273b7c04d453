"""Open every NeckCare window in this process and print where it and its buttons landed.

Run by ``tests/test_window_fit.py`` in a fresh interpreter, because the scale factor and
the fake screens (``QT_QPA_PLATFORM=offscreen:configfile=...``) must be in place before
the QApplication exists::

    QT_SCALE_FACTOR=1.5 QT_QPA_PLATFORM=offscreen:configfile=screens.json \\
        python tests/window_fit_probe.py es --pointer-at 1500,300

Prints one JSON object: the screens' available geometries, then per window its screen,
frame geometry and the global geometry of its primary buttons, clipped to what is really
visible (a button scrolled out of a scroll area or cut off by the window edge has its
visible part only), plus any Qt warning.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QRect, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

WARNINGS: list[str] = []
#: Qt messages of the offscreen plugin itself, not of NeckCare.
HARMLESS = ("propagateSizeHints", "does not support", "systemTrayWindowChanged")


def _on_qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    if kind != QtMsgType.QtDebugMsg and not any(h in message for h in HARMLESS):
        WARNINGS.append(message)


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def visible_rect(widget: QWidget) -> QRect:
    """The part of ``widget`` a person can see, in global coordinates (empty if none)."""
    if not widget.isVisible():
        return QRect()
    seen = widget.visibleRegion().boundingRect()
    return QRect(widget.mapToGlobal(seen.topLeft()), seen.size())


def report(app: QApplication, window: QWidget, buttons: list[QWidget]) -> dict:
    app.processEvents()
    return {
        "screen": window.screen().name(),
        "frame": rect(window.frameGeometry()),
        "buttons": {b.text().replace("&", ""): rect(visible_rect(b)) for b in buttons},
        "button_sizes": {b.text().replace("&", ""): [b.width(), b.height()] for b in buttons},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("language")
    parser.add_argument("--pointer-at", default="")
    args = parser.parse_args()
    faulthandler.enable()  # a crash names its place in the test failure
    qInstallMessageHandler(_on_qt_message)
    app = QApplication([sys.argv[0]])
    if args.pointer_at:
        QCursor.setPos(*(int(v) for v in args.pointer_at.split(",")))

    from neckcare_desktop import translations

    translations.apply_setting(args.language)

    from neckcare_desktop.core import guidance
    from neckcare_desktop.core.breaks import BreakKind
    from neckcare_desktop.core.history import WARNING_SIGNS, HistoryStore
    from neckcare_desktop.core.settings import settings_from_dict
    from neckcare_desktop.core.stretches import default_stretches
    from neckcare_desktop.core.therapy import (
        FinishedSession,
        TherapyKind,
        TherapySession,
        end_advice,
    )
    from neckcare_desktop.ui.break_window import BreakWindow
    from neckcare_desktop.ui.history.window import HistoryWindow
    from neckcare_desktop.ui.see_someone import SeeSomeoneMessage
    from neckcare_desktop.ui.settings_dialog import SettingsDialog
    from neckcare_desktop.ui.spasm_dialog import SpasmDialog
    from neckcare_desktop.ui.therapy_alert import TherapyAlert

    out: dict = {
        "areas": {s.name(): rect(s.availableGeometry()) for s in app.screens()},
        "windows": {},
    }
    windows = out["windows"]
    now = datetime(2026, 3, 5, 15, 30).astimezone()
    folder = Path(tempfile.mkdtemp(prefix="window-fit-"))
    store = HistoryStore(folder / "history.sqlite3")
    opened = store.log_episode(now - timedelta(hours=30), 6, ["stress"], [], "note", now=now)

    spasm = SpasmDialog(store, lambda: now)
    spasm.show()
    windows["spasm"] = report(app, spasm, [spasm.save_button, spasm.cancel_button])
    spasm.close()

    update = SpasmDialog.for_update(store, opened.id, lambda: now)
    update.show()
    windows["spasm_update"] = report(
        app, update, [update.update_button, update.resolve_button, update.close_button]
    )
    update.close()

    settings = SettingsDialog(settings_from_dict({}), folder / "settings.toml")
    settings.show()
    box = settings.findChild(QDialogButtonBox)
    windows["settings"] = report(app, settings, list(box.buttons()))
    settings.close()

    history = HistoryWindow(store, lambda: now)
    history.show()
    windows["history"] = report(
        app, history, [history.export_button, history.open_folder_button, history.delete_button]
    )
    history.close()

    reasons = guidance.see_someone_reasons([opened], [opened], now, list(WARNING_SIGNS))
    message = SeeSomeoneMessage(reasons)
    message.show()
    windows["see_someone"] = report(app, message, [message.close_button])
    message.close()

    session = TherapySession(TherapyKind.ICE, now - timedelta(minutes=20), 1200, now)
    finished = FinishedSession(session, now, 1200, True)
    alerts = []
    for _ in range(2):
        alert = TherapyAlert(finished, end_advice(TherapyKind.ICE))
        alert.present(alerts)
        alerts.append(alert)
        windows[f"alert_{len(alerts)}"] = report(app, alert, [alert.ok_button])
    for alert in alerts:
        alert.acknowledge()

    from neckcare_desktop.ui.safety_check import SafetyAnswers, SafetyCheck
    from neckcare_desktop.ui.therapy_alert import SwitchAlert

    # The taller of its two forms: about a round already on (started from the terminal).
    check = SafetyCheck(TherapyKind.ICE, SafetyAnswers(), running=True)
    check.present()
    windows["safety_check"] = report(app, check, [check.start_button, check.cancel_button])
    check.reject()

    switch = SwitchAlert(session, False, end_advice(TherapyKind.ICE), part=2)
    switch.present()
    windows["switch_alert"] = report(app, switch, [switch.ok_button])
    switch.acknowledge()

    stretch = max(
        (s for s in default_stretches() if "posture" in s.kinds), key=lambda s: len(s.how)
    )
    brk = BreakWindow(BreakKind.POSTURE, stretch, 300, 10, lambda: 300.0)
    brk.present()
    windows["break"] = report(app, brk, [brk.start_button, brk.postpone_button, brk.skip_button])
    brk.finish()

    store.close()
    out["warnings"] = WARNINGS
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
