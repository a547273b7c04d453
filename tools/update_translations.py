"""Update NeckCare's translations: stretch texts, ``.ts`` sources and compiled ``.qm`` files.

Three steps, in this order:

1. ``src/neckcare_desktop/core/stretch_texts.py`` is generated from
   ``resources/stretches.toml``: one ``QT_TRANSLATE_NOOP("Stretch", ...)`` per title and
   how-to, because ``pyside6-lupdate`` reads Python, not TOML.
2. ``pyside6-lupdate`` scans every ``.py`` file under ``src/neckcare_desktop`` and merges
   new, changed and removed texts into each ``resources/translations/neckcare_<lang>.ts``
   (``-no-obsolete``: texts that left the code leave the file too). New texts are marked
   ``type="unfinished"`` until a translator fills them in (Qt Linguist, or any editor).
3. ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` file the app loads.

Usage::

    python tools/update_translations.py             # all three steps, every language
    python tools/update_translations.py --add fr    # start neckcare_fr.ts, then as above
    python tools/update_translations.py --release   # only step 3 (after translating)
    python tools/update_translations.py --check     # change nothing; exit 1 if out of date

The tools are found next to the running Python (a venv's ``bin``) or on ``PATH``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

logger = logging.getLogger("update_translations")

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "src" / "neckcare_desktop"
STRETCHES_TOML = ROOT / "resources" / "stretches.toml"
STRETCH_TEXTS = SOURCE_DIR / "core" / "stretch_texts.py"
TRANSLATIONS = ROOT / "resources" / "translations"
#: ``neckcare_<lang>.ts``: the language code is what ``app.language`` and the loader use.
TS_PATTERN = re.compile(r"^neckcare_([a-z]{2,3}(?:_[A-Z]{2})?)\.ts$")

#: Longest string literal piece in the generated module (keeps lines under ruff's 100).
_PIECE = 80


def _literal(text: str, indent: str) -> str:
    """``text`` as one or more adjacent double-quoted literals, each on its own line."""
    pieces = textwrap.wrap(
        text, _PIECE, drop_whitespace=False, break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(f"{indent}{json.dumps(piece, ensure_ascii=False)}" for piece in pieces)


def render_stretch_texts(toml_text: str) -> str:
    """The source of ``stretch_texts.py`` for the stretch list in ``toml_text``."""
    entries = tomllib.loads(toml_text).get("stretch", [])
    lines = [
        '"""Stretch titles and how-tos, marked for translation (context "Stretch").',
        "",
        "Generated from resources/stretches.toml by tools/update_translations.py: do not edit",
        "by hand; change the TOML and run the tool. ``pyside6-lupdate`` cannot read TOML, so",
        "this module is how those texts reach the .ts files. The app translates them where",
        'it shows them, with ``translate("Stretch", text)``; tests/test_translations.py checks',
        "that this module matches the TOML.",
        '"""',
        "",
        "from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP",
        "",
        "STRETCH_TEXTS: tuple[str, ...] = (",
    ]
    for entry in entries:
        lines.append(f"    # {entry['id']}")
        for field in ("title", "how"):
            text = str(entry[field]).strip()
            if len(json.dumps(text, ensure_ascii=False)) + 36 <= 100:
                lines.append(
                    f'    QT_TRANSLATE_NOOP("Stretch", {json.dumps(text, ensure_ascii=False)}),'
                )
            else:
                lines.append("    QT_TRANSLATE_NOOP(")
                lines.append('        "Stretch",')
                lines.append(_literal(text, "        ") + ",")
                lines.append("    ),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def find_tool(name: str) -> str:
    """``pyside6-lupdate`` & co.: beside this Python first (a venv), then on ``PATH``."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install PySide6) first")
    return found


def source_files() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT)) for p in SOURCE_DIR.rglob("*.py") if "__pycache__" not in p.parts
    )


def ts_files() -> list[Path]:
    return sorted(p for p in TRANSLATIONS.glob("neckcare_*.ts") if TS_PATTERN.match(p.name))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run_lupdate(ts: Path, *, language: str | None = None) -> None:
    command = [
        find_tool("pyside6-lupdate"),
        *source_files(),
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
    ]
    if language is not None:
        command += ["-target-language", language]
    command += ["-ts", str(ts)]
    logger.info("lupdate -> %s", _shown(ts))
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    _strip_extracomments(ts)


#: ``pyside6-lupdate`` reads a ``#:`` comment as a note for translators, but this code base
#: uses ``#:`` for documenting constants (Sphinx style), which then lands on whatever
#: string comes next. Those notes would mislead translators: drop them all.
_EXTRACOMMENT = re.compile(r"\n\s*<extracomment>.*?</extracomment>", re.S)


def _strip_extracomments(ts: Path) -> None:
    text = ts.read_text(encoding="utf-8")
    cleaned = _EXTRACOMMENT.sub("", text)
    if cleaned != text:
        ts.write_text(cleaned, encoding="utf-8")


def run_lrelease(ts: Path, qm: Path) -> None:
    logger.info("lrelease %s -> %s", _shown(ts), _shown(qm))
    subprocess.run(
        [find_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def check() -> list[str]:
    """What is out of date, in words; empty when everything matches the sources."""
    problems = []
    expected = render_stretch_texts(STRETCHES_TOML.read_text(encoding="utf-8"))
    if not STRETCH_TEXTS.exists() or STRETCH_TEXTS.read_text(encoding="utf-8") != expected:
        problems.append(f"{STRETCH_TEXTS.relative_to(ROOT)} does not match the stretch list")
    with tempfile.TemporaryDirectory() as tmp:
        for ts in ts_files():
            copy = Path(tmp) / ts.name
            shutil.copyfile(ts, copy)
            run_lupdate(copy)
            if copy.read_bytes() != ts.read_bytes():
                problems.append(f"{ts.relative_to(ROOT)} is not up to date with the code")
            qm = Path(tmp) / (ts.stem + ".qm")
            run_lrelease(ts, qm)
            shipped = ts.with_suffix(".qm")
            if not shipped.exists() or shipped.read_bytes() != qm.read_bytes():
                problems.append(f"{shipped.relative_to(ROOT)} is not compiled from its .ts")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add", metavar="LANG", help="start a translation, e.g. fr or pt_BR")
    parser.add_argument("--release", action="store_true", help="only compile .ts into .qm")
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is stale")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.chdir(ROOT)

    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python tools/update_translations.py", file=sys.stderr)
        return 1 if problems else 0

    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    if not args.release:
        STRETCH_TEXTS.write_text(
            render_stretch_texts(STRETCHES_TOML.read_text(encoding="utf-8")), encoding="utf-8"
        )
        logger.info("wrote %s", STRETCH_TEXTS.relative_to(ROOT))
        if args.add:
            if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", args.add):
                parser.error(f"--add needs a language code such as fr or pt_BR, got {args.add!r}")
            new = TRANSLATIONS / f"neckcare_{args.add}.ts"
            if new.exists():
                parser.error(f"{new.relative_to(ROOT)} already exists")
            run_lupdate(new, language=args.add)
        for ts in ts_files():
            run_lupdate(ts)
    for ts in ts_files():
        run_lrelease(ts, ts.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
