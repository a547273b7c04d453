"""The tray icon shows the state at a glance: checked pixel by pixel at known states.

Geometry under test (see the module docstring of ``ui.tray_icon``): the therapy ring is a
stroke of width ``max(2, round(size / 8))`` along the icon's edge, and it *empties clockwise
from 12 o'clock*: with a fraction ``left`` of the time remaining, the ring is coloured from
``(1 - left) × 360°`` clockwise from the top round to 12 o'clock, and empty before that.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette

from neckcare_desktop.ui import tray_icon
from neckcare_desktop.ui.tray_icon import (
    TRAY_SIZES,
    TrayIconState,
    panel_is_dark,
    render_tray_icon,
    tray_qicon,
)

ICE = QColor("#2F80ED")
HEAT = QColor("#F2994A")
AMBER = QColor("#FFC21A")
TEAL = QColor("#12948f")
GREY = QColor("#8a9096")


@pytest.fixture(autouse=True)
def _app_and_fresh_cache(qapp: object) -> None:
    """Text rendering needs a QGuiApplication; a fresh cache keeps tests independent."""
    tray_icon.clear_cache()


def ice(left: float, minutes: int | None = None, **kw: object) -> TrayIconState:
    return TrayIconState(therapy_kind="ice", therapy_fraction_left=left, minutes_left=minutes, **kw)


def color_at(image: QImage, x: float, y: float) -> QColor:
    return image.pixelColor(int(x), int(y))


def is_color(pixel: QColor, expected: QColor, tolerance: int = 45) -> bool:
    """Opaque and within ``tolerance`` per channel of ``expected``."""
    return pixel.alpha() > 200 and all(
        abs(a - b) <= tolerance
        for a, b in zip(pixel.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def ring_point(size: int, clock_degrees: float) -> tuple[float, float]:
    """Middle of the ring stroke at a clock angle: 0 = 12 o'clock, 90 = 3 o'clock, clockwise."""
    width = max(2, round(size * 0.125))
    radius = (size - width) / 2
    theta = math.radians(clock_degrees)
    return size / 2 + radius * math.sin(theta), size / 2 - radius * math.cos(theta)


def ring_color(image: QImage, clock_degrees: float) -> QColor:
    return color_at(image, *ring_point(image.width(), clock_degrees))


def dot_center(size: int) -> tuple[float, float]:
    """Centre of the break dot: top-right corner, radius max(2.5, 15 % of the size)."""
    radius = max(2.5, size * 0.15)
    edge = max(1.0, size / 40)
    return size - radius - edge / 2, radius + edge / 2


def white_pixels(image: QImage, margin: float) -> int:
    """Count near-white opaque pixels inside the central square (the number's area)."""
    lo, hi = int(image.width() * margin), int(image.width() * (1 - margin))
    return sum(
        1
        for y in range(lo, hi)
        for x in range(lo, hi)
        if is_color(image.pixelColor(x, y), QColor("#ffffff"), tolerance=20)
    )


# --- the progress ring ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 22, 64])
def test_full_ice_ring_is_blue_all_the_way_round(size: int) -> None:
    image = render_tray_icon(ice(1.0, 15), size)
    assert image.width() == image.height() == size
    for angle in range(0, 360, 30):
        assert is_color(ring_color(image, angle), ICE), (angle, ring_color(image, angle).name())


def test_ring_pixel_at_twelve_o_clock_is_blue_at_the_start() -> None:
    image = render_tray_icon(ice(1.0, 20))
    top = color_at(image, 32, 4)  # the ring stroke spans y = 0..8 at the top of a 64 px icon
    assert is_color(top, ICE), top.name()


def test_with_a_quarter_left_only_nine_to_twelve_o_clock_stays_blue() -> None:
    """75 % of the time has passed: the hand swept clockwise from 12 round to 9 o'clock."""
    image = render_tray_icon(ice(0.25, 5))
    for angle in (285, 300, 315, 330, 345):  # top-left quarter: still coloured
        assert is_color(ring_color(image, angle), ICE), angle
    for angle in (15, 45, 75, 105, 135, 180, 225, 255):  # swept: no blue at all
        pixel = ring_color(image, angle)
        assert not is_color(pixel, ICE, tolerance=90), (angle, pixel.name())
    top_right = ring_color(image, 45)
    assert top_right.alpha() > 0, "the empty track stays visible"


@pytest.mark.parametrize("left", [0.9, 0.75, 0.5, 0.4, 0.1])
def test_ring_empties_clockwise_from_twelve(left: float) -> None:
    image = render_tray_icon(ice(left, 9))
    boundary = (1 - left) * 360
    for angle in range(5, 360, 10):
        if abs(angle - boundary) < 8:
            continue  # antialiased edge of the arc
        blue = is_color(ring_color(image, angle), ICE)
        assert blue == (angle > boundary), (left, angle)


def test_ring_is_empty_when_time_is_up_and_out_of_range_values_are_clamped() -> None:
    done = render_tray_icon(ice(0.0, 0))
    assert not any(is_color(ring_color(done, a), ICE, tolerance=90) for a in range(0, 360, 15))
    assert render_tray_icon(ice(-0.3, 0)) == done
    assert render_tray_icon(ice(float("nan"), 0)) == done
    assert render_tray_icon(ice(1.7, 0)) == render_tray_icon(ice(1.0, 0))


def test_heat_ring_is_orange_not_blue() -> None:
    image = render_tray_icon(TrayIconState("heat", 1.0, 25))
    for angle in (0, 90, 180, 270):
        pixel = ring_color(image, angle)
        assert is_color(pixel, HEAT), pixel.name()
        assert not is_color(pixel, ICE, tolerance=90)


def test_no_ring_without_a_running_timer() -> None:
    image = render_tray_icon(TrayIconState())
    for angle in (0, 90, 180, 270):
        pixel = ring_color(image, angle)
        assert not is_color(pixel, ICE, tolerance=90) and not is_color(pixel, HEAT, tolerance=60)


# --- the minutes number -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
def test_minutes_left_are_drawn(size: int) -> None:
    five = render_tray_icon(ice(0.5, 5), size)
    twelve = render_tray_icon(ice(0.5, 12), size)
    assert five != twelve
    assert white_pixels(five, 0.3) > 0
    assert white_pixels(twelve, 0.3) > 0


def test_number_replaces_the_badge_at_tray_sizes() -> None:
    """At 16–24 px there is room for ring + number only: the silhouette is left out."""
    with_number = render_tray_icon(ice(0.5, 8), 22)
    badge_only = render_tray_icon(ice(0.5, None), 22)
    assert with_number != badge_only
    # The compact number sits on a disc in the badge's dark teal, filling the ring.
    assert is_color(color_at(with_number, 6, 11), TEAL.darker(125), tolerance=30)


def test_number_that_would_be_unreadable_is_left_out() -> None:
    """Three digits at 16 px would be a smudge: show ring and badge instead."""
    assert render_tray_icon(ice(0.5, 120), 16) == render_tray_icon(ice(0.5, None), 16)
    assert render_tray_icon(ice(0.5, 120), 64) != render_tray_icon(ice(0.5, None), 64)


def test_large_number_has_a_dark_outline_to_read_on_the_badge() -> None:
    image = render_tray_icon(ice(0.5, 7), 64)
    row = [image.pixelColor(x, 32) for x in range(10, 54)]
    whites = [i for i, c in enumerate(row) if is_color(c, QColor("#ffffff"), 25)]
    assert whites, "the digit crosses the middle row"
    left_edge = row[whites[0] - 1]
    assert left_edge.lightness() < 90, left_edge.name()


# --- break dot, paused, panels ------------------------------------------------------------------


@pytest.mark.parametrize("size", [22, 64])
@pytest.mark.parametrize("therapy", [False, True])
def test_break_dot_shows_only_when_a_break_is_pending(size: int, therapy: bool) -> None:
    base = ice(0.5, 10) if therapy else TrayIconState()
    x, y = dot_center(size)
    with_dot = render_tray_icon(TrayIconState(**{**base.__dict__, "break_pending": True}), size)
    without = render_tray_icon(base, size)
    assert is_color(color_at(with_dot, x, y), AMBER, tolerance=30)
    assert not is_color(color_at(without, x, y), AMBER, tolerance=60)


def test_paused_icon_uses_the_grey_paused_badge() -> None:
    normal = render_tray_icon(TrayIconState())
    paused = render_tray_icon(TrayIconState(paused=True))
    assert normal != paused
    assert is_color(color_at(normal, 8, 32), TEAL, tolerance=20)
    assert is_color(color_at(paused, 8, 32), GREY, tolerance=20)
    # The paused SVG's pause mark (dark disc, bottom right) is there too.
    assert color_at(paused, 47, 47).lightness() < 90


def test_paused_reminders_still_show_the_running_timer() -> None:
    paused = render_tray_icon(ice(1.0, 10, paused=True), 22)
    assert is_color(ring_color(paused, 0), ICE)
    assert paused != render_tray_icon(ice(1.0, 10), 22)


def test_dark_panel_gets_a_light_outline_and_a_light_panel_a_dark_one() -> None:
    light = render_tray_icon(TrayIconState())
    dark = render_tray_icon(TrayIconState(dark_panel=True))
    assert light != dark
    assert color_at(light, 1, 32).lightness() < 100
    assert color_at(dark, 1, 32).lightness() > 180


def test_empty_ring_track_follows_the_panel() -> None:
    light = render_tray_icon(ice(0.25, 3))
    dark = render_tray_icon(ice(0.25, 3, dark_panel=True))
    assert ring_color(light, 90).lightness() < 60  # dark track on a light panel
    assert ring_color(dark, 90).lightness() > 200  # light track on a dark panel
    assert ring_color(light, 90).alpha() > 40 and ring_color(dark, 90).alpha() > 40


def test_break_dot_outline_follows_the_panel() -> None:
    x, y = dot_center(64)
    radius = 64 * 0.15
    edge_y = y - radius  # the outline at the top of the dot
    light = render_tray_icon(TrayIconState(break_pending=True))
    dark = render_tray_icon(TrayIconState(break_pending=True, dark_panel=True))
    assert color_at(light, x, edge_y).lightness() < color_at(dark, x, edge_y).lightness() - 60


@pytest.mark.parametrize(("window", "dark"), [("#202124", True), ("#efefef", False)])
def test_panel_is_dark_follows_the_palette(window: str, dark: bool) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    assert panel_is_dark(palette) is dark


# --- the base shape: a neck and posture icon, not a contact avatar ----------------------------

SMALL_TRAY_SIZES = (16, 22, 24, 32)


def is_light(pixel: QColor) -> bool:
    return pixel.alpha() > 200 and pixel.lightness() > 190


def is_coral(pixel: QColor) -> bool:
    return (
        pixel.alpha() > 200 and pixel.red() - pixel.green() > 60 and pixel.red() - pixel.blue() > 50
    )


def on_panel(image: QImage, panel: str) -> QImage:
    """``image`` composited on a panel colour, the way the tray host shows it."""
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(QColor(panel))
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


@pytest.mark.parametrize("size", SMALL_TRAY_SIZES)
def test_figure_is_a_side_view_not_a_front_facing_avatar(size: int) -> None:
    """A head-and-shoulders avatar is mirror-symmetric; a profile of head, neck and back is not.

    The old icon's white silhouette matched its mirror image to the pixel at every tray size.
    """
    image = render_tray_icon(TrayIconState(), size)
    light = [(x, y) for y in range(size) for x in range(size) if is_light(image.pixelColor(x, y))]
    assert len(light) > 0.2 * size * size, "a bold white figure fills much of the badge"
    unmatched = [(x, y) for x, y in light if not is_light(image.pixelColor(size - 1 - x, y))]
    assert len(unmatched) > 0.1 * len(light), (size, len(unmatched), len(light))


@pytest.mark.parametrize("size", SMALL_TRAY_SIZES)
def test_the_neck_is_marked_in_coral_below_the_head(size: int) -> None:
    """The cervical spine is the one warm patch in the badge, in the neck: under the head,
    above the shoulders' base, and big enough to see at 16 px."""
    image = render_tray_icon(TrayIconState(), size)
    coral = [(x, y) for y in range(size) for x in range(size) if is_coral(image.pixelColor(x, y))]
    assert len(coral) >= size * size / 40, (size, len(coral))
    assert all(0.3 * size <= y <= 0.85 * size for _, y in coral)
    assert all(0.2 * size <= x <= 0.65 * size for x, _ in coral)
    # The head above it is plain white: the mark is the neck, not a face or a badge.
    assert is_light(color_at(image, size / 2, size / 4))
    # Paused greys the whole badge, the neck mark included.
    paused = render_tray_icon(TrayIconState(paused=True), size)
    assert not any(is_coral(paused.pixelColor(x, y)) for y in range(size) for x in range(size))


@pytest.mark.parametrize("size", SMALL_TRAY_SIZES)
@pytest.mark.parametrize(("panel", "dark"), [("#f0f0f0", False), ("#303030", True)])
def test_badge_edge_stands_out_on_light_and_dark_panels(size: int, panel: str, dark: bool) -> None:
    shown = on_panel(render_tray_icon(TrayIconState(dark_panel=dark), size), panel)
    edge = shown.pixelColor(0, size // 2)
    assert abs(edge.lightness() - QColor(panel).lightness()) > 80, (edge.name(), panel)
    # ...and the figure stands out on the badge the same on both panels.
    head = shown.pixelColor(size // 2, size // 4)
    badge = shown.pixelColor(size // 8 + 1, size // 2)
    assert head.lightness() - badge.lightness() > 120, (head.name(), badge.name())


# --- API details --------------------------------------------------------------------------------


def test_tray_qicon_has_a_hand_drawn_pixmap_for_every_tray_size() -> None:
    state = ice(0.6, 11, break_pending=True)
    icon = tray_qicon(state)
    assert isinstance(icon, QIcon)
    assert sorted(s.width() for s in icon.availableSizes()) == list(TRAY_SIZES)
    pixmap = icon.pixmap(22, 22)
    assert pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied) == (
        render_tray_icon(state, 22)
    )


def test_rendering_is_cached_and_callers_cannot_corrupt_the_cache() -> None:
    first = render_tray_icon(ice(0.5, 9))
    first.fill(QColor("red"))
    second = render_tray_icon(ice(0.5, 9))
    assert is_color(ring_color(second, 270), ICE)
    info = tray_icon._render_cached.cache_info()
    assert info.hits >= 1 and info.currsize == 1


def test_a_timer_ticking_every_second_reuses_images() -> None:
    """Progress is drawn in 1.5° steps: a 20 min timer needs a new image only every 5 s."""
    total = 20 * 60
    for second in range(0, 20):
        render_tray_icon(ice(1 - second / total, 20))
    assert tray_icon._render_cached.cache_info().currsize <= 5
    for minute in range(20):
        render_tray_icon(ice(1 - minute / 20, 20 - minute))
    assert tray_icon._render_cached.cache_info().currsize <= tray_icon._CACHE_SIZE


def test_tray_qicon_for_an_unchanged_state_is_not_rebuilt() -> None:
    state = ice(0.5, 10)
    first = tray_qicon(state)
    second = tray_qicon(ice(0.5 + 1e-4, 10))  # one second later on a 20 min timer
    assert first.cacheKey() == second.cacheKey()  # the same shared icon data
    assert tray_qicon(ice(0.4, 8)).cacheKey() != first.cacheKey()


def test_unknown_therapy_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="therapy_kind"):
        TrayIconState(therapy_kind="sauna")
