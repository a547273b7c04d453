"""Render NeckCare's hicolor theme icons (PNG at every standard size) from the app SVG.

Desktops look launcher and notification icons up in the freedesktop icon theme, and many
(older GNOME Shell, Xfce panels, some docks) only use the PNG sizes, so the theme folder
ships a PNG per size next to the scalable SVG. They are rendered here, from the one SVG,
so a changed logo is one command away and never drifts between sizes:

    python tools/make_icons.py               # writes resources/icons/hicolor/...
    python tools/make_icons.py --out DIR     # writes DIR/<N>x<N>/apps/... instead
    python tools/make_icons.py --tray-sheet docs/screenshots/en-tray-states.png

``--tray-sheet`` also writes the contact sheet of the live tray icon (idle, ice, heat, break
due, paused) at the sizes panels really use, 16/22/24/32 px, plus 64 px, on a light and a dark
panel: the picture to look at after changing the SVG or ``ui/tray_icon.py``.

Rendering is offscreen (no display needed) and deterministic for a given Qt version.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

# Before any Qt import: the tool must run on a headless build machine.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SVG = ROOT / "resources" / "icons" / "neckcare.svg"
DEFAULT_OUT = ROOT / "resources" / "icons" / "hicolor"
ICON_NAME = "neckcare-desktop"
#: The sizes the hicolor theme's index.theme defines as fixed app-icon folders and that
#: panels, launchers and Alt+Tab switchers actually request.
SIZES: tuple[int, ...] = (16, 22, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> QImage:
    """Render ``svg`` into a transparent ``size``×``size`` image, antialiased."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    return image


def write_icons(out: Path, svg: Path = SOURCE_SVG, sizes: Sequence[int] = SIZES) -> list[Path]:
    """Write ``out/<N>x<N>/apps/neckcare-desktop.png`` per size and the scalable SVG copy."""
    # QSvgRenderer and QImage.save need a Qt application (for plugins and fonts); kept in a
    # local so it lives until every icon is written.
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    written: list[Path] = []
    for size in sizes:
        target = out / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render_png(svg, size).save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        written.append(target)
    scalable = out / "scalable" / "apps" / f"{ICON_NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    return written


#: (label, TrayIconState fields) per row of the tray contact sheet.
SHEET_STATES: tuple[tuple[str, dict[str, object]], ...] = (
    ("Idle", {}),
    ("Ice, 9 min left", {"therapy_kind": "ice", "therapy_fraction_left": 0.6, "minutes_left": 9}),
    ("Heat, 6 min left", {"therapy_kind": "heat", "therapy_fraction_left": 0.3, "minutes_left": 6}),
    ("Break due", {"break_pending": True}),
    ("Paused", {"paused": True}),
)
SHEET_SIZES: tuple[int, ...] = (16, 22, 24, 32, 64)
#: Light and dark panel colours (a light GNOME/KDE panel, a dark one) and their text colours.
SHEET_PANELS: tuple[tuple[bool, str, str], ...] = (
    (False, "#f0f0f0", "#2e3436"),
    (True, "#303030", "#eeeeec"),
)


def write_tray_sheet(path: Path) -> QImage:
    """Write the tray icon contact sheet to ``path``: a row per state, light then dark panel."""
    # Imported here: the PNG rendering above needs only the SVG, not the package.
    from PySide6.QtGui import QColor, QFont

    sys.path.insert(0, str(ROOT / "src"))
    from neckcare_desktop.ui.tray_icon import TrayIconState, render_tray_icon

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    label_w, gap, pad, head_h, row_h = 118, 12, 10, 22, 64 + 12
    block_w = sum(SHEET_SIZES) + gap * (len(SHEET_SIZES) - 1) + 2 * pad
    image = QImage(
        label_w + 2 * block_w, head_h + row_h * len(SHEET_STATES), QImage.Format.Format_RGB32
    )
    image.fill(QColor(SHEET_PANELS[0][1]))
    painter = QPainter(image)
    try:
        font = QFont()
        font.setPixelSize(12)
        painter.setFont(font)
        for column, (dark, panel, ink) in enumerate(SHEET_PANELS):
            left = label_w + column * block_w
            painter.fillRect(left, 0, block_w, image.height(), QColor(panel))
            painter.setPen(QColor(ink))
            x = left + pad
            for size in SHEET_SIZES:
                painter.drawText(
                    QRectF(x - gap / 2, 0, size + gap, head_h),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{size}",
                )
                for row, (_label, fields) in enumerate(SHEET_STATES):
                    state = TrayIconState(dark_panel=dark, **fields)  # type: ignore[arg-type]
                    top = head_h + row * row_h + (row_h - size) // 2
                    painter.drawImage(x, top, render_tray_icon(state, size))
                x += size + gap
        painter.setPen(QColor(SHEET_PANELS[0][2]))
        for row, (label, _fields) in enumerate(SHEET_STATES):
            painter.drawText(
                QRectF(pad, head_h + row * row_h, label_w - pad, row_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
    finally:
        painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return image


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="hicolor folder to fill")
    parser.add_argument("--svg", type=Path, default=SOURCE_SVG, help="source SVG")
    parser.add_argument(
        "--tray-sheet", type=Path, help="also write the tray icon contact sheet PNG here"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in write_icons(args.out, args.svg):
        logger.info("wrote %s", path)
    if args.tray_sheet is not None:
        write_tray_sheet(args.tray_sheet)
        logger.info("wrote %s", args.tray_sheet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
