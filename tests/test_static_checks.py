"""The layers, the types and the style, checked by the tools that own them, in the suite.

``.ci/run`` runs the README's test command, which runs pytest: so these checks run in CI
with no step of their own, and a developer who runs the tests runs them too. Each one runs
the tool the venv installed (the ``test`` extra) as a subprocess on the repository's own
sources, with the configuration in ``pyproject.toml``:

* ``lint-imports``: the import-linter contracts (core imports nothing of Qt, the UI, the
  platform, the app or the scheduler; ui nothing of the platform; platform nothing of ui);
* ``ruff check`` and ``ruff format --check`` over ``src``, ``tests``, ``tools`` and ``bench``;
* ``mypy``: strict on ``core/``, clean on the rest.

A failure names every offender (the tool's own lines), not only the first. The checks write
nothing into the source tree: no caches (mypy's goes to a temporary folder).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
#: What ruff checks: the README's Development section names the same folders.
RUFF_PATHS = ("src", "tests", "tools", "bench")


def _tool(name: str) -> str:
    """The tool installed beside this Python (the venv's), else on PATH; CI must have it."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required on CI: pip install '.[test]'")
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # The sources of this checkout come first, before any installed copy of the package
    # (CI installs it without -e): import-linter imports the package to find its modules.
    python_path = [str(SRC), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    # Plain text, one offender a line, in the failure message.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(python_path),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    return subprocess.run(
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _fail_unless(ok: bool, proc: subprocess.CompletedProcess[str], summary: str) -> None:
    """Fail with the summary and the tool's whole output (every offender it named)."""
    if not ok:
        pytest.fail(f"{summary}\n{proc.stdout}{proc.stderr}".rstrip(), pytrace=False)


def test_import_contracts_hold():
    """The layers the README describes, as import-linter contracts in pyproject.toml."""
    proc = _run(_tool("lint-imports"), "--no-logo", "--no-cache")
    _fail_unless("Contracts:" in proc.stdout, proc, "lint-imports did not check its contracts")
    broken = re.findall(r"^(.+) BROKEN$", proc.stdout, flags=re.MULTILINE)
    _fail_unless(proc.returncode == 0 and not broken, proc, f"broken import contracts: {broken}")


def test_ruff_finds_nothing():
    proc = _run(
        _tool("ruff"), "check", "--no-cache", "--no-fix", "--output-format=concise", *RUFF_PATHS
    )
    _fail_unless(proc.returncode == 0, proc, f"ruff check {' '.join(RUFF_PATHS)}:")


def test_code_is_formatted():
    proc = _run(_tool("ruff"), "format", "--check", "--no-cache", *RUFF_PATHS)
    # "Would reformat: path" (older ruff) or a diff under "--> path:line:column".
    pattern = r"^(?:Would reformat: |\s*--> )(.+?)(?::\d+:\d+)?$"
    offenders = sorted(set(re.findall(pattern, proc.stdout, flags=re.MULTILINE)))
    _fail_unless(proc.returncode == 0, proc, f"run: ruff format {' '.join(offenders)}")


def test_mypy_is_clean(tmp_path_factory: pytest.TempPathFactory):
    """Strict on core/, clean on the rest (pyproject.toml's [tool.mypy])."""
    # The cache lives outside the source tree; a warm .mypy_cache of the developer's is
    # not trusted here either (mypy takes a few seconds cold).
    cache = tmp_path_factory.mktemp("mypy-cache")
    proc = _run(_tool("mypy"), "--cache-dir", str(cache), "--no-color-output", "--no-pretty")
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    files = sorted({line.split(":", 1)[0] for line in errors})
    _fail_unless(
        proc.returncode == 0 and not errors, proc, f"mypy: {len(errors)} errors in {files}:"
    )


def test_ci_runs_the_readme_test_command():
    """CI runs these checks only because it runs pytest as the README says; keep them one."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci_command = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci_command.endswith("&& .venv/bin/python -m pytest"), ci_command
    assert "pip install -q '.[test]'" in ci_command, ci_command
    assert ".venv/bin/pip install -e '.[test]'\n.venv/bin/python -m pytest " in readme
    assert f"ruff check {' '.join(RUFF_PATHS)}" in readme
