"""The command socket holds a same-user flood.

Out of file descriptors the app pauses accepting instead of spinning at 100 % CPU and
writing thousands of log lines a second; a burst of clients fits the listen queue; a client
that finds the queue full says "busy, retrying" until its deadline and then tells the truth;
a 100 MB line is refused after 64 KiB, not read to the end.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from fakes import SRC_DIR, ok_reply
from neckcare_desktop.core.ipc_protocol import decode_response, encode_request
from neckcare_desktop.platform.single_instance import InstanceError, send_request

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="AF_UNIX clients")


def test_a_burst_of_100_clients_fits_the_queue_and_all_are_answered(qtbot, server, sock_name):
    clients = []
    try:
        for _ in range(100):  # all at once, before the event loop accepts any
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            clients.append(client)
            client.setblocking(False)
            client.connect(sock_name)  # a full queue would raise BlockingIOError (EAGAIN)
            client.send(encode_request("status"))
        replies: dict[int, bytes] = {}

        def all_answered() -> bool:
            for i, client in enumerate(clients):
                if i not in replies:
                    with contextlib.suppress(BlockingIOError):
                        replies[i] = client.recv(4096)
            return len(replies) == len(clients)

        qtbot.waitUntil(all_answered, timeout=15000)
    finally:
        for client in clients:
            client.close()
    assert all(
        decode_response(line.rstrip(b"\n")) == ok_reply("status") for line in replies.values()
    )


@pytest.mark.parametrize("backend", ["unix", "qt"])
@pytest.mark.expect_log(
    "neckcare_desktop.platform.command_connection", logging.WARNING, r"over 65536 bytes"
)
def test_a_100_mb_line_is_refused_after_64_kib_not_read_to_the_end(qtbot, server, sock_name):
    outcome: dict[str, object] = {}

    def flood() -> None:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(sock_name)
        chunk = memoryview(b"x" * (1 << 20))
        sent = 0
        try:
            while sent < 100 * (1 << 20):  # one line of 100 MB, no newline anywhere
                sent += client.send(chunk[: min(len(chunk), 100 * (1 << 20) - sent)])
        except OSError:  # EPIPE / ECONNRESET: NeckCare hung up
            pass
        outcome["sent"] = sent
        client.settimeout(10)
        try:
            outcome["reply"] = client.recv(4096)
        except OSError as exc:
            outcome["reply"] = exc
        client.close()

    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        qtbot.waitUntil(lambda: "reply" in outcome, timeout=30000)
    finally:
        flooder.join(30)
    # What NeckCare read is at most ~2 x 64 KiB; the rest of what the client could send
    # (~200 KiB) sat in the kernel's socket buffer until the hang-up. Reading on while the
    # client kept sending let it push 3 to 18 MiB before.
    assert outcome["sent"] < 1 << 20
    reply = outcome["reply"]
    assert isinstance(reply, bytes), reply
    assert decode_response(reply.rstrip(b"\n"))["code"] == "too_large"
    qtbot.waitUntil(lambda: not server._connections, timeout=5000)


# -- a client that finds the queue full ------------------------------------------------------


@pytest.fixture
def full_queue(sock_name: str) -> Iterator[tuple[socket.socket, list[socket.socket]]]:
    """A listener that accepts nothing, its queue filled (Linux queues backlog + 1)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_name)
    listener.listen(0)
    fillers: list[socket.socket] = []
    while True:
        filler = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        filler.setblocking(False)
        try:
            filler.connect(sock_name)
        except BlockingIOError:
            filler.close()
            break
        fillers.append(filler)
    yield listener, fillers
    for filler in fillers:
        filler.close()
    listener.close()


def test_a_full_queue_is_busy_until_the_deadline_then_says_so(sock_name, full_queue):
    told: list[str] = []
    started = time.monotonic()

    with pytest.raises(InstanceError, match=r"NeckCare is busy: .* no new connection for 300 ms"):
        send_request(
            "status", name=sock_name, timeout_ms=300, backend="unix", on_busy=lambda: told.append(1)
        )

    assert 0.28 <= time.monotonic() - started < 2  # retried until its deadline, not at once
    assert told == [1]  # "busy, retrying" said once


def test_a_busy_client_gets_through_when_the_queue_has_room(sock_name, full_queue):
    listener, fillers = full_queue

    def serve_one() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(10)
            if conn.recv(4096).endswith(b"\n"):
                conn.sendall(b'{"v":1,"ok":true,"result":"served"}\n')

    def make_room() -> None:  # the app catches up: the waiting connections are taken
        for _filler in fillers:
            conn, _ = listener.accept()
            conn.close()
        threading.Thread(target=serve_one, daemon=True).start()

    reply = send_request(
        "status", name=sock_name, timeout_ms=5000, backend="unix", on_busy=make_room
    )

    assert reply == {"v": 1, "ok": True, "result": "served"}


