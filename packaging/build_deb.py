#!/usr/bin/env python3
"""Build ``dist/neckcare-desktop_<version>_<arch>.deb`` from this repository.

    python packaging/build_deb.py            # any Python 3.11+ may run it
    python packaging/build_deb.py --keep     # keep build/deb/ to look inside

What goes in (see packaging/README.md for why a venv and not PyInstaller):

* ``/opt/neckcare-desktop``: a private venv made by the system's ``python3.X -m venv`` (its
  ``bin/python3`` is a symlink to ``/usr/bin/python3.X``), with NeckCare installed from a
  wheel of this tree and its dependencies from the package registry (pip; its cache serves
  a repeated build without the network). It is built in a staging folder, then relocated:
  the script shebangs and ``pyvenv.cfg`` name ``/opt/neckcare-desktop``, and the byte code
  is compiled with that path (a build fails if the staging path is left anywhere).
* Qt cut down to what NeckCare imports: the PySide6 modules named in NeckCare's own source
  (``from PySide6.QtX import``), the Qt libraries those need (their ``ldd`` closure inside
  the wheel), the plugins a desktop app loads (X11, Wayland, offscreen; SVG; input
  methods; the portal theme) and Qt's own translations of the languages NeckCare ships.
  QtMultimedia is left out: the package depends on a sound player program, so NeckCare's
  last-resort QtMultimedia backend is never needed.
* ``/usr/bin/neckcare`` (a symlink), the desktop entry, the hicolor icons, the AppStream
  metainfo and ``/usr/share/doc/neckcare-desktop/copyright``.
* ``Depends``: the Python the venv links to, a sound player, and the Debian packages owning
  every system library the kept ELF files link to (``ldd`` + ``dpkg -S``, as
  dpkg-shlibdeps would), plus the X libraries NeckCare opens with ctypes.

The desktop entry and the metainfo are checked with ``desktop-file-validate`` and
``appstreamcli validate --no-net``; the staged app is smoke-tested (every kept PySide6
module imports, ``neckcare --version``) before ``dpkg-deb`` packs it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "packaging"
PACKAGE = "neckcare-desktop"
APP_ID = "neckcare-desktop"  # the desktop file id the app already uses (launch.identify)
#: The AppStream component id: reverse-DNS, as AppStream asks; its launchable is APP_ID.
COMPONENT_ID = "org.neckcare.desktop"
PREFIX = Path("/opt") / PACKAGE

#: Plugins a desktop app loads, by folder; a name ending in "*" keeps the whole folder.
KEEP_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforms": ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"),
    "platforminputcontexts": (
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    ),
    "platformthemes": ("libqxdgdesktopportal.so", "libqgtk3.so"),
    "imageformats": ("libqsvg.so",),
    "iconengines": ("libqsvgicon.so",),
    "xcbglintegrations": ("*",),
    "wayland-shell-integration": ("libxdg-shell.so",),
    "wayland-decoration-client": ("*",),
    "wayland-graphics-integration-client": ("libqt-plugin-wayland-egl.so",),
}
#: Plugins whose missing system libraries do not fail the build and add no dependency: Qt
#: skips a plugin it cannot load (the GTK theme where GTK 3 is not installed).
OPTIONAL_PLUGINS = {"platformthemes/libqgtk3.so"}
#: PySide6 files kept whatever NeckCare imports (the package itself, its signature support).
KEEP_PYSIDE = ("__init__.py", "_config.py", "_git_pyside_version.py", "support", "py.typed")
#: Libraries NeckCare opens with ctypes (platform/x11.py, platform/idle/x11.py): no ELF names
#: them, so ldd cannot find them.
CTYPES_DEPENDS = ("libx11-6", "libxss1")
#: A sound player program: NeckCare plays its cues through it (platform/sound_command.py).
SOUND_PLAYER = "pipewire-bin | pulseaudio-utils | alsa-utils"
#: Never dependencies: in every Debian system (Essential or the C/C++ runtime).
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
#: Imported by NeckCare but left out: its sound fallback (platform/sound_qt.py) is only for a
#: system without a player program, and the package depends on one (SOUND_PLAYER). With
#: FFmpeg and the audio plugins it would be the largest part of Qt kept.
LEAVE_OUT = {"QtMultimedia"}
QT_IMPORT = re.compile(r"^\s*(?:from|import)\s+PySide6\.(Qt\w+)", re.MULTILINE)


class BuildError(RuntimeError):
    """The build cannot go on; the message says why and what to install."""


def log(message: str) -> None:
    print(f"build_deb: {message}", flush=True)


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, check=True, text=True, **kwargs)  # type: ignore[call-overload]
    except FileNotFoundError as exc:
        raise BuildError(f"{argv[0]} not found: {exc}") from None
    except subprocess.CalledProcessError as exc:
        output = (exc.stdout or "") + (exc.stderr or "")
        raise BuildError(
            f"{' '.join(map(str, argv))} failed ({exc.returncode})\n{output}"
        ) from None


def version() -> str:
    text = (ROOT / "src" / "neckcare_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise BuildError("no __version__ in src/neckcare_desktop/__init__.py")
    return found[1]


def architecture() -> str:
    return run(["dpkg", "--print-architecture"], capture_output=True).stdout.strip()


# -- the venv --------------------------------------------------------------------------------


def make_venv(venv: Path, python: str) -> None:
    """The venv at its staging place, NeckCare installed from a wheel of this tree."""
    log(f"venv with {python} in {venv}")
    run([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    # --no-compile: byte code is compiled after relocation, with the installed paths.
    run([*pip, "install", "--no-compile", str(ROOT)])
    # pip and setuptools are only for building the venv: a person's app never runs them.
    site = site_packages(venv)
    for pattern in (
        "pip",
        "pip-*",
        "setuptools",
        "setuptools-*",
        "pkg_resources",
        "_distutils_hack",
        "distutils-precedence.pth",
    ):
        for path in site.glob(pattern):
            remove(path)
    # bin/ keeps the interpreter links and NeckCare's command: pip's and PySide6's tools
    # (designer, lupdate...) are not shipped; the activate scripts name the staging path.
    for path in venv.glob("bin/*"):
        if path.name != "neckcare" and not path.name.startswith("python"):
            path.unlink()
    shutil.rmtree(venv / "include", ignore_errors=True)


def site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python3*/site-packages")
    return found


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def qt_modules(app_dir: Path) -> set[str]:
    """PySide6 modules NeckCare's own source imports (``from PySide6.QtX import ...``)."""
    found: set[str] = set()
    for source in app_dir.rglob("*.py"):
        found |= set(QT_IMPORT.findall(source.read_text(encoding="utf-8")))
    return found - LEAVE_OUT


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


