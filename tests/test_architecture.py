"""The architecture the README's Development section promises (core without Qt, one
APScheduler module, thin views), checked so it cannot quietly erode."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import neckcare_desktop

PACKAGE = Path(neckcare_desktop.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_qt():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in {"PySide6", "shiboken6"}
        )
        for path in (PACKAGE / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_runs_without_qt_installed_in_the_process():
    """Importing every core module loads no Qt at all (not even indirectly)."""
    modules = sorted(p.stem for p in (PACKAGE / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import neckcare_desktop.core.{m}\n" for m in modules)
        + "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_only_scheduling_talks_to_apscheduler():
    users = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(m.split(".")[0] == "apscheduler" for m in imported_modules(path))
    )
    assert users == ["scheduling.py"]


def test_ui_does_not_write_history_or_decide_policy():
    """Views render and forward intents; they never record events or touch the scheduler."""
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".record(" not in text, path
        assert "call_at(" not in text, path
