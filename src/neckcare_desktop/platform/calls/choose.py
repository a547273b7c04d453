"""Which call-detection backends fit this system (no I/O: objects only)."""

from __future__ import annotations

from collections.abc import Mapping

from neckcare_desktop.platform.backends import detect_session
from neckcare_desktop.platform.calls.base import CallBackend


def default_call_backends(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> list[CallBackend]:
    """Microphone first, then camera. Imports only this system's backends (a running
    NeckCare holds only its own system's code)."""
    session = detect_session(environ, platform)
    if session.platform == "win32":
        from neckcare_desktop.platform.calls.windows import WindowsConsentBackend

        return [WindowsConsentBackend("microphone"), WindowsConsentBackend("webcam")]
    if session.platform == "darwin":
        from neckcare_desktop.platform.calls.macos import MacCameraBackend, MacMicrophoneBackend

        return [MacMicrophoneBackend(), MacCameraBackend()]
    if session.platform.startswith(("linux", "freebsd")):
        from neckcare_desktop.platform.calls.pulse import PulseMicBackend
        from neckcare_desktop.platform.calls.video import VideoDeviceBackend

        backends: list[CallBackend] = [PulseMicBackend()]
        if session.platform.startswith("linux"):  # /proc/<pid>/fd is Linux's
            backends.append(VideoDeviceBackend())
        return backends
    return []