def ldd(path: Path) -> Iterator[tuple[str, str | None]]:
    """(soname, resolved path or None when not found) for each library ``path`` needs."""
    out = run(["ldd", str(path)], capture_output=True).stdout
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+) \(0x)", line)
        if match:
            yield match[1], match[3]


def needed(path: Path) -> set[str]:
    """The DT_NEEDED sonames of a 64-bit little-endian ELF file (what dpkg-shlibdeps reads:
    direct dependencies only, not ldd's whole tree)."""
    data = path.read_bytes()
    if data[4] != 2 or data[5] != 1:  # ELFCLASS64, little-endian: every Debian 64-bit arch
        raise BuildError(f"{path}: not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    names: set[str] = set()
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab + value)
                names.add(data[strtab + value : end].decode())
    return names


def prune_pyside(site: Path, modules: set[str], languages: set[str]) -> None:
    """Keep the PySide6 modules NeckCare imports and what Qt needs to run them."""
    pyside = site / "PySide6"
    qt = pyside / "Qt"
    qt_lib = qt / "lib"
    keep_plugins = set()
    for folder, names in KEEP_PLUGINS.items():
        for name in names:
            keep_plugins |= {p for p in (qt / "plugins" / folder).glob(name) if p.is_file()}
    missing = {m for m in modules if not (pyside / f"{m}.abi3.so").exists()}
    if missing:
        raise BuildError(f"NeckCare imports PySide6 modules the wheel lacks: {sorted(missing)}")
    bindings = {pyside / f"{m}.abi3.so" for m in modules}
    bindings |= set(pyside.glob("libpyside6.abi3.so*"))
    # The Qt libraries: the closure, inside the wheel, of what the bindings and plugins load.
    wanted: set[str] = set()
    todo = list(bindings | keep_plugins)
    while todo:
        for soname, resolved in ldd(todo.pop()):
            if soname in wanted or not (qt_lib / soname).exists():
                continue
            if resolved is not None and Path(resolved).resolve().parent != qt_lib.resolve():
                continue
            wanted.add(soname)
            todo.append(qt_lib / soname)
    for path in list(pyside.iterdir()):
        if path.name == "Qt" or path in bindings or path.name in KEEP_PYSIDE:
            continue
        remove(path)
    for path in list(qt.iterdir()):
        if path.name not in ("lib", "plugins", "translations"):
            remove(path)
    for path in list(qt_lib.iterdir()):
        # A library is kept with every name it has (libQt6Core.so.6 and its symlinks).
        if path.name not in wanted and not any(path.name.startswith(w) for w in wanted):
            remove(path)
    for path in sorted((qt / "plugins").rglob("*"), reverse=True):
        if path.is_file() and path not in keep_plugins:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for path in (qt / "translations").rglob("*"):
        if path.is_file() and path.name not in {f"qtbase_{lang}.qm" for lang in languages}:
            path.unlink()
    for path in sorted((qt / "translations").rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    log(f"Qt kept: {len(bindings)} bindings, {len(wanted)} libraries, {len(keep_plugins)} plugins")


def relocate(venv: Path, target: Path) -> None:
    """Make the staged venv name ``target`` (its installed place) instead of ``venv``."""
    staged = str(venv)
    for script in (venv / "bin").iterdir():
        if script.is_symlink() or not script.is_file() or is_elf(script):
            continue
        text = script.read_text(encoding="utf-8", errors="surrogateescape")
        if text.startswith("#!"):
            script.write_text(
                text.replace(staged, str(target)), encoding="utf-8", errors="surrogateescape"
            )
    cfg = venv / "pyvenv.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(staged, str(target)), encoding="utf-8")
    # direct_url.json names the build folder, which means nothing on a person's computer.
    for record in site_packages(venv).glob("*.dist-info/direct_url.json"):
        record.unlink()
        listing = record.parent / "RECORD"
        listing.write_text(
            "".join(
                line
                for line in listing.read_text(encoding="utf-8").splitlines(True)
                if not line.startswith(f"{record.parent.name}/direct_url.json")
            ),
            encoding="utf-8",
        )
    left = [
        str(path.relative_to(venv))
        for path in venv.rglob("*")
        if path.is_file() and not path.is_symlink() and staged.encode() in path.read_bytes()
    ]
    if left:
        raise BuildError(f"the staging path is still named in: {left[:10]}")


def compile_bytecode(venv: Path, target: Path) -> None:
    """Byte code for every module, naming its installed path: /opt is read-only for the
    person, so Python could never write it there, and each start would compile again.
    unchecked-hash: dpkg may not keep the sources' mtimes; the files never change in place."""
    run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(venv),
            "-p",
            str(target),
            str(site_packages(venv)),
        ],
        capture_output=True,
    )


