"""Shipped resources: found from any install layout, icons visible, stretch list safe.

A missing or unrenderable icon means an invisible tray entry, and the stretch list is
read by people in pain, so its content is checked as well as its format.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from neckcare_desktop import resources
from neckcare_desktop.core.stretches import KINDS, default_stretches
from neckcare_desktop.resources import resource_path

ICONS = ("neckcare.svg", "neckcare-paused.svg")
SVG_NS = "{http://www.w3.org/2000/svg}"


# --- resource_path ------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ("icons", "neckcare.svg"),
        ("icons", "neckcare-paused.svg"),
        ("stretches.toml",),
        ("sounds", "break-start.wav"),
        ("sounds", "break-end.wav"),
        ("sounds", "therapy-end.wav"),
    ],
)
def test_every_shipped_resource_is_found(parts: tuple[str, ...]) -> None:
    path = resource_path(*parts)
    assert path.is_absolute()
    assert path.is_file()
    assert path.stat().st_size > 0


def test_installed_copy_wins_over_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "site-packages" / "resources"
    checkout = tmp_path / "checkout" / "resources"
    for root in (installed, checkout):
        (root / "icons").mkdir(parents=True)
        (root / "icons" / "x.svg").write_text("<svg/>", encoding="utf-8")
    (checkout / "only-here.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(resources, "INSTALLED_RESOURCES", installed)
    monkeypatch.setattr(resources, "CHECKOUT_RESOURCES", checkout)

    assert resource_path("icons", "x.svg") == installed / "icons" / "x.svg"
    assert resource_path("only-here.toml") == checkout / "only-here.toml"


def test_missing_resource_error_says_what_and_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "INSTALLED_RESOURCES", tmp_path / "a")
    monkeypatch.setattr(resources, "CHECKOUT_RESOURCES", tmp_path / "b")

    with pytest.raises(FileNotFoundError) as info:
        resource_path("icons", "nope.svg")

    message = str(info.value)
    assert "icons/nope.svg" in message
    assert str(tmp_path / "a") in message
    assert str(tmp_path / "b") in message


@pytest.mark.parametrize("parts", [(), ("..", "pyproject.toml"), ("/etc/passwd",)])
def test_resource_path_refuses_paths_outside_resources(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        resource_path(*parts)


# --- Icons --------------------------------------------------------------------------


def _render(name: str, size: int = 22) -> QImage:
    renderer = QSvgRenderer(str(resource_path("icons", name)))
    assert renderer.isValid(), f"{name} is not a valid SVG for Qt"
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _pixels(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


@pytest.mark.parametrize("name", ICONS)
def test_icon_is_plain_svg_qt_can_render(name: str) -> None:
    root = ET.parse(resource_path("icons", name)).getroot()
    assert root.tag == f"{SVG_NS}svg"
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    # Features QSvgRenderer ignores or renders inconsistently (SVG Tiny 1.2 profile).
    assert not tags & {"text", "filter", "style", "image", "foreignObject"}


@pytest.mark.parametrize("name", ICONS)
def test_icon_fills_a_tray_slot_with_a_visible_silhouette(qapp, name: str) -> None:
    pixels = _pixels(_render(name, 22))
    opaque = [c for c in pixels if c.alpha() > 200]
    # The badge covers most of the slot, so the icon never looks like a stray dot.
    assert len(opaque) > 0.6 * len(pixels)
    # A light silhouette on a darker badge: visible contrast inside the icon itself,
    # which is what keeps it readable on both light and dark panels.
    light = [c for c in opaque if c.lightness() > 220]
    dark = [c for c in opaque if c.lightness() < 150]
    assert len(light) > 0.1 * len(opaque)
    assert len(dark) > 0.2 * len(opaque)


def test_paused_icon_looks_different_and_grey(qapp) -> None:
    normal = _render("neckcare.svg", 22)
    paused = _render("neckcare-paused.svg", 22)
    assert normal != paused

    def mean_saturation(image: QImage) -> float:
        opaque = [c for c in _pixels(image) if c.alpha() > 200]
        return sum(c.hsvSaturation() for c in opaque) / len(opaque)

    assert mean_saturation(normal) > 100  # clearly coloured
    assert mean_saturation(paused) < 30  # clearly greyed out


# --- Stretch list -------------------------------------------------------------------

FORBIDDEN = re.compile(
    r"neck rolls?|circle your neck|roll your (head|neck)|neck circles?|deep pressure"
    r"|as far as (you|it) can|force|crack|cure|treat",
    re.IGNORECASE,
)


def test_shipped_stretch_list_is_complete() -> None:
    stretches = default_stretches()
    assert len(stretches) >= 10
    assert len({s.id for s in stretches}) == len(stretches)
    by_kind = {kind: [s for s in stretches if kind in s.kinds] for kind in KINDS}
    assert len(by_kind["micro"]) >= 4
    assert len(by_kind["posture"]) >= 6
    # A micro-break lasts about 20 seconds; its suggestions must fit.
    assert all(s.seconds <= 20 for s in by_kind["micro"])

    text = {s.id: f"{s.title} {s.how}".lower() for s in stretches}
    assert any("20 seconds" in t and "6 m" in t for t in text.values()), "20-20-20 rule missing"
    assert any("chin" in t and "back" in t for t in text.values()), "chin tuck missing"
    assert any("walk" in t for t in text.values())
    assert any("water" in t for t in text.values())


def test_shipped_stretches_are_gentle() -> None:
    for stretch in default_stretches():
        words = f"{stretch.title} {stretch.how}"
        assert not FORBIDDEN.search(words), f"{stretch.id}: {FORBIDDEN.search(words)}"
        if stretch.stop_if_hurts:
            assert "stop if it hurts" in stretch.how.lower(), stretch.id
        if "neck" in words.lower() or "ear towards your shoulder" in words.lower():
            assert stretch.stop_if_hurts, f"{stretch.id} moves the neck without a warning"
    shoulder_rolls = [s for s in default_stretches() if "shoulder roll" in s.title.lower()]
    assert shoulder_rolls, "slow shoulder rolls missing"
    assert all("head still" in s.how.lower() for s in shoulder_rolls)


# --- Stretch illustrations ------------------------------------------------------------

STRETCH_IMAGES = sorted(resource_path("stretches").glob("*.svg"))
#: What QSvgRenderer (SVG Tiny 1.2) draws reliably; anything else may vanish or differ.
SVG_ALLOWED_TAGS = {"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect"}
COLOUR_ATTRIBUTES = ("fill", "stroke")


def test_every_suggestion_has_its_own_illustration() -> None:
    stretches = default_stretches()
    assert all(s.image == f"stretches/{s.id}.svg" for s in stretches)
    assert all(resource_path(*s.image.split("/")).is_file() for s in stretches if s.image)
    # ...and no stray drawing ships without a suggestion that shows it.
    assert {p.stem for p in STRETCH_IMAGES} == {s.id for s in stretches}


@pytest.mark.parametrize("path", STRETCH_IMAGES, ids=lambda p: p.stem)
def test_illustration_is_plain_svg_in_a_few_colours(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 200 200"
    colours: set[str] = set()
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        # No text (it would not be translated), filters, CSS, scripts or embedded images.
        assert tag in SVG_ALLOWED_TAGS, f"{path.name}: <{tag}>"
        assert not {"style", "class", "filter", "href"} & set(element.attrib), path.name
        colours.update(
            element.get(a).upper()
            for a in COLOUR_ATTRIBUTES
            if element.get(a) not in (None, "none")
        )
    # Calm and simple: a background card, the figure and one accent for movement.
    assert 2 <= len(colours) <= 3, f"{path.name}: {sorted(colours)}"


@pytest.mark.parametrize("path", STRETCH_IMAGES, ids=lambda p: p.stem)
def test_illustration_renders_a_figure_on_a_light_card(qapp, path: Path) -> None:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), f"{path.name} is not a valid SVG for Qt"
    size = 160
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    pixels = _pixels(image)
    opaque = [c for c in pixels if c.alpha() > 200]
    # The card fills the square, so the drawing reads on light, dark and high-contrast
    # window backgrounds alike.
    assert len(opaque) > 0.9 * len(pixels)
    assert image.pixelColor(size // 2, size // 2).alpha() == 255
    light = [c for c in opaque if c.lightness() > 200]
    ink = [c for c in opaque if c.lightness() < 110]
    assert len(light) > 0.5 * len(opaque)
    assert len(ink) > 0.03 * len(opaque), f"{path.name}: hardly any figure"


@pytest.mark.parametrize("path", STRETCH_IMAGES, ids=lambda p: p.stem)
def test_illustration_description_is_gentle(path: Path) -> None:
    """The comment that describes each drawing must not describe a risky movement."""
    text = path.read_text(encoding="utf-8")
    assert "<!--" in text
    assert not FORBIDDEN.search(text), f"{path.name}: {FORBIDDEN.search(text)}"
