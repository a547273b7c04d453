"""The architecture the README's Development section promises (core without Qt, one
APScheduler module, thin views), checked so it cannot quietly erode."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import neckcare_desktop

PACKAGE = Path(neckcare_desktop.__file__).parent
#: The checkout (CI tests an installed copy of the package, not this tree's src/).
ROOT = Path(__file__).resolve().parents[1]


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


def _core_modules() -> list[str]:
    """Every module of core/, subpackages included (``core.history`` is a package)."""
    names = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("neckcare_desktop", *parts)))
    return names


#: What core may not load, not even indirectly at run time (import-linter sees the static
#: imports; this sees what importing every core module really loads).
NOT_IN_CORE = (
    "PySide6",
    "shiboken6",
    "apscheduler",
    "neckcare_desktop.ui",
    "neckcare_desktop.platform",
    "neckcare_desktop.app",
    "neckcare_desktop.scheduling",
)


def test_core_runs_without_qt_installed_in_the_process():
    """Importing every core module loads no Qt at all (not even indirectly), nor the
    scheduler, the views, the platform or the app."""
    modules = _core_modules()
    assert "neckcare_desktop.core.engine" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"banned = {NOT_IN_CORE!r}\n"
        + "print(sorted(m for m in sys.modules"
        + " if any(m == b or m.startswith(b + '.') for b in banned)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_only_scheduling_talks_to_apscheduler():
    users = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(m.split(".")[0] == "apscheduler" for m in imported_modules(path))
    )
    assert users == ["scheduling.py"]


# -- views render and forward intents; they write nothing --------------------------------

#: Every public method of HistoryStore, sorted by whether it changes the person's data.
#: A new method fails ``test_every_history_method_is_classified`` until it is put in one.
HISTORY_STORE_WRITES = frozenset(
    {"record", "log_episode", "update_pain", "resolve_episode", "delete_all", "forget_applied"}
)
HISTORY_STORE_READS = frozenset(
    {
        "unavailable",
        "is_available",
        "recent",
        "counts_between",
        "therapy_seconds_between",
        "last_event",
        "latest_inserted",
        "events_page",
        "daily_summary",
        "explain_daily_summary",
        "daily_pain",
        "daily_adherence",
        "daily_rounds",
        "habit_days",
        "explain_habits",
        "streak",
        "episode",
        "episodes_between",
        "open_episodes",
        "latest_unresolved_episode",
        "export_csv",  # writes the CSV file the person chose, not their data
        "export",
        "quick_check",
        "integrity_ok",
        "close",
    }
)

#: The public functions of the modules that keep settings and the app's own notes,
#: sorted the same way. ``load_settings`` writes: it keeps a bad file's rolling backup.
FILE_MODULES = {
    "neckcare_desktop.core.settings_file": (
        {"save_settings", "load_settings"},
        {"read_regular", "file_state", "backup_path_for", "read_language"},
    ),
    "neckcare_desktop.core.app_state": (
        {"save_state", "remember"},
        {"load_state", "legacy_autostart_asked"},
    ),
    "neckcare_desktop.core.atomic_file": ({"write_atomically"}, set()),
}

#: Methods of the autostart backends (platform/autostart.py) that change the login items.
AUTOSTART_WRITES = frozenset({"enable", "disable"})

#: The scheduler is the engine's: a view that plans a job decides policy.
SCHEDULER_CALLS = frozenset({"call_at"})

#: Methods a view may never call on anything but itself (a view's own ``delete_all`` that
#: emits ``delete_all_requested`` is its business; ``self._store.delete_all()`` is not).
WRITE_METHODS = HISTORY_STORE_WRITES | AUTOSTART_WRITES | SCHEDULER_CALLS

#: Functions a view may never name, whichever module of the package it imports them from.
WRITE_FUNCTIONS = frozenset(name for writes, _ in FILE_MODULES.values() for name in writes)

#: Dotted references a view may never make: the history job that deletes everything.
WRITE_REFERENCES = frozenset({"JobKind.DELETE"})


def _public_functions(module_name: str) -> set[str]:
    module = importlib.import_module(module_name)
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module_name
        and not name.startswith("_")
    }


def test_every_history_method_is_classified():
    """The lists the view check relies on stay true as the history store grows."""
    from neckcare_desktop.core.history import HistoryStore

    # Methods and properties; constants (SCHEMA_VERSION) change nothing.
    public = {name for name in dir(HistoryStore) if not name.startswith("_") and not name.isupper()}
    classified = HISTORY_STORE_WRITES | HISTORY_STORE_READS
    assert sorted(public - classified) == [], "classify them in HISTORY_STORE_WRITES/READS"
    assert sorted(classified - public) == [], "gone from HistoryStore: drop them here"


@pytest.mark.parametrize("module_name", sorted(FILE_MODULES))
def test_every_file_function_is_classified(module_name: str):
    writes, reads = FILE_MODULES[module_name]
    public = _public_functions(module_name)
    assert sorted(public - writes - reads) == [], f"classify them in FILE_MODULES[{module_name!r}]"
    assert sorted((writes | reads) - public) == [], f"gone from {module_name}: drop them here"


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything that is not a plain name chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _package_imports(tree: ast.Module, module: str) -> dict[str, str]:
    """Local name -> the fully qualified name it stands for, for imports of this package."""
    names: dict[str, str] = {}
    package_parts = module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                names[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = alias.name if alias.asname else local
    return {k: v for k, v in names.items() if v.startswith("neckcare_desktop.")}


def writes_in(source: str, module: str) -> list[str]:
    """Where a view's source changes data: imports, calls or references of a write."""
    tree = ast.parse(source)
    imported = _package_imports(tree, module)
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.update(
                (node.lineno, f"imports {alias.name}")
                for alias in node.names
                if alias.name in WRITE_FUNCTIONS and (alias.asname or alias.name) in imported
            )
            continue
        if not isinstance(node, ast.Attribute | ast.Name):
            continue
        chain = _dotted(node)
        if chain is None:  # self._stores[0].record(...): the method name alone decides
            if isinstance(node, ast.Attribute) and node.attr in WRITE_METHODS:
                found.add((node.lineno, f".{node.attr}"))
            continue
        head = imported.get(chain[0])
        qualified = ".".join([head, *chain[1:]]) if head else ".".join(chain)
        if (
            (chain[-1] in WRITE_METHODS and len(chain) > 1 and chain[:-1] != ["self"])
            or (chain[-1] in WRITE_FUNCTIONS and head is not None)
            or any(qualified.endswith(f".{ref}") for ref in WRITE_REFERENCES)
        ):
            found.add((node.lineno, ".".join(chain)))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def view_writes(path: Path) -> list[str]:
    module = ".".join(("neckcare_desktop", *path.relative_to(PACKAGE).with_suffix("").parts))
    return writes_in(path.read_text(encoding="utf-8"), module)