def smoke_test(venv: Path, modules: set[str]) -> None:
    """The staged app runs: every kept Qt module imports, a QApplication starts offscreen."""
    probe = (
        "import importlib, sys\n"
        f"for name in {sorted(modules)!r}:\n"
        "    importlib.import_module('PySide6.' + name)\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(['neckcare-desktop'])\n"
        "from PySide6.QtGui import QIcon\n"
        "import neckcare_desktop.launch, neckcare_desktop.app\n"
        "from neckcare_desktop.resources import resource_path\n"
        "icon = QIcon(str(resource_path('icons', 'neckcare.svg')))\n"
        "assert not icon.pixmap(32, 32).isNull(), 'the SVG icon does not render'\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run([str(venv / "bin" / "python"), "-c", probe], env=env, capture_output=True)
    # The script's shebang already names /opt/neckcare-desktop: run its module instead.
    script = (venv / "bin" / "neckcare").read_text(encoding="utf-8")
    if not script.startswith(f"#!{PREFIX}/bin/python"):
        raise BuildError(f"bin/neckcare starts {script.splitlines()[0]!r}")
    out = run(
        [str(venv / "bin" / "python"), "-m", "neckcare_desktop", "--version"],
        capture_output=True,
        env=env,
    )
    log(f"smoke test: {out.stdout.strip()}")


# -- the rest of the file system -------------------------------------------------------------


def install_file(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def desktop_files(stage: Path, app_version: str) -> None:
    resources = ROOT / "resources"
    share = stage / "usr" / "share"
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "neckcare").symlink_to(PREFIX / "bin" / "neckcare")
    # The app's own entry: Exec=neckcare --foreground finds /usr/bin/neckcare on the PATH.
    install_file(resources / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    for icon in (resources / "icons" / "hicolor").rglob("*"):
        if icon.is_file():
            relative = icon.relative_to(resources / "icons")
            install_file(icon, share / "icons" / relative)
    metainfo = (HERE / f"{COMPONENT_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", app_version).replace(
        "@DATE@", time.strftime("%Y-%m-%d", time.gmtime(source_date()))
    )
    target = share / "metainfo" / f"{COMPONENT_ID}.metainfo.xml"
    target.parent.mkdir(parents=True)
    target.write_text(metainfo, encoding="utf-8")
    install_file(HERE / "copyright", share / "doc" / PACKAGE / "copyright")


def source_date() -> int:
    """The last commit's time (the release date in the metainfo), else now."""
    try:
        out = run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True)
        return int(out.stdout.strip())
    except (BuildError, ValueError):
        return int(time.time())


def validate(stage: Path) -> None:
    share = stage / "usr" / "share"
    entry = share / "applications" / f"{APP_ID}.desktop"
    run(["desktop-file-validate", str(entry)], capture_output=True)
    metainfo = share / "metainfo" / f"{COMPONENT_ID}.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"appstreamcli validate --no-net failed:\n{result.stdout}{result.stderr}")
    log("desktop entry and metainfo valid")


def elf_files(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            yield path


def owning_package(library: str, cache: dict[str, str]) -> str:
    if library not in cache:
        real = os.path.realpath(library)
        for candidate in (library, real, "/usr" + real if real.startswith("/lib") else real):
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                cache[library] = result.stdout.split(":", 1)[0].split(",")[0].strip()
                break
        else:
            raise BuildError(f"no Debian package owns {library}")
    return cache[library]


def depends(stage: Path, python: str) -> str:
    """The Depends line: what the kept ELF files link to, by owning Debian package."""
    packages: set[str] = set(CTYPES_DEPENDS)
    missing: dict[str, list[str]] = {}
    cache: dict[str, str] = {}
    venv = stage / PREFIX.relative_to("/")
    for path in elf_files(venv):
        relative = str(path.relative_to(venv))
        optional = any(relative.endswith(o) for o in OPTIONAL_PLUGINS)
        direct = needed(path)
        for soname, resolved in ldd(path):
            if soname not in direct:
                continue  # the library that needs it names its own package
            if resolved is None:
                if not optional:
                    missing.setdefault(soname, []).append(relative)
                continue
            if optional or Path(resolved).resolve().is_relative_to(venv.resolve()):
                continue
            packages.add(owning_package(resolved, cache))
    if missing:
        lines = [f"  {so} (needed by {', '.join(users[:2])})" for so, users in missing.items()]
        raise BuildError(
            "system libraries Qt needs are not installed here, so their packages cannot be "
            "named (install them, as .ci/run does):\n" + "\n".join(sorted(lines))
        )
    packages -= BASE_PACKAGES
    version_info = run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True
    ).stdout.strip()
    # The venv's interpreter is a symlink to /usr/bin/pythonX.Y and its modules live in
    # lib/pythonX.Y: it needs exactly that Python, whatever python3 points to later.
    first = [f"python{version_info}", SOUND_PLAYER]
    return ", ".join(first + sorted(packages))


def installed_size_kib(stage: Path) -> int:
    total = 0
    for path in stage.rglob("*"):
        if path.is_relative_to(stage / "DEBIAN"):
            continue
        total += path.lstat().st_size if path.is_symlink() or path.is_file() else 0
    return (total + 1023) // 1024


def control(stage: Path, app_version: str, arch: str, depends_line: str) -> None:
    debian = stage / "DEBIAN"
    debian.mkdir(mode=0o755)
    description = (
        "Posture-break reminders and ice/heat timers in the system tray\n"
        " NeckCare reminds desk workers with neck strain to take micro-breaks and\n"
        " posture breaks, and times ice and heat rounds for neck muscle spasms, from\n"
        " an icon in the system tray. It keeps a history of breaks, timers and spasms\n"
        " on the computer, gives no diagnosis and opens no network connection.\n"
        " .\n"
        " The package carries its own Python environment and a trimmed Qt (PySide6)\n"
        " under /opt/neckcare-desktop."
    )
    fields = {
        "Package": PACKAGE,
        "Version": app_version,
        "Architecture": arch,
        "Maintainer": "NeckCare Desktop developers <neckcare@localhost>",
        "Installed-Size": str(installed_size_kib(stage)),
        "Depends": depends_line,
        "Recommends": "pulseaudio-utils, xdg-utils",
        "Section": "utils",
        "Priority": "optional",
        "Description": description,
    }
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    (debian / "control").write_text(text, encoding="utf-8")
    # Only what dpkg installed goes with a remove; a person's settings and history live in
    # their home folder and stay (also on purge: a package never touches home folders).
    postrm = (
        "#!/bin/sh\nset -e\n"
        'if [ "$1" = remove ] || [ "$1" = purge ]; then\n'
        f"  # byte code a root run may have added; dpkg removed everything it installed\n"
        f"  rm -rf {PREFIX}\n"
        "fi\n"
    )
    (debian / "postrm").write_text(postrm, encoding="utf-8")
    (debian / "postrm").chmod(0o755)


def normalize_modes(stage: Path) -> None:
    for path in stage.rglob("*"):
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        executable = path.is_dir() or mode & 0o111
        path.chmod(0o755 if executable else 0o644)


def dir_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def build(out_dir: Path, python: str, work: Path, *, keep: bool) -> Path:
    started = time.monotonic()
    app_version, arch = version(), architecture()
    if work.exists():
        shutil.rmtree(work)
    stage = work / "root"
    venv = stage / PREFIX.relative_to("/")
    venv.parent.mkdir(parents=True)
    make_venv(venv, python)
    site = site_packages(venv)
    unpruned = dir_size(venv)
    modules = qt_modules(site / "neckcare_desktop")
    languages = {
        p.stem.split("_", 1)[1] for p in (ROOT / "resources" / "translations").glob("neckcare_*.ts")
    }
    log(f"NeckCare imports {', '.join(sorted(modules))}; languages {', '.join(sorted(languages))}")
    prune_pyside(site, modules, languages)
    relocate(venv, PREFIX)
    compile_bytecode(venv, PREFIX)
    smoke_test(venv, modules)
    desktop_files(stage, app_version)
    validate(stage)
    normalize_modes(stage)
    depends_line = depends(stage, python)
    control(stage, app_version, arch, depends_line)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{app_version}_{arch}.deb"
    run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(stage), str(deb)],
        capture_output=True,
    )
    installed = installed_size_kib(stage)
    log(f"Depends: {depends_line}")
    log(
        f"venv before pruning {unpruned / 2**20:.0f} MiB; installed size "
        f"{installed / 1024:.0f} MiB; .deb {deb.stat().st_size / 2**20:.0f} MiB; "
        f"{time.monotonic() - started:.0f} s"
    )
    if not keep:
        shutil.rmtree(work)
    print(deb)
    return deb


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes")
    parser.add_argument(
        "--python",
        default=os.path.realpath("/usr/bin/python3"),
        help="the system Python the venv is made with (default: what /usr/bin/python3 is)",
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "deb", help="staging folder (emptied first)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the staging folder")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not str(os.path.realpath(args.python)).startswith("/usr/"):
        print(f"build_deb: {args.python} is not a system Python under /usr", file=sys.stderr)
        return 2
    try:
        build(args.out, args.python, args.work, keep=args.keep)
    except BuildError as exc:
        print(f"build_deb: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
