"""Keep PySide6 from holding the source text of every module the app imports.

PySide6 (PYSIDE-2029) looks at each module imported after it, to learn whether the module
uses PySide and so may switch ``__feature__`` options. It does that with
``inspect.getsource(module)``, which reads the whole file through :mod:`linecache`, and
linecache keeps every line for good. For NeckCare that is about 180 files, 3 MB of text and
7.6 MB of resident memory (measured with ``bench/run.py``) spent on a question whose answer
is one substring test. Clearing the cache later does not give the memory back: the lines
sit in the same allocator arenas as the modules imported between them.

:func:`install` swaps the check for one that reads the file, answers the same question and
keeps nothing. It must run after ``shiboken6`` is imported and before the app's own
modules are; it does nothing when a PySide6 release no longer has the check (a test says
so if that happens).
"""

from __future__ import annotations

import contextlib
import linecache
import sys
from collections.abc import Iterator
from types import ModuleType

#: Where PySide6 keeps the import hook (the module is embedded in shiboken6).
_FEATURE_MODULE = "shibokensupport.feature"


# WORKAROUND for https://bugreports.qt.io/browse/PYSIDE-2029 (the import hook that fix added
# reads every imported module with inspect.getsource; no public report of the memory this
# keeps in linecache was found). It can go when a PySide6 release stops reading module
# sources through linecache (shibokensupport/feature.py, _mod_uses_pyside): then
# tests/test_startup_footprint.py::test_no_module_source_is_kept_in_memory passes without
# install(), or install() finds no check to replace and that file's lean-check test fails.
def install() -> bool:
    """Replace PySide6's source-reading check; True when it was there to replace."""
    import shiboken6  # noqa: F401 - loads the feature module and its import hook

    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False
    if getattr(original, "keeps_no_source", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # compiled, built-in or frozen: PySide's own answer
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False  # as PySide6 answers for a module whose file it cannot read

    uses_pyside.keeps_no_source = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    # What shiboken6 read while importing itself (enum.py alone is 80 kB).
    linecache.clearcache()
    return True


# WORKAROUND for https://github.com/agronholm/apscheduler/blob/3.x/src/apscheduler/util.py
# (APScheduler 3 imports asyncio at module level, for iscoroutinefunction; no report of its
# cost was found) and CPython's asyncio, which imports ssl whenever it can
# (Lib/asyncio/sslproto.py, base_events.py). The ssl module and OpenSSL's libraries are
# about 3 MB of a tray app's resident memory (bench/run.py), and NeckCare never opens a
# TLS connection. Used only around the APScheduler imports in scheduling.py. It can go
# when APScheduler imports asyncio lazily or requires-python reaches 3.14 (where
# apscheduler.util no longer imports it): tests/test_startup_footprint.py then still
# finds no ssl without it.
@contextlib.contextmanager
def without_ssl() -> Iterator[None]:
    """Import what is inside without ``ssl``: asyncio then runs without TLS support.

    Nothing is changed for later: once the block ends ``import ssl`` works as usual, so a
    module that really needs TLS still gets it. Does nothing when ssl is loaded already.
    """
    if "ssl" in sys.modules:
        yield
        return
    sys.modules["ssl"] = None  # type: ignore[assignment]  # "import ssl" raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("ssl", 0) is None:
            del sys.modules["ssl"]
