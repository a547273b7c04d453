"""Guard against the PySide6 bug that crashed long-running apps on Python 3.11.

PySide6 6.12.0 loses one reference to ``None`` on every Qt call that returns nothing; after
a few thousand calls CPython aborts with "deallocating None". A tray app makes such calls
all day, so the installed PySide6 must not have the bug (pyproject excludes 6.12 on 3.11).
"""

from __future__ import annotations

import subprocess
import sys


def test_void_qt_calls_keep_none_alive():
    code = (
        "import sys\n"
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "before = sys.getrefcount(None)\n"
        "for _ in range(20000):\n"
        "    o.setObjectName('x')\n"
        "print(before - sys.getrefcount(None))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
