"""One NeckCare, decided by a lock held for the life of the process, never by a file.

The socket is only how to reach NeckCare: when it is deleted (a ``/tmp`` cleaner) or
replaced by another file, the running instance makes a new one, and a ``neckcare`` started
meanwhile waits for it instead of becoming a second app. A runtime folder planted by
another user makes the app and the CLI agree on a private fallback instead of refusing.

Every test runs with both lock kinds: ``flock`` with the POSIX socket backend, and
``QLockFile`` with the Qt backend (what Windows uses).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakes import SRC_DIR, SocketClient, ok_reply
from neckcare_desktop.core.ipc_protocol import encode_request
from neckcare_desktop.platform import instance_client, instance_lock, runtime_dir
from neckcare_desktop.platform.single_instance import (
    AlreadyRunning,
    InstanceError,
    InstanceServer,
    is_running,
    send_request,
    server_name,
)

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="socket files and flock"),
    pytest.mark.usefixtures("backend"),  # every test once per lock kind (conftest)
]

SERVER_LOG = "neckcare_desktop.platform.single_instance"
SOCKET_LOG = "neckcare_desktop.platform.socket_file"  # what was in the socket's way


def _reaches(qtbot, name: str) -> dict:
    client = SocketClient(qtbot, name)
    try:
        client.send(encode_request("status"))
        return client.reply()
    finally:
        client.close()


def _run(qtbot, code: str, *argv: str, env: dict[str, str] | None = None) -> str:
    """Run client code in a fresh interpreter while this test's event loop serves it."""
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(SRC_DIR)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
    )
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    finally:
        if proc.poll() is None:
            proc.kill()
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


def _backend_code(backend: str) -> str:
    return (
        "from neckcare_desktop.platform import instance_client\n"
        f"instance_client.DEFAULT_BACKEND = {backend!r}\n"
    )


# -- the lock decides ----------------------------------------------------------------------


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"was deleted; making a new one")
def test_the_lock_refuses_a_second_instance_even_with_the_socket_gone(
    qtbot, server, sock_name, handler
):
    os.unlink(sock_name)  # before the first one notices: only the lock can tell
    second = InstanceServer(handler, name=sock_name)

    with pytest.raises(AlreadyRunning, match="already running"):
        second.listen()

    assert not second.holds_lock() and not second.is_listening()
    assert server.holds_lock()
    qtbot.waitSignal(server.socket_renewed, timeout=5000).wait()
    assert _reaches(qtbot, sock_name) == ok_reply("status")  # the first one, still serving


def test_the_lock_is_held_for_the_life_of_the_server_and_released_on_close(
    qtbot, sock_name, handler
):
    first = InstanceServer(handler, name=sock_name)
    first.listen()
    assert is_running(sock_name)
    first.close()

    assert not is_running(sock_name)
    second = InstanceServer(handler, name=sock_name)
    second.listen()
    try:
        assert _reaches(qtbot, sock_name) == ok_reply("status")
    finally:
        second.close()


HOLD_LOCK_CODE = """
import sys
from pathlib import Path
from neckcare_desktop.platform import instance_lock
lock = instance_lock.InstanceLock.acquire(Path(sys.argv[1]), sys.argv[2])
print("held" if lock else "refused", flush=True)
sys.stdin.read()  # hold it until killed
"""


def test_a_lock_held_by_another_process_refuses_and_a_crash_frees_it(
    qtbot, sock_name, handler, backend
):
    kind = instance_client.lock_kind(backend)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK_CODE, sock_name + ".lock", kind],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC_DIR)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(AlreadyRunning, match=f"process {holder.pid} holds"):
            InstanceServer(handler, name=sock_name).listen()
        assert is_running(sock_name)  # the CLI too sees NeckCare, though it has no socket
    finally:
        holder.kill()  # a crash: no clean-up at all
        holder.wait()

    srv = InstanceServer(handler, name=sock_name)
    srv.listen()
    try:
        assert srv.holds_lock()
        assert _reaches(qtbot, sock_name) == ok_reply("status")
    finally:
        srv.close()


# -- the running instance keeps its socket reachable ---------------------------------------


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"was deleted; making a new one")
def test_a_deleted_socket_is_made_again(qtbot, server, sock_name):
    with qtbot.waitSignal(server.socket_renewed, timeout=5000):
        os.unlink(sock_name)  # a /tmp cleaner

    assert _reaches(qtbot, sock_name) == ok_reply("status")


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"replaced by another file")
@pytest.mark.expect_log(SOCKET_LOG, logging.WARNING, r"a regular file\); moved it aside")
def test_a_socket_replaced_by_a_plain_file_is_made_again(qtbot, server, sock_name):
    with qtbot.waitSignal(server.socket_renewed, timeout=5000):
        os.unlink(sock_name)
        Path(sock_name).write_text("not a socket")

    assert _reaches(qtbot, sock_name) == ok_reply("status")
    (aside,) = Path(sock_name).parent.glob("n.sock.moved-aside-*")
    assert aside.read_text() == "not a socket"


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"making a new one")
@pytest.mark.expect_log(
    "neckcare_desktop.platform.instance_lock", logging.WARNING, r"deleted; it is locked again"
)
def test_a_deleted_folder_is_made_again_with_the_socket_and_the_lock(qtbot, server, sock_name):
    folder = Path(sock_name).parent
    with qtbot.waitSignal(server.socket_renewed, timeout=5000):
        shutil.rmtree(folder)

    assert _reaches(qtbot, sock_name) == ok_reply("status")
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert is_running(sock_name)  # the lock file is back and held, for the CLI to see


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"was deleted; making a new one")
def test_check_socket_repairs_at_once_when_called_from_a_poll(qtbot, server, sock_name):
    os.unlink(sock_name)

    assert server.check_socket() is True  # without waiting for the folder's watcher

    assert _reaches(qtbot, sock_name) == ok_reply("status")
    assert server.check_socket() is True  # in place: nothing to do, nothing logged


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"was deleted; making a new one")
def test_a_command_sent_while_the_socket_is_gone_waits_for_the_new_one(
    qtbot, server, sock_name, handler, backend
):
    os.unlink(sock_name)  # the client starts before this event loop notices
    code = _backend_code(backend) + (
        "import json, sys\n"
        "from neckcare_desktop.platform.single_instance import send_request\n"
        "print(json.dumps(send_request('ice', {'minutes': 10}, name=sys.argv[1])))\n"
    )

    assert json.loads(_run(qtbot, code, sock_name)) == ok_reply("ice", {"minutes": 10})
    assert [r.cmd for r in handler.requests] == ["ice"]


