"""What a command-socket backend provides, for :mod:`.single_instance` to serve and call.

Two backends implement it: :mod:`.local_socket_unix` (stdlib AF_UNIX, POSIX) and
:mod:`.local_socket_qt` (``QLocalServer``, Windows). Keeping the interface here, apart from
both, lets the serving logic and the tests treat them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

from PySide6.QtCore import QObject

#: Connections the kernel (or QLocalServer) queues before the event loop accepts them:
#: enough for a burst of scripted commands, and for the clients that arrive while accepting
#: is paused because the app ran out of file descriptors.
BACKLOG: Final = 128


class ListenError(OSError):
    """Listening failed; ``address_in_use`` says whether the name was taken meanwhile."""

    def __init__(self, message: str, *, address_in_use: bool = False) -> None:
        super().__init__(message)
        self.address_in_use = address_in_use


class Busy(OSError):
    """The socket's queue of waiting connections is full (``EAGAIN``): try again shortly."""


class Unclear(OSError):
    """Something holds the name but the connection neither worked nor was refused."""


class Stream(Protocol):
    """One accepted client connection, as the serving code sees it."""

    #: The Qt object the connection's idle timer hangs from (None: the connection owns it).
    timer_parent: QObject | None

    def set_handlers(self, on_data: Callable[[], None], on_closed: Callable[[], None]) -> None:
        """Called when bytes arrive, and once when the connection has ended."""

    def is_open(self) -> bool:
        """Connected; also while a hang-up waits for queued replies to go out."""

    def has_data(self) -> bool: ...

    def read_available(self) -> bytes: ...

    def send(self, data: bytes) -> None:
        """Queue ``data``; it goes out now or as soon as the client reads."""

    def hang_up(self) -> None:
        """Close after the queued replies are out."""

    def abort(self) -> None:
        """Drop the connection now."""

    def dispose(self) -> None:
        """Release it; Qt objects go only after the event loop has left their signals."""


class Channel(Protocol):
    """The CLI's blocking connection; every call is bounded by the caller's deadline."""

    def write_all(self, data: bytes, deadline: float) -> None: ...

    def read(self, deadline: float) -> bytes:
        """Some bytes, ``b""`` once the other side hung up; TimeoutError past the deadline."""

    def close(self) -> None: ...
