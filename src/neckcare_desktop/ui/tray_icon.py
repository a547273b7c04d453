"""The tray icon as a live status display: therapy progress, minutes left, break due, paused.

People glance at the tray far more often than they open a window, so the icon itself
answers the common questions without a click. The base is the app SVG: a teal badge with a
side view of an upright head, neck and upper back whose cervical spine is marked in coral,
so even at 16 px it reads as "neck and posture" (a profile, not a mirror-symmetric contact
avatar). Over it:

* **Is a timer running, which one, how long is left?** A progress ring around the badge
  in the therapy colour (ice blue, heat orange) with the minutes left as a big number.
* **Is a break waiting?** A small amber dot in the top-right corner.
* **Are reminders paused?** The grey "paused" variant of the app SVG.

The ring *empties clockwise from 12 o'clock*, like a clock hand sweeping across it: the
coloured arc always ends at 12 o'clock and starts where the hand is, ``(1 - left) × 360°``
clockwise from the top. With a quarter of the time left only the top-left quarter (from 9 to
12 o'clock) is coloured; with three quarters left, everything except 12 to 3 o'clock.

Tray icons are tiny (16–24 px on most panels), so small sizes are laid out differently, not
just scaled: up to 32 px the badge is dropped and the number sits alone inside the ring.
Everything is drawn with QPainter (no stylesheet or theme involved), so the result is the
same on every desktop and testable pixel by pixel offscreen.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtSvg import QSvgRenderer

from neckcare_desktop.resources import resource_path

logger = logging.getLogger(__name__)

THERAPY_KINDS: Final = ("ice", "heat")
ICE_COLOR: Final = QColor("#2F80ED")
HEAT_COLOR: Final = QColor("#F2994A")
#: Amber, well away from the heat orange so "break due" is never read as "heat running".
BREAK_DOT_COLOR: Final = QColor("#FFC21A")
#: The badge colours of the two SVGs, reused for the disc behind the number at small sizes.
BADGE_COLOR: Final = QColor("#12948f")
PAUSED_BADGE_COLOR: Final = QColor("#8a9096")
NUMBER_COLOR: Final = QColor("#ffffff")
NUMBER_OUTLINE: Final = QColor("#0d2b2a")
#: Sizes a tray host asks for: 16/22/24 on most Linux panels and Windows at 100 %,
#: 32/48/64 on HiDPI screens and in the macOS menu bar at 2x.
TRAY_SIZES: Final = (16, 22, 24, 32, 48, 64)
#: Below this size the badge is left out while a timer runs: ring and number need every pixel.
#: 32 px is included because that is a 22 px panel at 150 % scaling, where the number must be
#: as readable as at 100 %.
COMPACT_BELOW: Final = 40
#: Ring progress is rounded to this many steps per turn (1.5°, under a pixel at 64 px), so a
#: timer that updates every second produces a new image only every few seconds.
RING_STEPS: Final = 240
#: Digits shorter than this are a grey smudge, not a number; the number is left out instead.
MIN_DIGIT_PX: Final = 6.0
_CACHE_SIZE: Final = 48


@dataclass(frozen=True)
class TrayIconState:
    """Everything the tray icon shows; equal states render identical images."""

    therapy_kind: str | None = None  # "ice" or "heat" while a timer runs
    therapy_fraction_left: float = 0.0  # 1.0 at start -> 0.0 at the end
    minutes_left: int | None = None
    break_pending: bool = False  # a due or postponed break: small dot
    paused: bool = False  # reminders paused: paused variant
    dark_panel: bool = False  # follow a dark panel: lighter outlines

    def __post_init__(self) -> None:
        if self.therapy_kind is not None and self.therapy_kind not in THERAPY_KINDS:
            raise ValueError(
                f"therapy_kind must be 'ice', 'heat' or None, not {self.therapy_kind!r}"
            )


def panel_is_dark(palette: QPalette) -> bool:
    """True if the panel behind the tray is probably dark (window colour lightness < 128).

    Qt cannot ask the tray host for its panel colour; the application palette follows the
    desktop's light/dark theme, which is what panels follow too on current desktops.
    """
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _normalised(state: TrayIconState) -> TrayIconState:
    """Drop what cannot be seen, so states that look the same share one cache entry."""
    if state.therapy_kind is None:
        return replace(state, therapy_fraction_left=0.0, minutes_left=None)
    left = state.therapy_fraction_left
    left = 0.0 if not math.isfinite(left) else min(1.0, max(0.0, left))
    minutes = None if state.minutes_left is None else max(0, state.minutes_left)
    return replace(
        state, therapy_fraction_left=round(left * RING_STEPS) / RING_STEPS, minutes_left=minutes
    )


def render_tray_icon(state: TrayIconState, size: int = 64) -> QImage:
    """Return the tray icon for ``state`` as a ``size``×``size`` ARGB image.

    Images are cached (LRU) by state and size; the caller gets its own copy-on-write
    handle, so painting on it never changes what the next caller sees.
    """
    if size < 8:
        raise ValueError(f"a tray icon needs at least 8 px, got {size}")
    return QImage(_render_cached(_normalised(state), size))


def tray_qicon(state: TrayIconState) -> QIcon:
    """A ``QIcon`` with a hand-laid-out pixmap per tray size, so no size is a blurry rescale.

    Needs a ``QGuiApplication`` (pixmaps do). Cached like the images: the app may call this
    on every status tick, and an unchanged state must not rebuild six pixmaps each time.
    """
    return QIcon(_qicon_cached(_normalised(state)))


@lru_cache(maxsize=_CACHE_SIZE // len(TRAY_SIZES))
def _qicon_cached(state: TrayIconState) -> QIcon:
    icon = QIcon()
    for size in TRAY_SIZES:
        icon.addPixmap(QPixmap.fromImage(_render_cached(state, size)))
    return icon


def clear_cache() -> None:
    """Forget rendered images (e.g. after the resources changed in a test)."""
    _render_cached.cache_clear()
    _qicon_cached.cache_clear()


# --- drawing ------------------------------------------------------------------------------


@lru_cache(maxsize=_CACHE_SIZE)
def _render_cached(state: TrayIconState, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        if state.therapy_kind is None:
            _draw_badge(painter, state, QRectF(0, 0, size, size))
        else:
            _draw_therapy(painter, state, float(size))
        if state.break_pending:
            _draw_break_dot(painter, state, float(size))
    finally:
        painter.end()
    return image


def _svg_name(state: TrayIconState) -> str:
    return "neckcare-paused.svg" if state.paused else "neckcare.svg"


def _draw_badge(painter: QPainter, state: TrayIconState, target: QRectF) -> None:
    """The app SVG in ``target``; on a dark panel with a light edge so the rim stays visible."""
    try:
        renderer = QSvgRenderer(str(resource_path("icons", _svg_name(state))))
    except FileNotFoundError:
        logger.warning("tray icon SVG missing; drawing a plain badge")
        renderer = None
    if renderer is not None and renderer.isValid():
        renderer.render(painter, target)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PAUSED_BADGE_COLOR if state.paused else BADGE_COLOR)
        painter.drawRoundedRect(target.adjusted(1, 1, -1, -1), 22, 22, Qt.SizeMode.RelativeSize)
    if state.dark_panel:
        # The SVG's dark rim vanishes against a dark panel; trace its outer edge in light grey.
        unit = target.width() / 64.0
        edge = max(1.0, 1.4 * unit)
        rim = QRectF(
            target.left() + (2 - 1.25) * unit + edge / 2,
            target.top() + (2 - 1.25) * unit + edge / 2,
            62.5 * unit - edge,
            62.5 * unit - edge,
        )
        painter.setPen(QPen(QColor(255, 255, 255, 200), edge))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = 15.25 * unit - edge / 2
        painter.drawRoundedRect(rim, radius, radius)


def _ring_width(size: float) -> float:
    return max(2.0, round(size * 0.125))


def _track_color(state: TrayIconState) -> QColor:
    """The empty part of the ring: visible on the panel, clearly not a therapy colour."""
    return QColor(255, 255, 255, 110) if state.dark_panel else QColor(0, 0, 0, 80)


def _draw_therapy(painter: QPainter, state: TrayIconState, size: float) -> None:
    width = _ring_width(size)
    ring = QRectF(width / 2, width / 2, size - width, size - width)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(_track_color(state), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    painter.drawEllipse(ring)
    span = round(state.therapy_fraction_left * 360 * 16)
    if span > 0:
        color = ICE_COLOR if state.therapy_kind == "ice" else HEAT_COLOR
        painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        # Qt angles run counter-clockwise from 3 o'clock: the arc starts at 12 o'clock and
        # reaches back counter-clockwise, so the gap opens clockwise from 12 as time passes.
        painter.drawArc(ring, 90 * 16, span)

    text = None if state.minutes_left is None else str(state.minutes_left)
    center = QPointF(size / 2, size / 2)
    if size < COMPACT_BELOW and text is not None:
        # Ring + number only. The disc touches the ring: every pixel of digit height counts.
        inner = size / 2 - width
        disc = QRectF(center.x() - inner, center.y() - inner, 2 * inner, 2 * inner)
        box = disc.adjusted(inner * 0.1, inner * 0.26, -inner * 0.1, -inner * 0.26)
        glyphs = _number_glyphs(text, box)
        if glyphs is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(
                PAUSED_BADGE_COLOR.darker(140) if state.paused else BADGE_COLOR.darker(125)
            )
            painter.drawEllipse(disc)
            _fill_number(painter, glyphs, outline=0.0)
            return
        # Too many digits to read at this size: show the badge, the ring still tells the time.

    inner = size / 2 - width - max(1.0, size / 32)
    # The rounded badge reaches 1.22 × its half-width from the centre at the corners.
    half = inner / 1.22
    unit = half / 30  # SVG units: the badge is 60 of the SVG's 64-unit view box
    badge = QRectF(center.x() - 32 * unit, center.y() - 32 * unit, 64 * unit, 64 * unit)
    _draw_badge(painter, replace(state, dark_panel=False), badge)
    if text is None:
        return
    box = QRectF(center.x() - inner * 0.85, center.y() - inner * 0.55, inner * 1.7, inner * 1.1)
    glyphs = _number_glyphs(text, box)
    if glyphs is None:
        return
    # Mute the figure inside the badge rim: the badge stays recognisable, the digits win.
    painter.setPen(Qt.PenStyle.NoPen)
    tint = QColor(PAUSED_BADGE_COLOR.darker(150) if state.paused else BADGE_COLOR.darker(130))
    tint.setAlpha(220)
    painter.setBrush(tint)
    face = badge.adjusted(3.25 * unit, 3.25 * unit, -3.25 * unit, -3.25 * unit)
    painter.drawRoundedRect(face, 12.75 * unit, 12.75 * unit)
    _fill_number(painter, glyphs, outline=max(1.0, size / 32))


def _number_font() -> QFont:
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setWeight(QFont.Weight.Black)
    font.setPixelSize(100)
    return font


def _number_glyphs(text: str, box: QRectF) -> QPainterPath | None:
    """``text`` as an outline scaled to fill ``box``, or None if it would be too small to read.

    Scaling the glyph outlines (instead of picking a point size) makes the digits exactly as
    tall as the box allows, whatever font the system substitutes.
    """
    path = QPainterPath()
    path.addText(0, 0, _number_font(), text)
    bounds = path.boundingRect()
    if bounds.isEmpty():
        return None
    scale = min(box.width() / bounds.width(), box.height() / bounds.height())
    if bounds.height() * scale < MIN_DIGIT_PX:
        return None
    transform = QTransform()
    transform.translate(box.center().x(), box.center().y())
    transform.scale(scale, scale)
    transform.translate(-bounds.center().x(), -bounds.center().y())
    return transform.map(path)


def _fill_number(painter: QPainter, glyphs: QPainterPath, outline: float) -> None:
    """White digits; with ``outline`` > 0 a dark outline that far outside the glyph edges."""
    if outline > 0:
        pen = QPen(NUMBER_OUTLINE, outline * 2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(glyphs)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(NUMBER_COLOR))
    painter.drawPath(glyphs)


def _draw_break_dot(painter: QPainter, state: TrayIconState, size: float) -> None:
    radius = max(2.5, size * 0.15)
    edge = max(1.0, size / 40)
    center = QPointF(size - radius - edge / 2, radius + edge / 2)
    painter.setPen(QPen(QColor("#ffffff") if state.dark_panel else QColor("#3a2a00"), edge))
    painter.setBrush(BREAK_DOT_COLOR)
    painter.drawEllipse(center, radius, radius)
