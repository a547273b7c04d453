"""D-Bus arguments of an exact type, for method calls built by hand from Python.

Why this exists: QtDBus marshals a value by its C++ type, and PySide6 turns every Python
``int`` into ``int`` (D-Bus ``i``, or ``x`` when large) and an empty list into ``av``. A
service that checks its signature (every GDBus-based notification server, dunst
included) rejects ``Notify`` sent that way. ``QDBusArgument`` in PySide6 has no
``operator<<`` for ``uint`` (``u``) or ``uchar`` (``y``), so those two are written by
calling the C++ operators of Qt's own library through ``ctypes``. Where that is not
possible (another platform, a stripped library) :func:`typed_arguments_available` says so
and the callers fall back to something that needs no D-Bus.

A wrong type is not a mere error here: libdbus *aborts the process* when an array or
variant gets an element of another type than its signature. So arrays are opened with their
element type and filled with values converted to exactly that type, never with ``<<`` on a
Python ``str`` (PySide6 picks its ``QStringList`` overload for a ``str``).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from PySide6.QtCore import QMetaType
from PySide6.QtDBus import QDBusArgument

logger = logging.getLogger(__name__)

#: Itanium C++ ABI names of ``QDBusArgument &QDBusArgument::operator<<(uint)`` and ``(uchar)``.
_UINT_SYMBOL = "_ZN13QDBusArgumentlsEj"
_BYTE_SYMBOL = "_ZN13QDBusArgumentlsEh"


@cache
def _operators() -> tuple[Any, Any] | None:
    # WORKAROUND for https://bugreports.qt.io/browse/PYSIDE-1904 (no way to give a D-Bus
    # argument its type from Python: QDBusArgument.__lshift__ offers bool, int and float
    # only, no uint, no uchar). It can go when a PySide6 release builds a ``u`` and a ``y``
    # itself: then uint32() and byte() write through that and these C++ symbols go, with
    # the fallback in typed_arguments_available().
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    try:
        import shiboken6  # noqa: F401 (checked here: the callers need it)

        lib = ctypes.CDLL("libQt6DBus.so.6")
        write_uint = getattr(lib, _UINT_SYMBOL)
        write_byte = getattr(lib, _BYTE_SYMBOL)
    except (OSError, AttributeError, ImportError) as exc:
        logger.info("typed D-Bus arguments unavailable (%s)", exc)
        return None
    write_uint.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    write_uint.restype = ctypes.c_void_p
    write_byte.argtypes = [ctypes.c_void_p, ctypes.c_uint8]
    write_byte.restype = ctypes.c_void_p
    return write_uint, write_byte


def typed_arguments_available() -> bool:
    """True when :func:`uint32` and :func:`byte` can be built in this process."""
    return _operators() is not None


def _write(index: int, value: int) -> QDBusArgument:
    import shiboken6

    operators = _operators()
    if operators is None:
        raise RuntimeError("typed D-Bus arguments are not available on this system")
    argument = QDBusArgument()
    operators[index](shiboken6.getCppPointer(argument)[0], value)
    return argument


def uint32(value: int) -> QDBusArgument:
    """A D-Bus ``u``."""
    if not 0 <= value <= 0xFFFF_FFFF:
        raise ValueError(f"{value} does not fit a D-Bus uint32")
    return _write(0, value)


def byte(value: int) -> QDBusArgument:
    """A D-Bus ``y``."""
    if not 0 <= value <= 0xFF:
        raise ValueError(f"{value} does not fit a D-Bus byte")
    return _write(1, value)


def uint64(value: int) -> QDBusArgument:
    """A D-Bus ``t`` (Mutter's ``AddIdleWatch`` takes one); same workaround as :func:`uint32`."""
    if not 0 <= value <= 0xFFFF_FFFF_FFFF_FFFF:
        raise ValueError(f"{value} does not fit a D-Bus uint64")
    writer = _uint64_operator()
    if writer is None:
        raise RuntimeError("typed D-Bus arguments are not available on this system")
    import shiboken6

    argument = QDBusArgument()
    writer(shiboken6.getCppPointer(argument)[0], value)
    return argument


@cache
def _uint64_operator() -> Any:
    # WORKAROUND for https://bugreports.qt.io/browse/PYSIDE-1904, as in _operators():
    # ``QDBusArgument &QDBusArgument::operator<<(qulonglong)``.
    if _operators() is None:
        return None
    try:
        write = ctypes.CDLL("libQt6DBus.so.6")._ZN13QDBusArgumentlsEy
    except (OSError, AttributeError) as exc:
        logger.info("typed D-Bus uint64 unavailable (%s)", exc)
        return None
    write.argtypes = [ctypes.c_void_p, ctypes.c_uint64]
    write.restype = ctypes.c_void_p
    return write


def string_array(items: Iterable[str]) -> QDBusArgument:
    """A D-Bus ``as``, also when empty (an empty Python list would be sent as ``av``)."""
    argument = QDBusArgument()
    argument.beginArray(QMetaType(QMetaType.Type.QString))
    for item in items:
        argument.appendVariant(str(item))
    argument.endArray()
    return argument


def variant_map(values: Mapping[str, str | bool | QDBusArgument]) -> dict[str, Any]:
    """A D-Bus ``a{sv}``: PySide6 sends a ``dict`` with ``str`` keys as exactly that.

    Values may be ``str``, ``bool`` or a typed :class:`QDBusArgument` (``byte(2)``): Qt puts
    the argument's own signature in the variant. Python ``int`` is refused, since it would go
    out as ``i`` where the receiver usually wants something else.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            raise TypeError(f"hint {key!r}: pass a typed argument (uint32/byte), not int")
        out[str(key)] = value
    return out


def signature_of(argument: QDBusArgument) -> str:
    """The D-Bus signature an argument built here will have on the wire."""
    return argument.currentSignature()
