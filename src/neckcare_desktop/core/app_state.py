"""NeckCare's own bookkeeping, kept out of the person's ``settings.toml``.

The settings file is the person's: a typo in it must not make NeckCare forget what it
already asked (the first-run "Start at login?" question came back, and its "No" removed
an autostart entry the person had), and NeckCare must not write it for its own notes.
So facts such as "asked about autostart" live in a small JSON file in the data folder,
written atomically and readable only by the owner. A missing or unreadable state file
means "nothing remembered", never an error the person has to deal with.

It also keeps a copy of the ice and heat safety answers. They are the person's settings
and live in ``settings.toml``, which stays the truth whenever it can be read; but a typo
in the break settings must not lift the 10-minute ice limit someone asked for, so when the
file cannot give the answers, the copy here does (see
:mod:`neckcare_desktop.core.settings_safety`).
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from neckcare_desktop.core.atomic_file import write_atomically
from neckcare_desktop.core.settings_file import read_regular
from neckcare_desktop.core.settings_safety import SAFETY_ANSWERS

logger = logging.getLogger(__name__)

#: A state file is a few bytes; anything much larger is not ours.
_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class AppState:
    autostart_asked: bool = False
    #: The ice and heat safety check was answered (``therapy.safety_asked``).
    therapy_safety_asked: bool = False
    #: A copy of the safety answers that were "yes" (``therapy.reduced_skin_feeling`` and
    #: the like, :data:`~neckcare_desktop.core.settings_safety.SAFETY_ANSWERS`), as last applied
    #: from settings that were read or saved whole; None: no copy kept (not in the file).
    therapy_safety_answers: tuple[str, ...] | None = None


def _answers(value: object) -> tuple[str, ...] | None:
    """The known answer names in ``value`` (a JSON list), in their usual order."""
    if not isinstance(value, list):
        return None
    return tuple(name for name in SAFETY_ANSWERS if name in value)


def load_state(path: Path) -> AppState:
    """What NeckCare remembered; defaults when nothing (readable) is there."""
    content, refusal = read_regular(path)
    if refusal is not None or content is None or len(content) > _MAX_BYTES:
        if refusal is not None:
            logger.info("state file %s not read (%s)", path, refusal.kind)
        return AppState()
    try:
        data = json.loads(content.decode("utf-8"))
    except (ValueError, RecursionError):
        logger.info("state file %s is not JSON; starting from nothing remembered", path)
        return AppState()
    if not isinstance(data, Mapping):
        return AppState()
    return AppState(
        autostart_asked=data.get("autostart_asked") is True,
        therapy_safety_asked=data.get("therapy_safety_asked") is True,
        therapy_safety_answers=_answers(data.get("therapy_safety_answers")),
    )


def save_state(state: AppState, path: Path) -> None:
    """Write ``state`` atomically (temporary file, fsync, replace), mode 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data: dict[str, object] = asdict(state)
    data.pop("therapy_safety_answers")
    if state.therapy_safety_answers is not None:  # else as older versions wrote it
        data["therapy_safety_answers"] = list(_answers(list(state.therapy_safety_answers)) or ())
    payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    write_atomically(path, payload)


def remember(path: Path, **changes: Any) -> AppState:
    """Load, change and save the state (``changes``: fields of :class:`AppState`);
    returns what was saved."""
    state = replace(load_state(path), **changes)
    save_state(state, path)
    return state


def legacy_autostart_asked(settings_path: Path) -> bool:
    """``app.autostart_asked = true`` in the settings file, as older versions wrote it.

    Read from the raw TOML, so it counts even when another setting in the file is wrong
    (a typo elsewhere must not bring the question back). Changes nothing on disk.
    """
    content, _refusal = read_regular(settings_path)
    if content is None:
        return False
    try:
        data = tomllib.loads(content.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    app = data.get("app")
    if isinstance(app, Mapping):
        return app.get("autostart_asked") is True
    return data.get("app.autostart_asked") is True
