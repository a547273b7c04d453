"""The repository has what it announces, and its documents name only files it has."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "neckcare_desktop"

#: Documents whose file names a reader follows.
DOCUMENTS = sorted(
    [ROOT / "README.md", *(ROOT / "bench").glob("*.md"), *(ROOT / "packaging").glob("*.md")]
)

#: Names the documents give to files NeckCare, the tests or the tools make at run time,
#: or to an example a reader creates; none of them belongs in the repository.
MADE_AT_RUN_TIME = {
    "settings.toml",  # the person's settings
    "history.sqlite3",
    "neckcare.log",
    "neckcare.sock",
    "bench/results/latest.json",  # written by bench/run.py, git-ignored
    "bench/results/wayland.json",  # written by bench/wayland_bench.py, git-ignored
    "bench/results/package.json",  # written by bench/package_bench.py, git-ignored
    "exercises.toml",  # the person's own exercises, in the config folder
    "test-artifacts/e2e/",  # e2e screenshots
    "failures/",  # under test-artifacts/e2e/
    "resources/translations/neckcare_fr.ts",  # what `--add fr` would create
    "app-state.json",  # the app's own notes (first run, last version)
    "therapy-state.json",  # the running ice or heat session, for a restart
    "history-pending.jsonl",  # history rows waiting for a locked file
    "demo/history-demo.sqlite3",  # the demo history under a time scale
    "dist/neckcare-desktop_*.deb",  # written by packaging/build_deb.py
    "./dist/neckcare-desktop_*.deb",
    "build/deb/",  # its staging folder
    "neckcare-desktop_*.deb",
}
#: Absolute paths of the operating system, not of a project checkout.
SYSTEM_ROOTS = ("/proc/", "/sys/", "/dev/", "/run/", "/tmp/", "/usr/", "/etc/", "/opt/")

_EXTENSIONS = r"\.(md|py|toml|json|svg|png|wav|ts|qm|desktop|txt|sh|cfg|ini|ya?ml)"


def _candidates(text: str) -> set[str]:
    """File names the text gives: in `code`, as link targets, and any ``*.md`` at all."""
    # A fenced block's three backticks would pair with the spans around it and hide them:
    # its lines are commands, read each line as its own span instead.
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    text = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    spans = set(re.findall(r"`([^`]+)`", text))  # a code span may cross a line break
    spans |= {w.strip("\"'") for block in fenced for w in block.split() if "/" in w}
    spans |= set(re.findall(r"\]\(([^)\s]+)\)", text))
    spans |= set(re.findall(r"(?<![\w./-])(/?(?:[\w.-]+/)*[\w.-]+\.md)\b", text))
    names = set()
    for span in spans:
        span = span.strip().rstrip(".,:;")
        if (
            not span
            or span == "/"
            or span.startswith(("~", "$", "%", "http", "-", "<"))
            or re.search(r"[\s()=<>{}|\\]|YYYY", span)
            or re.fullmatch(r"\.\w+", span)  # an extension: `.ts`
        ):
            continue
        if "/" in span or re.search(_EXTENSIONS + r"$", span):
            names.add(span)
    return names


def _exists(name: str) -> bool:
    if name.startswith("/"):
        return name.startswith(SYSTEM_ROOTS)
    if "*" in name:
        return any(ROOT.glob(name))
    if (ROOT / name).exists() or (PACKAGE / name).exists():
        return True
    if "/" not in name:  # a bare module name in the layout list: somewhere in the tree
        return any(
            path.name == name
            for folder in ("src", "tests", "tools", "bench", "resources", "packaging")
            for path in (ROOT / folder).rglob(name)
        )
    return False


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_name_no_file_that_is_not_in_the_repository(document: Path):
    named = _candidates(document.read_text(encoding="utf-8"))
    missing = sorted(n for n in named - MADE_AT_RUN_TIME if not _exists(n))
    assert not missing, (
        f"{document.relative_to(ROOT)} names files the repository does not have: {missing}"
    )


def test_the_check_finds_a_missing_file():
    text = "See `docs/nothing.md`, DEVELOPERS.md and [x](bench/none.py); `/work/notes/a.md`."
    named = _candidates(text)
    assert {"docs/nothing.md", "DEVELOPERS.md", "bench/none.py", "/work/notes/a.md"} <= named
    assert not any(_exists(n) for n in named)
    assert (
        _exists("core/settings.py")
        and _exists("breaks.py")
        and _exists("docs/screenshots/es-*.png")
    )


def test_the_license_pyproject_announces_is_there():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text
    assert "NeckCare Desktop developers" in text  # the authors pyproject names


def test_sources_name_no_notes_outside_the_repository():
    """A comment that sends the reader to a file this repository does not have (a team's
    notes, another checkout) is a dead end for the next person."""
    outside = re.compile(r"/work/|shared/notes|DEVELOPERS\.md")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in (PACKAGE, ROOT / "tests", ROOT / "bench", ROOT / "tools")
        for path in sorted(folder.rglob("*.py"))
        if path.name != "test_repository_files.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []
