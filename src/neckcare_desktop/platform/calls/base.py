"""The shape every call-detection backend has, and the words for "cannot watch here"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP

#: tr() context of every sentence this package shows (Settings says why detection is off).
CONTEXT: Final = "CallDetection"

NO_PACTL: Final = QT_TRANSLATE_NOOP(
    "CallDetection", "the pactl program (package pulseaudio-utils) is not installed"
)
NO_SERVER: Final = QT_TRANSLATE_NOOP("CallDetection", "no PulseAudio or PipeWire server was found")
NO_PROC: Final = QT_TRANSLATE_NOOP("CallDetection", "the list of processes (/proc) cannot be read")
NO_REGISTRY: Final = QT_TRANSLATE_NOOP(
    "CallDetection", "Windows does not record microphone and camera use here"
)
NO_COREAUDIO: Final = QT_TRANSLATE_NOOP("CallDetection", "CoreAudio cannot be loaded")
NO_COREMEDIAIO: Final = QT_TRANSLATE_NOOP("CallDetection", "CoreMediaIO cannot be loaded")
NOT_SUPPORTED: Final = QT_TRANSLATE_NOOP("CallDetection", "this system is not supported")


class CallBackend(Protocol):
    """One source of "a microphone or camera is in use by another program".

    Backends read in-use flags only (stream lists, open device files, the registry's
    last-used marks, CoreAudio's running flag): never audio or images.

    * ``start(changed)`` begins watching and returns at once; ``changed()`` is called from
      the event loop whenever :meth:`in_use` or :meth:`problem` may have changed.
    * ``in_use()`` answers from what the backend last learnt, at once.
    * ``problem()`` is None while the backend can watch, else an untranslated reason (one of
      the ``NO_*`` texts above, translated with :data:`CONTEXT` where shown).
    * ``close()`` stops watching; no ``changed()`` comes after it.
    """

    name: str
    #: "microphone" or "camera": what this backend watches (for the log and describe()).
    device: str

    def start(self, changed: Callable[[], None]) -> None: ...

    def in_use(self) -> bool: ...

    def problem(self) -> str | None: ...

    def close(self) -> None: ...
