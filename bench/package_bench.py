"""The installed Debian package next to the venv install: start-up to the tray icon, and RSS.

    python3 bench/package_bench.py                      # the package installed already
    sudo python3 bench/package_bench.py --deb dist/neckcare-desktop_0.1.0_amd64.deb

Run with the venv's interpreter (``.venv/bin/python``): the venv install is the
``neckcare`` next to it. ``--deb`` installs the package with ``apt-get`` first and purges
it afterwards (root). Measured as ``bench/run.py`` measures NeckCare (see bench/README.md),
on the same private Xvfb + trayer + dunst desktop: process start → ``neckcare ready``
(the tray icon shown, the log line's own time stamp) and → the icon docked and mapped in
trayer; one warm-up run each, then ``--runs`` runs each, interleaved, the median; VmRSS
5 s after start. Both start as the desktop entry does (``neckcare --foreground``). Also
listed: the Qt libraries each one has mapped 5 s after start (what the package keeps must
cover them), and the installed size. Writes ``bench/results/package.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import (  # noqa: E402  (bench/run.py: the rig and its timing)
    IDLE_SETTINGS,
    RESULTS,
    BenchDesktop,
    BenchError,
    TimedNeckCare,
    rss_mb,
    wait_docked,
    wait_undocked,
)
from tests.e2e.desktop import (  # noqa: E402
    APP_WM_CLASS,
    DesktopError,
    neckcare_executable,
    pause,
)

PACKAGE = "neckcare-desktop"
INSTALLED = Path("/usr/bin/neckcare")


def log(message: str) -> None:
    print(f"package-bench: {message}", flush=True)


def installed_size_mb() -> float | None:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Installed-Size}", PACKAGE], capture_output=True, text=True
    )
    return round(int(result.stdout) / 1024, 1) if result.returncode == 0 else None


def venv_size_mb() -> float:
    """The size of the venv this benchmark runs in (NeckCare with the whole of PySide6)."""
    venv = Path(sys.prefix)
    total = sum(p.lstat().st_size for p in venv.rglob("*") if p.is_file() or p.is_symlink())
    return round(total / 2**20, 1)


def qt_libraries(pid: int) -> list[str]:
    names = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and "/libQt6" in parts[5]:
            names.add(Path(parts[5]).name)
    return sorted(names)


def one_run(desktop: BenchDesktop, home: Path, executable: Path) -> dict[str, Any]:
    app = TimedNeckCare(
        desktop, home, settings=IDLE_SETTINGS, time_scale=None, executable=executable
    )
    app.launch()
    try:
        ready = app.wait_ready_time()
        docked = wait_docked(desktop, APP_WM_CLASS, app.spawned)
        left = app.spawned + 5 - time.time()
        if left > 0:
            pause(left)
        figures = {
            "ready_ms": round(ready * 1000, 1),
            "docked_ms": round(docked * 1000, 1),
            "rss_5s_mb": round(rss_mb(app.pid), 1),
            "qt": qt_libraries(app.pid),
        }
    finally:
        leftovers = app.stop()
    if leftovers:
        raise BenchError(f"NeckCare left processes behind: {leftovers}")
    wait_undocked(desktop, APP_WM_CLASS)
    return figures


def measure(runs: int) -> dict[str, Any]:
    installs = {"venv": neckcare_executable(), "package": INSTALLED}
    result: dict[str, Any] = {"runs": runs, "venv": [], "package": []}
    with tempfile.TemporaryDirectory(prefix="nc-pkg-bench-") as work_dir:
        work = Path(work_dir)
        with BenchDesktop(work / "desktop") as desktop:
            for name, exe in installs.items():
                log(f"warm-up: {name} ({exe})")
                one_run(desktop, work / f"{name}-home", exe)
            for i in range(runs):
                order = list(installs.items())
                if i % 2:
                    order.reverse()
                for name, exe in order:
                    result[name].append(one_run(desktop, work / f"{name}-home", exe))
                log(
                    f"run {i + 1}/{runs}: venv {result['venv'][-1]['ready_ms']} ms, "
                    f"package {result['package'][-1]['ready_ms']} ms"
                )
    for name in installs:
        for what in ("ready_ms", "docked_ms", "rss_5s_mb"):
            values = [r[what] for r in result[name]]
            result[f"{name}_{what}_median"] = round(statistics.median(values), 1)
        result[f"{name}_qt_libraries"] = result[name][-1]["qt"]
    result["package_installed_mb"] = installed_size_mb()
    result["venv_size_mb"] = venv_size_mb()
    return result


def table(r: dict[str, Any]) -> str:
    rows = [
        ("start-up to icon shown (median)", "ready_ms", "ms"),
        ("start-up to icon docked (median)", "docked_ms", "ms"),
        ("RSS 5 s after start (median)", "rss_5s_mb", "MB"),
    ]
    lines = [f"{'':36}{'venv':>12}{'package':>12}"]
    for label, key, unit in rows:
        venv, package = r[f"venv_{key}_median"], r[f"package_{key}_median"]
        lines.append(f"{label:36}{venv:>9} {unit:<2}{package:>9} {unit:<2}")
    lines.append(
        f"{'size on disk':36}{r['venv_size_mb']:>9} MB{r['package_installed_mb'] or '?':>9} MB"
    )
    lines.append("Qt libraries mapped (package): " + ", ".join(r["package_qt_libraries"]))
    return "\n".join(lines)


def apt(*args: str) -> None:
    subprocess.run(
        ["apt-get", "-y", "-q", *args],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--deb", type=Path, help="install this .deb first, purge it after")
    parser.add_argument("--json", type=Path, default=RESULTS / "package.json")
    args = parser.parse_args(argv)
    if not neckcare_executable().exists():
        print(f"package-bench: {neckcare_executable()} not found; run with the venv's python")
        return 2
    if args.deb:
        apt("install", str(args.deb.resolve()))
    elif not INSTALLED.exists():
        print("package-bench: the package is not installed; pass --deb dist/...deb (as root)")
        return 2
    try:
        results = measure(args.runs)
    except (BenchError, DesktopError) as exc:
        print(f"package-bench: {exc}")
        return 2
    finally:
        if args.deb:
            apt("purge", PACKAGE)
    print(table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
