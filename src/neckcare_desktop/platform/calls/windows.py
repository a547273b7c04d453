"""Microphone and camera in use on Windows, from the privacy settings' own records.

Windows notes in the registry which apps use a "capability" (the microphone, the webcam)
and since when: under ``HKCU\\...\\CapabilityAccessManager\\ConsentStore\\<capability>``
each app has a key (packaged apps by package name; classic programs under ``NonPackaged``,
named by their path with ``#`` for ``\\``) with ``LastUsedTimeStart`` and
``LastUsedTimeStop``. While an app uses the device, ``LastUsedTimeStop`` is 0. This is the
flag behind the taskbar's microphone icon; no audio or image is touched.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, Final

from neckcare_desktop.platform.backends import BackendUnavailable
from neckcare_desktop.platform.calls.base import NO_REGISTRY
from neckcare_desktop.platform.calls.polled import POLL_S, PolledBackend

CONSENT_STORE: Final = (
    r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
)
NON_PACKAGED: Final = "NonPackaged"
#: ConsentStore's capability key -> what it is called here.
CAPABILITIES: Final = {"microphone": "microphone", "webcam": "camera"}


def _subkeys(reg: Any, key: Any) -> Iterator[str]:
    index = 0
    while True:
        try:
            yield reg.EnumKey(key, index)
        except OSError:  # ERROR_NO_MORE_ITEMS
            return
        index += 1


def _stop_is_zero(reg: Any, parent: Any, name: str) -> bool:
    try:
        with reg.OpenKey(parent, name) as app:
            value, _kind = reg.QueryValueEx(app, "LastUsedTimeStop")
    except OSError:  # no such value: never used, or a key of another shape
        return False
    return value == 0


def apps_using(reg: Any, capability: str, *, own: str = "") -> list[str]:
    """The apps whose ``LastUsedTimeStop`` is 0 for ``capability`` ("microphone",
    "webcam"), packaged and NonPackaged; ``own`` (our NonPackaged name) is left out.

    ``reg`` is the :mod:`winreg` module (tests pass a fake with the same calls).
    Raises BackendUnavailable if the capability's key does not exist.
    """
    try:
        store = reg.OpenKey(reg.HKEY_CURRENT_USER, rf"{CONSENT_STORE}\{capability}")
    except OSError:
        raise BackendUnavailable(NO_REGISTRY) from None
    using = []
    with store:
        for name in list(_subkeys(reg, store)):
            if name == NON_PACKAGED:
                try:
                    classic = reg.OpenKey(store, NON_PACKAGED)
                except OSError:
                    continue
                with classic:
                    using += [
                        f"{NON_PACKAGED}\\{app}"
                        for app in list(_subkeys(reg, classic))
                        if app.lower() != own.lower() and _stop_is_zero(reg, classic, app)
                    ]
            elif _stop_is_zero(reg, store, name):
                using.append(name)
    return using


class WindowsConsentBackend(PolledBackend):
    """Microphone or webcam in use by any app, from the ConsentStore (read every few s)."""

    def __init__(self, capability: str, reg: Any = None, *, poll_s: float = POLL_S) -> None:
        super().__init__(self._look, poll_s=poll_s)
        self.name = f"windows-consent-{capability}"
        self.device = CAPABILITIES.get(capability, capability)
        self._capability = capability
        self._reg = reg
        # Our own executable under NonPackaged, should NeckCare ever open the microphone.
        self._own = sys.executable.replace("\\", "#")
        #: Who was found using the device at the last look (for the log and tests).
        self.apps: list[str] = []

    def _look(self) -> bool:
        if self._reg is None:
            if sys.platform != "win32":
                raise BackendUnavailable(NO_REGISTRY, permanent=True)
            import winreg

            self._reg = winreg
        self.apps = apps_using(self._reg, self._capability, own=self._own)
        return bool(self.apps)
