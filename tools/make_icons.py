"""Render NeckCare's hicolor theme icons (PNG at every standard size) from the app SVG.

Desktops look launcher and notification icons up in the freedesktop icon theme, and many
(older GNOME Shell, Xfce panels, some docks) only use the PNG sizes, so the theme folder
ships a PNG per size next to the scalable SVG. They are rendered here, from the one SVG,
so a changed logo is one command away and never drifts between sizes:

    python tools/make_icons.py               # writes resources/icons/hicolor/...
    python tools/make_icons.py --out DIR     # writes DIR/<N>x<N>/apps/... instead

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="hicolor folder to fill")
    parser.add_argument("--svg", type=Path, default=SOURCE_SVG, help="source SVG")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in write_icons(args.out, args.svg):
        logger.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
