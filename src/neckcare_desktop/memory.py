"""Give the memory that start-up used and freed back to the system."""

from __future__ import annotations

import gc


def give_back_memory() -> None:
    """Return the heap that start-up used and freed (imports, parsing) to the system.

    glibc keeps freed memory mapped for reuse; an app that then idles all day would hold
    it for nothing. Harmless elsewhere: other C libraries simply lack the call.
    """
    gc.collect()
    # WORKAROUND for https://sourceware.org/bugzilla/show_bug.cgi?id=14827 (glibc's free()
    # keeps freed small chunks mapped instead of giving them back). It can go once glibc
    # trims by itself, or the interpreter's allocator returns freed memory on its own.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