def test_a_holder_that_never_answers_gets_a_true_message(sock_name, backend):
    kind = instance_client.lock_kind(backend)
    lock = instance_lock.InstanceLock.acquire(Path(sock_name + ".lock"), kind)
    assert lock is not None
    try:
        started = time.monotonic()
        with pytest.raises(InstanceError, match=rf"process {os.getpid()}\) is running but"):
            send_request("status", name=sock_name, timeout_ms=300)
        assert 0.25 <= time.monotonic() - started < 2  # it kept trying until its deadline
    finally:
        lock.release()
    assert send_request("status", name=sock_name, timeout_ms=300) is None  # not running


@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"cannot make a new command socket")
@pytest.mark.expect_log(SERVER_LOG, logging.WARNING, r"was deleted; making a new one")
def test_a_socket_that_cannot_be_made_is_retried_later_not_in_a_loop(
    qtbot, server, sock_name, monkeypatch
):
    from neckcare_desktop.platform.local_socket import ListenError

    listener = server._listener
    real_listen = listener.listen
    failures: list[float] = []

    def failing_listen(address):
        if len(failures) < 2:
            failures.append(time.monotonic())
            raise ListenError("Too many open files")
        return real_listen(address)

    monkeypatch.setattr(listener, "listen", failing_listen)
    with qtbot.waitSignal(server.socket_renewed, timeout=5000):
        os.unlink(sock_name)

    assert len(failures) == 2
    assert failures[1] - failures[0] >= 0.09  # a pause between the tries, not a spin
    assert _reaches(qtbot, sock_name) == ok_reply("status")


# -- a runtime folder planted by another user -----------------------------------------------


needs_root = pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="making another user's folder"
)
RUNTIME_LOG = (SERVER_LOG, logging.WARNING, r"the command socket lives in")


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    return Path(os.environ["XDG_RUNTIME_DIR"])


def _plant(folder: Path, how: str) -> None:
    if how == "other-owner":
        folder.mkdir(mode=0o777)
        os.chown(folder, 65534, 65534)  # nobody
    else:
        target = folder.with_name("elsewhere")
        target.mkdir(mode=0o700)
        folder.symlink_to(target)


@pytest.mark.parametrize("how", [pytest.param("other-owner", marks=needs_root), "symlink"])
@pytest.mark.expect_log(*RUNTIME_LOG)
def test_a_planted_runtime_folder_falls_back_and_the_cli_follows(qtbot, runtime, handler, how):
    _plant(runtime / "neckcare-desktop", how)
    srv = InstanceServer(handler)
    srv.listen()
    try:
        expected = runtime / f"neckcare-desktop-{os.getuid()}" / "neckcare.sock"
        assert srv.name == str(expected) == server_name()
        code = (
            "import json\n"
            "from neckcare_desktop.platform.single_instance import send_request\n"
            "print(json.dumps(send_request('resume')))\n"
        )
        assert json.loads(_run(qtbot, code)) == ok_reply("resume")
    finally:
        srv.close()


@needs_root
@pytest.mark.expect_log(*RUNTIME_LOG)
def test_both_runtime_names_planted_fall_back_to_the_home_folder(qtbot, runtime, handler):
    _plant(runtime / "neckcare-desktop", "other-owner")
    _plant(runtime / f"neckcare-desktop-{os.getuid()}", "other-owner")
    srv = InstanceServer(handler)
    srv.listen()
    try:
        state = Path(os.environ["XDG_STATE_HOME"])
        assert srv.name == str(state / "neckcare-desktop" / "run" / "neckcare.sock")
        assert server_name() == srv.name
        assert _reaches(qtbot, srv.name) == ok_reply("status")
    finally:
        srv.close()


def test_a_folder_in_a_parent_another_user_controls_is_passed_over(tmp_path):
    parent = tmp_path / "shared"
    parent.mkdir(mode=0o777)
    os.chmod(parent, 0o777)  # writable by all, no sticky bit: anybody may swap our folder

    problem = runtime_dir.private_folder_problem(parent / "neckcare-desktop")

    assert problem == "is in a folder other users may change"


@needs_root
def test_the_client_never_talks_to_another_users_socket(sock_name):
    planted = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    planted.bind(sock_name)
    planted.listen(1)
    os.chown(sock_name, 65534, 65534)
    try:
        assert send_request("status", name=sock_name, timeout_ms=300) is None
    finally:
        planted.close()
