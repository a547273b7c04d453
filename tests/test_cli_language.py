"""The ``neckcare`` command speaks the language the windows speak, and prints only its own words.

Each case runs the real command in a fresh process (the language is chosen once, at start),
with the environment a person's shell would give it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from neckcare_desktop import cli_i18n

#: ``neckcare`` that fails if Qt was loaded (help and usage errors answer without it).
NO_QT = (
    "import sys\n"
    "from neckcare_desktop.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was loaded'\n"
    "sys.exit(rc)\n"
)
#: ``neckcare`` as such (talking to the app's socket loads a little of PySide6).
ANY = "import sys\nfrom neckcare_desktop.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def run(*args: str, code: str = NO_QT, **env: str | None) -> subprocess.CompletedProcess[str]:
    """``neckcare *args`` with the test's environment changed by ``env`` (None: unset)."""
    environ = {
        k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    environ["LANG"] = "C.UTF-8"
    for key, value in env.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
    )


def test_help_in_spanish_without_qt():
    result = run("--help", LANGUAGE="es")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("uso: neckcare")
    assert "iniciar un temporizador de hielo" in out
    assert "argumentos posicionales" in out and "opciones:" in out
    assert "mostrar este mensaje de ayuda y salir" in out
    # Commands, options and the variable are not translated: they are what one types.
    assert "neckcare ice [--minutes N] [--anyway]" in out and "NECKCARE_TIME_SCALE" in out


def test_english_stays_english():
    result = run("--help", LANGUAGE="en:es")  # English first, Spanish second: English
    assert result.stdout.startswith("usage: neckcare")
    assert "start an ice timer" in result.stdout


def test_usage_errors_in_spanish(socket_path):
    result = run("ice", "--minutes", "25", LANG="es_ES.UTF-8")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("neckcare: ")
    assert "20 minutos" in line and "capped" not in line
    unknown = run("fly", LANG="es_ES.UTF-8")
    assert unknown.returncode == 2
    assert "opción no válida" in unknown.stderr


def test_the_language_setting_wins_over_the_system(socket_path):
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "neckcare-desktop"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('[app]\nlanguage = "es"\n', encoding="utf-8")
    result = run("status", code=ANY, LANG="en_US.UTF-8")
    assert result.returncode == 1
    assert result.stderr.strip() == "NeckCare no está en marcha"


def test_a_bad_time_scale_is_one_line_in_the_persons_language(socket_path):
    english = run("status", code=ANY, NECKCARE_TIME_SCALE="fast")
    assert english.returncode == 2
    assert english.stderr.splitlines() == [
        "neckcare: NECKCARE_TIME_SCALE must be a number such as 60 (one minute lasts one "
        "second), got 'fast'."
    ]
    spanish = run("ice", NECKCARE_TIME_SCALE="0", LANGUAGE="es")
    assert spanish.returncode == 2
    [line] = spanish.stderr.splitlines()
    assert "NECKCARE_TIME_SCALE" in line and "mayor que 0" in line
    # Starting the app with it is refused the same way, before Qt loads.
    start = run(NECKCARE_TIME_SCALE="-5")
    assert start.returncode == 2 and len(start.stderr.splitlines()) == 1
    assert "Traceback" not in start.stderr


def test_no_library_warning_reaches_the_terminal(socket_path):
    """Without XDG_RUNTIME_DIR (su, ssh, cron), platformdirs warns on every call."""
    result = run("status", code=ANY, XDG_RUNTIME_DIR=None, NECKCARE_SOCKET=None)
    assert result.returncode in (0, 1)
    assert "Warning" not in result.stderr, result.stderr
    if result.returncode == 1:
        assert result.stderr.strip() == "NeckCare is not running"


def test_csv_from_the_command_line_is_for_this_user_only(tmp_path, socket_path):
    out = tmp_path / "history.csv"
    result = run("history", "--csv", str(out), code=ANY)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# -- the command line chooses the language the windows choose -------------------------------------


CASES = [
    {"LANG": "es_ES.UTF-8"},
    {"LANG": "C.UTF-8", "LANGUAGE": "es"},
    {"LANG": "en_US.UTF-8", "LANGUAGE": "es:en"},
    {"LANG": "en_US.UTF-8", "LC_ALL": "es_ES.UTF-8"},
    {"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_MX.UTF-8"},
    {"LANG": "es_MX.UTF-8", "LANGUAGE": "en:es"},
    {"LC_ALL": "C", "LANG": "es_ES.UTF-8"},
    {"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:es"},
    {"LANG": "fr_FR.UTF-8"},
    {},
]


def test_the_command_line_and_the_windows_choose_the_same_language():
    probe = (
        "import json, os\n"
        "from neckcare_desktop import cli_i18n, translations\n"
        "cli = cli_i18n.choose_language('auto', os.environ, cli_i18n.available_languages())\n"
        "print(json.dumps([cli, translations.choose_language('auto')]))\n"
    )
    for case in CASES:
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
        }
        result = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=60,
            env={**environ, **case},
            check=True,
        )
        cli, windows = json.loads(result.stdout)
        assert cli == windows, case


def test_catalog_has_every_cli_text_translated():
    from neckcare_desktop.resources import resource_path

    catalog = cli_i18n.read_catalog(resource_path("translations", "neckcare_es.ts"))
    for text in cli_i18n.ARGPARSE_TEXTS:
        assert ("argparse", text) in catalog, text
    assert len([key for key in catalog if key[0] == "CLI"]) > 40


def test_protocol_refusals_follow_the_language():
    """A command the running NeckCare cannot take (an older app, a newer command) is
    refused in words the person reads: the protocol's sentences are translated too."""
    probe = (
        "from neckcare_desktop import cli_i18n\n"
        "from neckcare_desktop.core.ipc_protocol import ProtocolError, encode_request\n"
        "print(cli_i18n.install())\n"
        "try:\n"
        "    encode_request('heat', anyway=True)\n"
        "except ProtocolError as exc:\n"
        "    print(exc)\n"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environ, "LANG": "C.UTF-8", "LANGUAGE": "es"},
        check=True,
    )
    assert result.stdout.splitlines() == [
        "es",
        "La orden 'heat' no admite un argumento llamado 'anyway' (admitidos: minutes).",
    ]
