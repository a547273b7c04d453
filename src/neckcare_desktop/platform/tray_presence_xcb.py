"""X11 (XEmbed) tray host: told by Qt's own tracker when it dies or a new one starts.

Qt's xcb plugin follows the ``_NET_SYSTEM_TRAY_S<n>`` selection: it listens for the tray
window's ``DestroyNotify`` and for the ``MANAGER`` client message a new tray broadcasts on
the root window, and emits ``systemTrayWindowChanged(QScreen*)`` on the platform native
interface. Qt uses that signal itself to re-dock every visible ``QSystemTrayIcon``
(``QSystemTrayWatcher`` in ``qsystemtrayicon_x11.cpp``), so listening to the same signal
costs nothing: no timer, no extra X traffic. PySide6 does not bind
``QGuiApplication::platformNativeInterface()``; its C++ function is called through
``ctypes`` and the object wrapped with ``shiboken6``.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import SIGNAL, QObject
from PySide6.QtGui import QGuiApplication

logger = logging.getLogger(__name__)

#: ``QPlatformNativeInterface *QGuiApplication::platformNativeInterface()`` (Itanium ABI).
_NATIVE_INTERFACE_SYMBOL = "_ZN15QGuiApplication23platformNativeInterfaceEv"
_SIGNAL = "systemTrayWindowChanged(QScreen*)"


def native_interface() -> QObject | None:
    """The xcb platform's native interface object, or None where it cannot be had."""
    # WORKAROUND for https://github.com/qt/qtbase/blob/dev/src/plugins/platforms/xcb/qxcbnativeinterface.h
    # (the xcb plugin's systemTrayWindowChanged signal, reachable only through the private
    # platformNativeInterface(), which PySide6 does not bind; Qt has no public "the tray came
    # or went" signal, and no public report asking for one was found). It can go when Qt or
    # PySide6 offers such a signal; if a Qt release drops this one, tray_presence.py's poll
    # takes over by itself.
    if QGuiApplication.platformName() != "xcb" or not sys.platform.startswith("linux"):
        return None
    try:
        import shiboken6

        function = getattr(ctypes.CDLL("libQt6Gui.so.6"), _NATIVE_INTERFACE_SYMBOL)
    except (OSError, AttributeError, ImportError) as exc:
        logger.info("cannot reach Qt's tray tracker (%s)", exc)
        return None
    function.restype = ctypes.c_void_p
    function.argtypes = []
    address = function()
    if not address:
        return None
    native = cast(QObject, shiboken6.wrapInstance(address, QObject))  # typed as shiboken's Object
    meta = native.metaObject()
    if meta.indexOfSignal(_SIGNAL) < 0:
        logger.info("%s has no %s signal", meta.className(), _SIGNAL)
        return None
    return native


def watch(on_change: Callable[[], None]) -> QObject | None:
    """Call ``on_change()`` whenever the X11 tray host goes or comes.

    Returns the object watched (keep it referenced), or None when this cannot be done.
    """
    native = native_interface()
    if native is None:
        return None
    if not QObject.connect(native, SIGNAL(_SIGNAL), lambda *_: on_change()):
        return None
    return native
