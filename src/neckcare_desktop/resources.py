"""Locate data files (icons, sounds, the stretch list) that ship with the app.

Resources live in the top-level ``resources/`` folder of the source tree. A built
wheel copies that folder into the package as ``neckcare_desktop/resources`` (hatch
``force-include``), while an editable install leaves it at the checkout root. This
module hides the difference so callers never build paths by hand.

It deliberately imports nothing but the standard library: ``core`` (which must stay
Qt-free) uses it to load the shipped stretch list.
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Installed wheel: resources are copied next to this module.
INSTALLED_RESOURCES = _PACKAGE_DIR / "resources"
#: Source checkout / editable install: ``<repo>/src/neckcare_desktop`` -> ``<repo>/resources``.
CHECKOUT_RESOURCES = _PACKAGE_DIR.parents[1] / "resources"


def resource_roots() -> tuple[Path, ...]:
    """Return the folders searched for resources, in priority order.

    The installed copy wins so a wheel never accidentally picks up files from some
    unrelated checkout that happens to sit two levels above site-packages.
    """
    return (INSTALLED_RESOURCES, CHECKOUT_RESOURCES)


def resource_path(*parts: str) -> Path:
    """Return the absolute path of a shipped resource file, e.g. ``("icons", "neckcare.svg")``.

    Raises ``FileNotFoundError`` naming the relative path and every folder searched,
    because a missing resource is a packaging bug and the message should make that
    obvious instead of surfacing later as a blank tray icon or a silent alarm.
    """
    if not parts:
        raise ValueError("resource_path() needs at least one path component")
    relative = Path(*parts)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource path must be relative and stay inside resources/: {relative}")
    roots = resource_roots()
    for root in roots:
        candidate = root / relative
        if candidate.exists():
            return candidate
    searched = ", ".join(str(root) for root in roots)
    logger.debug("Resource %s not found (searched: %s)", relative.as_posix(), searched)
    raise FileNotFoundError(
        f"NeckCare resource {relative.as_posix()!r} not found; looked in: {searched}. "
        "The installation may be incomplete."
    )
