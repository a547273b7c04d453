"""Run a snippet in a fresh interpreter: for what only a clean process shows (imports,
screens from a config file) and what must not leak into the test session."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any


def run_json(code: str, env: Mapping[str, str], timeout: float = 60) -> Any:
    """Run ``code`` with ``env``; it must exit 0 and print JSON as its last line."""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