def test_the_cli_says_busy_retrying_then_the_truth(sock_name, full_queue, monkeypatch):
    monkeypatch.setenv("NECKCARE_SOCKET", sock_name)
    result = subprocess.run(
        [sys.executable, "-m", "neckcare_desktop", "status"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "neckcare: NeckCare is busy; retrying...",
        f"neckcare: NeckCare is busy: its command socket {sock_name} took no new connection "
        "for 3000 ms (too many at once). Try again in a moment.",
    ]


# -- out of file descriptors ---------------------------------------------------------------

EMFILE_SERVER_CODE = r"""
import json, logging, os, resource, sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from neckcare_desktop.platform.single_instance import InstanceServer

path, clients, pause_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = QCoreApplication([])
records, measure, handled = [], {}, []


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def free_descriptors():
    measure["cpu"] = cpu_seconds() - measure["cpu"]
    measure["wall"] = time.monotonic() - measure["wall"]
    for fd in hog[:40]:
        os.close(fd)


class Recorder(logging.Handler):
    def emit(self, record):
        records.append([record.levelname, record.getMessage()])
        if "wall" not in measure and "cannot accept" in record.getMessage():
            measure["wall"], measure["cpu"] = time.monotonic(), cpu_seconds()
            QTimer.singleShot(pause_ms, free_descriptors)


logging.getLogger().addHandler(Recorder())
logging.getLogger().setLevel(logging.DEBUG)


def handle(request):
    handled.append(request.cmd)
    if len(handled) == clients:
        QTimer.singleShot(0, app.quit)
    return {"served": len(handled)}


server = InstanceServer(handle, name=path)
server.listen()
_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))  # lowered for this process only
hog = []
while True:
    try:
        hog.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        break
print("ready", flush=True)
app.exec()
server.close()
print(json.dumps({"measure": measure, "records": records, "handled": len(handled)}))
"""


@pytest.mark.parametrize("backend", ["unix"])  # Qt's QLocalServer closes itself on EMFILE
def test_out_of_file_descriptors_pauses_accepting_without_spinning_or_flooding_the_log(
    sock_name, backend
):
    clients, pause_ms = 20, 1000
    server = subprocess.Popen(
        [sys.executable, "-c", EMFILE_SERVER_CODE, sock_name, str(clients), str(pause_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC_DIR), "QT_QPA_PLATFORM": "offscreen"},
    )
    waiting: list[socket.socket] = []
    try:
        assert server.stdout is not None and server.stdout.readline() == b"ready\n"
        for _ in range(clients):  # queued by the kernel: the app has no descriptor to accept
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            waiting.append(client)
            client.settimeout(30)
            client.connect(sock_name)
            client.sendall(encode_request("status"))
        replies = [decode_response(client.recv(4096).rstrip(b"\n")) for client in waiting]
        out, err = server.communicate(timeout=60)
    finally:
        for client in waiting:
            client.close()
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err.decode()
    report = json.loads(out.decode().strip().splitlines()[-1])
    # Every client was served once descriptors were free again.
    assert report["handled"] == clients
    assert all(reply["ok"] for reply in replies)
    # No spin: while paused, the process used a small part of one CPU (a spin uses all).
    measure = report["measure"]
    assert measure["wall"] >= pause_ms / 1000 * 0.9
    assert measure["cpu"] < 0.25 * measure["wall"], measure
    # No flood: one warning for the whole episode, one line when it is over.
    warnings = [message for level, message in report["records"] if level == "WARNING"]
    assert len(warnings) == 1 and "cannot accept command connections" in warnings[0]
    about_accepting = [message for _, message in report["records"] if "accept" in message]
    assert len(about_accepting) < 15  # retries log at DEBUG, with a growing pause
    assert any("accepting command connections again" in m for _, m in report["records"])


@pytest.mark.expect_log(
    "neckcare_desktop.platform.local_socket_unix", logging.WARNING, r"cannot accept command"
)
def test_accepting_at_the_edge_of_the_limit_is_one_warning_not_one_per_client(
    qtbot, sock_name, caplog
):
    """At the limit, accepting fails and recovers again and again: still one warning."""
    from pathlib import Path

    from neckcare_desktop.platform.local_socket_unix import UnixListener

    accepted: list[object] = []
    listener = UnixListener(accepted.append)
    listener.listen(Path(sock_name))
    real = listener._sock

    class EveryOtherAcceptFails:
        calls = 0

        def accept(self):
            self.calls += 1
            if self.calls % 2:
                raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))
            return real.accept()

        def __getattr__(self, name: str):
            return getattr(real, name)

    listener._sock = EveryOtherAcceptFails()
    clients = []
    try:
        with caplog.at_level(logging.INFO, logger="neckcare_desktop.platform.local_socket_unix"):
            for _ in range(8):
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                clients.append(client)
                client.connect(sock_name)
                qtbot.waitUntil(lambda: len(accepted) == len(clients), timeout=5000)
    finally:
        listener.close()
        for client in clients:
            client.close()
        for stream in accepted:
            stream.dispose()  # type: ignore[attr-defined]
    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert [r.levelname for r in lines] == ["WARNING", "INFO"]  # failed; accepting again