def test_views_write_no_data_and_plan_no_jobs():
    """Views render and forward intents: the history, the settings file, the app's notes
    and the login items are written by the controller and core, never by a module of ui/;
    nor does a view plan or cancel the engine's jobs."""
    offenders = [
        f"{path.relative_to(PACKAGE)} {where}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for where in view_writes(path)
    ]
    assert not offenders, "views that write (emit an intent instead):\n" + "\n".join(offenders)


def test_the_view_check_finds_writes():
    """The check above is not vacuous: it sees each kind of write a view once made."""
    source = (
        "from neckcare_desktop.core.settings_file import save_settings\n"
        "from neckcare_desktop.core import app_state\n"
        "from ..history_jobs import JobKind\n"
        "class View:\n"
        "    def delete_all(self):\n"
        "        self._store.log_episode(1)\n"
        "        self.stores[0].resolve_episode(1)\n"
        "        app_state.remember(p, asked=True)\n"
        "        self._autostart.enable([])\n"
        "        self.start(JobKind.DELETE)\n"
        "        self.delete_all()\n"
        "        self.engine.scheduler.call_at('x', when, self.delete_all)\n"
    )
    found = writes_in(source, "neckcare_desktop.ui.probe")
    assert found == [
        "line 1: imports save_settings",
        "line 6: self._store.log_episode",
        "line 7: .resolve_episode",
        "line 8: app_state.remember",
        "line 9: self._autostart.enable",
        "line 10: JobKind.DELETE",
        "line 12: self.engine.scheduler.call_at",
    ]


def test_import_contracts_cover_the_layers():
    """The import-linter contracts (run by tests/test_static_checks.py) still forbid what
    the README promises; weakening one fails here, by name."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    forbidden = {
        (source, target)
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "forbidden"
        for source in contract["source_modules"]
        for target in contract["forbidden_modules"]
    }
    required = {
        ("neckcare_desktop.core", target)
        for target in (
            "PySide6",
            "shiboken6",
            "apscheduler",
            "neckcare_desktop.ui",
            "neckcare_desktop.platform",
            "neckcare_desktop.app",
            "neckcare_desktop.scheduling",
        )
    } | {
        ("neckcare_desktop.ui", "neckcare_desktop.platform"),
        ("neckcare_desktop.platform", "neckcare_desktop.ui"),
    }
    assert sorted(required - forbidden) == []


#: One job a module: past this a module has grown a second job (issue 15 split them).
MAX_MODULE_LINES = 500


def test_no_module_is_over_500_lines():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split them: one job a module, at most {MAX_MODULE_LINES} lines"
