"""Whether the person is in a call: a microphone or a camera in use by another program.

Why this exists: "don't interrupt my video call" is what users of every break app ask for
most (issue 17). The app holds a due break while :meth:`CallMonitor.in_call` is True and
offers it when the call ends; this package only observes, the policy is core's.

What is read: in-use flags only, never audio or images.

* Linux, microphone (:mod:`.pulse`): the capture streams of PulseAudio or PipeWire's Pulse
  server (``pactl``), watched with one long-lived ``pactl subscribe``. A stream on a real
  input counts; recording a sink's monitor, mixers' level meters and NeckCare's own do not.
* Linux, camera (:mod:`.video`): another process holding ``/dev/video*`` open
  (``/proc/<pid>/fd``), looked at when inotify reports such a device opened or closed.
* Windows (:mod:`.windows`): the ConsentStore's ``LastUsedTimeStop == 0`` marks for the
  microphone and the webcam, packaged and ``NonPackaged`` apps.
* macOS (:mod:`.macos`): CoreAudio's and CoreMediaIO's "device is running somewhere".

Each backend has the shape of :class:`~.base.CallBackend`; :mod:`.choose` picks this
system's; :class:`CallMonitor` (:mod:`.monitor`) turns them into one Qt signal. Where none
can be read, :meth:`CallMonitor.describe` says so in a sentence for Settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neckcare_desktop.platform.backends import lazy_attributes
from neckcare_desktop.platform.calls.base import CallBackend
from neckcare_desktop.platform.calls.choose import default_call_backends
from neckcare_desktop.platform.calls.monitor import CallMonitor

if TYPE_CHECKING:
    from neckcare_desktop.platform.calls.macos import MacCameraBackend, MacMicrophoneBackend
    from neckcare_desktop.platform.calls.pulse import PulseMicBackend
    from neckcare_desktop.platform.calls.video import VideoDeviceBackend
    from neckcare_desktop.platform.calls.windows import WindowsConsentBackend

# Backends load on first use (PEP 562): a running NeckCare holds only its own system's code.
_BACKENDS = {
    "MacCameraBackend": "macos",
    "MacMicrophoneBackend": "macos",
    "PulseMicBackend": "pulse",
    "VideoDeviceBackend": "video",
    "WindowsConsentBackend": "windows",
}


__getattr__ = lazy_attributes(__name__, _BACKENDS)


__all__ = [
    "CallBackend",
    "CallMonitor",
    "MacCameraBackend",
    "MacMicrophoneBackend",
    "PulseMicBackend",
    "VideoDeviceBackend",
    "WindowsConsentBackend",
    "default_call_backends",
]
