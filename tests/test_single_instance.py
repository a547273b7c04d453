"""Only one NeckCare per user: later ``neckcare`` commands reach the running app instead.

The server and a raw QLocalSocket client share this thread, so the client side is driven
with ``qtbot.waitUntil`` (which spins the event loop). The real blocking ``send_request`` is
proven in a subprocess while this test's event loop serves it.

Every test runs once per backend: the stdlib AF_UNIX socket the app uses on POSIX and the
``QLocalServer`` it uses on Windows (which works on Linux too), so both keep one behaviour.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import SRC_DIR, FakeHandler, SocketClient, ok_reply
from neckcare_desktop.core.ipc_protocol import (
    MAX_MESSAGE_BYTES,
    ProtocolError,
    Request,
    decode_request,
    decode_response,
    encode_request,
)
from neckcare_desktop.platform import single_instance
from neckcare_desktop.platform.single_instance import (
    AlreadyRunning,
    InstanceError,
    InstanceServer,
    is_running,
    send_request,
    server_name,
)

IDLE_MS = 300

pytestmark = pytest.mark.usefixtures("backend")  # every test once per backend (conftest)


@pytest.fixture
def server(qtbot, backend, sock_name: str, handler: FakeHandler) -> Iterator[InstanceServer]:
    srv = InstanceServer(handler, name=sock_name, idle_timeout_ms=IDLE_MS)
    srv.listen()
    yield srv
    srv.close()


@pytest.fixture
def client_factory(qtbot, sock_name: str) -> Iterator:
    clients: list[SocketClient] = []

    def make() -> SocketClient:
        client = SocketClient(qtbot, sock_name)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# -- serving requests --------------------------------------------------------------------


def test_request_reaches_handler_and_gets_ok_reply(qtbot, server, handler, client_factory):
    client = client_factory()
    with qtbot.waitSignal(server.request_handled, timeout=2000) as signal:
        client.send(encode_request("ice", minutes=15))

    assert signal.args == ["ice"]
    assert handler.requests == [Request("ice", {"minutes": 15})]
    assert client.reply() == ok_reply("ice", {"minutes": 15})


def test_pipelined_requests_are_answered_in_order(server, client_factory):
    client = client_factory()
    client.send(encode_request("status") + encode_request("pause", choice="tomorrow"))

    assert client.reply() == ok_reply("status")
    assert client.reply() == ok_reply("pause", {"choice": "tomorrow"})


def test_request_split_over_several_writes_is_reassembled(qtbot, server, client_factory):
    client = client_factory()
    line = encode_request("history", days=7)

    def server_holds(n: int) -> bool:
        """The server has read ``n`` bytes of the line (and not yet a whole line)."""
        return sum(len(c._buffer) for c in server._connections) == n

    for i in range(0, len(line), 5):
        client.send(line[i : i + 5])
        if i + 5 < len(line):  # each piece arrives on its own: no read sees the whole line
            qtbot.waitUntil(lambda i=i: server_holds(i + 5), timeout=2000)

    assert client.reply() == ok_reply("history", {"days": 7})


def test_malformed_json_gets_bad_json_and_connection_stays_usable(server, handler, client_factory):
    client = client_factory()
    client.send(b"{this is not json\n")

    reply = client.reply()
    assert reply["ok"] is False and reply["code"] == "bad_json"
    assert handler.requests == []

    client.send(encode_request("stop"))
    assert client.reply() == ok_reply("stop")


def test_invalid_request_gets_its_code_and_connection_stays_usable(server, client_factory):
    client = client_factory()
    client.send(b'{"v":1,"cmd":"reboot"}\n{"v":1,"cmd":"ice","args":{"minutes":true}}\n')

    assert client.reply()["code"] == "unknown_command"
    assert client.reply()["code"] == "bad_request"
    client.send(encode_request("resume"))
    assert client.reply() == ok_reply("resume")


def test_request_exactly_at_the_size_cap_is_served(server, client_factory):
    body = b'{"v":1,"cmd":"status"}'
    client = client_factory()
    client.send(body + b" " * (MAX_MESSAGE_BYTES - len(body)) + b"\n")

    assert client.reply() == ok_reply("status")


@pytest.mark.parametrize("newline", [b"", b"\n"])
@pytest.mark.expect_log(
    "neckcare_desktop.platform.command_connection", logging.WARNING, r"over 65536 bytes"
)
def test_oversize_line_gets_too_large_and_is_dropped(
    qtbot, server, handler, client_factory, newline
):
    client = client_factory()
    client.send(b'{"v":1,"cmd":"status","pad":"' + b"x" * MAX_MESSAGE_BYTES + newline)

    reply = client.reply()
    assert reply["ok"] is False and reply["code"] == "too_large"
    qtbot.waitUntil(client.gone, timeout=2000)
    assert handler.requests == []


def test_silent_client_is_dropped_after_idle_timeout(qtbot, server, client_factory):
    client = client_factory()
    started = time.monotonic()

    qtbot.waitUntil(client.gone, timeout=3000)
    assert time.monotonic() - started >= IDLE_MS * 0.8 / 1000
    assert client.buffer == b""


def test_client_stalling_mid_line_is_dropped_without_running_it(
    qtbot, server, handler, client_factory
):
    client = client_factory()
    client.send(encode_request("quit")[:-3])

    qtbot.waitUntil(client.gone, timeout=3000)
    assert handler.requests == []


def test_client_trickling_bytes_cannot_outstay_the_timeout(qtbot, server, client_factory):
    client = client_factory()
    started = time.monotonic()

    def trickle() -> bool:
        if client.connected():
            client.send(b" ")
        return client.gone()

    qtbot.waitUntil(trickle, timeout=3000)
    assert time.monotonic() - started < 3 * IDLE_MS / 1000 + 1


def test_active_client_is_not_dropped_while_it_keeps_sending_lines(
    qtbot, sock_name, handler, client_factory
):
    # A roomy timeout against short gaps, so a loaded CI machine cannot make it flaky:
    # the client stays connected well past one timeout only because it keeps talking.
    idle_ms = 1000
    srv = InstanceServer(handler, name=sock_name, idle_timeout_ms=idle_ms)
    srv.listen()
    try:
        client = client_factory()
        deadline = time.monotonic() + 2.2 * idle_ms / 1000
        while time.monotonic() < deadline:
            client.send(encode_request("status"))
            assert client.reply() == ok_reply("status")
            qtbot.wait(idle_ms // 5)
        assert client.connected()
    finally:
        srv.close()


def test_client_hanging_up_mid_line_is_cleaned_up_silently(qtbot, server, handler, caplog):
    caplog.set_level(logging.DEBUG, logger=single_instance.__name__)
    client = SocketClient(qtbot, server.name)
    client.send(b'{"v":1,"cmd":"qu')
    client.sock.disconnectFromServer()

    qtbot.waitUntil(lambda: not server._connections, timeout=2000)
    assert handler.requests == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.expect_log(
    "neckcare_desktop.platform.command_connection", logging.WARNING, r"over 65536 bytes"
)
def test_misbehaving_clients_do_not_block_a_well_behaved_one(
    qtbot, sock_name, handler, client_factory
):
    srv = InstanceServer(handler, name=sock_name, idle_timeout_ms=5000)
    srv.listen()
    try:
        staller = client_factory()
        staller.send(b'{"v":1,"cmd":')
        silent = client_factory()
        flooder = client_factory()
        flooder.send(b"y" * (MAX_MESSAGE_BYTES + 100))
        polite = client_factory()
        started = time.monotonic()
        polite.send(encode_request("status"))

        assert polite.reply(timeout=2000) == ok_reply("status")
        assert time.monotonic() - started < 2
        assert flooder.reply()["code"] == "too_large"
        assert staller.connected() and silent.connected()  # still waiting, not served yet
        assert handler.requests == [Request("status", {})]
    finally:
        srv.close()


def test_replies_larger_than_the_socket_buffer_all_arrive_in_order(
    qtbot, server, handler, client_factory
):
    """Thousands of pipelined requests: the replies (~300 kB) outgrow the kernel's buffer,
    so the server must keep writing as the client reads instead of dropping any."""
    count = 6000
    client = client_factory()
    client.send(encode_request("status") * count)

    def all_replies() -> bool:
        client._pull()
        return client.buffer.count(b"\n") >= count

    qtbot.waitUntil(all_replies, timeout=15000)
    lines = bytes(client.buffer).split(b"\n")[:count]
    assert all(decode_response(line) == ok_reply("status") for line in lines)
    assert len(handler.requests) == count


def posix_backend_only(test):
    """For what only the stdlib AF_UNIX backend does."""
    test = pytest.mark.parametrize("backend", ["unix"], indirect=True)(test)
    return pytest.mark.skipif(sys.platform == "win32", reason="AF_UNIX: POSIX only")(test)


@posix_backend_only
def test_client_that_never_reads_its_replies_is_hung_up_on(qtbot, server, handler, client_factory):
    """QLocalSocket would buffer for it without limit; the POSIX backend stops at 1 MiB."""
    greedy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    greedy.connect(server.name)
    greedy.setblocking(False)
    request = encode_request("status")
    unsent = memoryview(request * 40000)  # ~1.6 MB of replies it will never read

    def hung_up() -> bool:
        nonlocal unsent
        try:
            if unsent:
                unsent = unsent[greedy.send(unsent) :]
        except BlockingIOError:
            pass
        except (BrokenPipeError, ConnectionResetError):
            return True
        return not server._connections

    try:
        qtbot.waitUntil(hung_up, timeout=20000)
    finally:
        greedy.close()
    polite = client_factory()
    polite.send(encode_request("status"))
    assert polite.reply() == ok_reply("status")


def test_refusal_is_passed_back_with_its_message(server, client_factory):
    client = client_factory()
    client.send(encode_request("ice", minutes=25))

    assert client.reply() == {
        "v": 1,
        "ok": False,
        "error": "Ice is capped at 20 minutes a round.",
        "code": "refused",
    }


@pytest.mark.expect_log(
    "neckcare_desktop.platform.single_instance", logging.ERROR, r"handling command"
)
def test_handler_crash_is_internal_error_and_server_keeps_serving(
    qtbot, server, client_factory, caplog
):
    client = client_factory()
    with caplog.at_level(logging.ERROR, logger=single_instance.__name__):
        client.send(encode_request("break"))
        reply = client.reply()

    assert reply["ok"] is False and reply["code"] == "internal"
    assert "boom" not in reply["error"]  # internals stay in the log
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)

    client.send(encode_request("stop"))
    assert client.reply() == ok_reply("stop")
    other = client_factory()
    other.send(encode_request("status"))
    assert other.reply() == ok_reply("status")


@pytest.mark.expect_log(
    "neckcare_desktop.platform.single_instance", logging.ERROR, r"cannot be sent"
)
def test_unserialisable_handler_result_is_internal_error(server, client_factory):
    client = client_factory()
    client.send(encode_request("show"))

    assert client.reply()["code"] == "internal"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")),
            st.sampled_from(
                [encode_request("status")[:-1], encode_request("ice", minutes=30)[:-1]]
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_every_line_gets_exactly_one_matching_reply(qtbot, server, lines: list[bytes]):
    client = SocketClient(qtbot, server.name)
    try:
        client.send(b"".join(line + b"\n" for line in lines))
        for line in lines:
            reply = client.reply()
            try:
                request = decode_request(line)
            except ProtocolError as exc:
                assert reply["ok"] is False and reply["code"] == exc.code
            else:
                assert reply["ok"] is True or reply["code"] == "refused"
                assert request.cmd in ("status", "ice")
    finally:
        client.close()


# -- one instance per name ----------------------------------------------------------------


def test_second_server_on_same_name_is_refused_and_first_keeps_serving(
    qtbot, server, sock_name, client_factory
):
    inode = os.stat(sock_name).st_ino
    second = InstanceServer(lambda request: "intruder", name=sock_name)

    with pytest.raises(AlreadyRunning, match="already running"):
        second.listen()

    assert not second.is_listening()
    assert os.stat(sock_name).st_ino == inode  # the socket was not stolen
    client = client_factory()
    client.send(encode_request("status"))
    assert client.reply() == ok_reply("status")


@pytest.mark.expect_log(
    "neckcare_desktop.platform.socket_file", logging.WARNING, r"stale command socket"
)
def test_stale_socket_from_a_crash_is_replaced(qtbot, sock_name, handler, client_factory):
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(sock_name)
    crashed.listen(1)
    crashed.close()  # a crash: the file stays, nobody listens
    assert stat.S_ISSOCK(os.stat(sock_name).st_mode)

    srv = InstanceServer(handler, name=sock_name)
    srv.listen()
    try:
        client = client_factory()
        client.send(encode_request("status"))
        assert client.reply() == ok_reply("status")
    finally:
        srv.close()


@pytest.mark.parametrize("kind", ["file", "folder", "symlink"])
@pytest.mark.expect_log(
    "neckcare_desktop.platform.socket_file", logging.WARNING, r"in the way.*moved it aside"
)
def test_anything_else_in_the_way_is_moved_aside_never_deleted(
    qtbot, sock_name, handler, client_factory, kind
):
    path = Path(sock_name)
    if kind == "file":
        path.write_text("precious")
    elif kind == "folder":
        path.mkdir()
        (path / "inside").write_text("precious")
    else:
        (path.parent / "target").write_text("precious")
        path.symlink_to(path.parent / "target")

    srv = InstanceServer(handler, name=sock_name)
    srv.listen()
    try:
        client = client_factory()
        client.send(encode_request("status"))
        assert client.reply() == ok_reply("status")
        (aside,) = path.parent.glob("n.sock.moved-aside-*")
        kept = aside / "inside" if kind == "folder" else aside
        assert kept.read_text() == "precious"
    finally:
        srv.close()


def test_too_long_socket_path_is_a_clear_error(tmp_path_factory, handler):
    long_name = str(tmp_path_factory.mktemp("ipc") / ("x" * 120))

    with pytest.raises(InstanceError, match="too long"):
        InstanceServer(handler, name=long_name).listen()


def test_socket_file_is_owner_only(server, sock_name):
    mode = os.stat(sock_name).st_mode
    assert stat.S_ISSOCK(mode)
    assert mode & 0o077 == 0


@posix_backend_only
def test_client_that_closes_its_sending_side_still_gets_its_replies(qtbot, server, handler):
    """As ``printf '...' | nc -U neckcare.sock`` does: send, shut the writing side, read."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(server.name)
    client.sendall(encode_request("status") + encode_request("ice", minutes=10))
    client.shutdown(socket.SHUT_WR)
    client.setblocking(False)
    received = bytearray()

    def closed_after_replies() -> bool:
        try:
            chunk = client.recv(4096)
        except BlockingIOError:
            return False
        received.extend(chunk)
        return chunk == b""

    try:
        qtbot.waitUntil(closed_after_replies, timeout=3000)
    finally:
        client.close()
    assert [decode_response(line) for line in bytes(received).splitlines()] == [
        ok_reply("status"),
        ok_reply("ice", {"minutes": 10}),
    ]
    qtbot.waitUntil(lambda: not server._connections, timeout=2000)


@posix_backend_only
def test_close_leaves_a_socket_file_that_is_no_longer_its_own(qtbot, server, sock_name):
    """Unlike QLocalServer, which removes whatever file has the name."""
    os.unlink(sock_name)
    other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    other.bind(sock_name)  # e.g. a NeckCare started by hand after this one's file vanished
    try:
        server.close()

        assert stat.S_ISSOCK(os.stat(sock_name).st_mode)
    finally:
        other.close()


def test_close_removes_socket_and_clients_then_find_nobody(qtbot, server, sock_name):
    server.close()

    assert not Path(sock_name).exists()
    assert not server.is_listening()
    assert not is_running(sock_name)


# -- the blocking client ------------------------------------------------------------------


def _run_client(qtbot, code: str, *argv: str) -> str:
    """Run blocking-client code in a fresh interpreter while this event loop serves it."""
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    finally:
        if proc.poll() is None:
            proc.kill()
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


CLIENT_CODE = """
import json, sys
from neckcare_desktop.platform.single_instance import is_running, send_request
name = sys.argv[1]
print(json.dumps([
    is_running(name),
    send_request("ice", {"minutes": 10}, name=name),
    send_request("ice", {"minutes": 40}, name=name),
]))
"""


def test_real_blocking_client_in_another_process(qtbot, server, handler):
    out = _run_client(qtbot, CLIENT_CODE, server.name)

    running, ok, refused = json.loads(out)
    assert running is True
    assert ok == ok_reply("ice", {"minutes": 10})
    assert refused["code"] == "refused" and "20 minutes" in refused["error"]
    assert [r.cmd for r in handler.requests] == ["ice", "ice"]


def test_real_client_uses_neckcare_socket_env(qtbot, server, monkeypatch):
    monkeypatch.setenv("NECKCARE_SOCKET", server.name)
    code = (
        "import json; from neckcare_desktop.platform.single_instance import send_request;"
        "print(json.dumps(send_request('resume')))"
    )

    assert json.loads(_run_client(qtbot, code)) == ok_reply("resume")


def test_send_request_to_nothing_returns_none(sock_name):
    assert send_request("show", name=sock_name) is None
    assert not is_running(sock_name)


def test_send_request_to_stale_socket_returns_none(sock_name):
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(sock_name)
    crashed.close()

    assert send_request("show", name=sock_name) is None
    assert not is_running(sock_name)


def test_send_request_validates_before_connecting(sock_name):
    with pytest.raises(ProtocolError):
        send_request("ice", {"minutes": "ten"}, name=sock_name)


FAKE_INSTANCE_CODE = """
import socket, sys
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sys.argv[1])
listener.listen(1)
print("ready", flush=True)
conn, _ = listener.accept()
received = b""
while not received.endswith(b"\\n"):
    chunk = conn.recv(4096)
    if not chunk:
        break
    received += chunk
if sys.argv[2] != "hang-up":
    conn.sendall(sys.argv[2].encode())
conn.close()
"""


@pytest.fixture
def fake_instance(sock_name: str) -> Iterator:
    """Start an instance (another process) that reads one line and sends a given reply.

    A process, not a thread: PySide keeps the GIL during the client's blocking waits, so a
    Python thread could never answer.
    """
    procs: list[subprocess.Popen] = []

    def start(reply: str) -> None:
        proc = subprocess.Popen(
            [sys.executable, "-c", FAKE_INSTANCE_CODE, sock_name, reply],
            stdout=subprocess.PIPE,
        )
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("this is not json\n", "cannot be read"),
        ('{"v":9,"ok":true,"result":1}\n', "cannot be read"),
        ("hang-up", "closed the connection without replying"),
        ('{"v":1,"ok":true,"res', "closed the connection without replying"),
    ],
)
def test_broken_instance_reply_is_instance_error(sock_name, fake_instance, reply, message):
    fake_instance(reply)

    with pytest.raises(InstanceError, match=message):
        send_request("status", name=sock_name, timeout_ms=5000)


def test_good_reply_from_another_process_is_returned(sock_name, fake_instance):
    fake_instance('{"v":1,"ok":true,"result":{"paused":false}}\n')

    assert send_request("status", name=sock_name) == {
        "v": 1,
        "ok": True,
        "result": {"paused": False},
    }


def test_instance_that_never_replies_times_out(sock_name):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_name)
    listener.listen(1)  # the kernel accepts the connection; nobody ever answers
    try:
        started = time.monotonic()
        with pytest.raises(InstanceError, match="did not reply within 300 ms"):
            send_request("status", name=sock_name, timeout_ms=300)
        assert time.monotonic() - started < 2
    finally:
        listener.close()


# -- where the socket lives ---------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX socket path")
def test_default_server_name_is_in_private_runtime_dir(monkeypatch):
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    name = Path(server_name())

    assert name.name == "neckcare.sock"
    assert name.parent == Path(os.environ["XDG_RUNTIME_DIR"]) / "neckcare-desktop"
    assert stat.S_IMODE(os.stat(name.parent).st_mode) == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_loose_runtime_dir_is_tightened(monkeypatch):
    monkeypatch.delenv("NECKCARE_SOCKET", raising=False)
    folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "neckcare-desktop"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o777)

    server_name()

    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_neckcare_socket_env_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("NECKCARE_SOCKET", str(tmp_path / "custom.sock"))

    assert server_name() == str(tmp_path / "custom.sock")


def test_listen_creates_missing_socket_folder_owner_only(qtbot, tmp_path_factory, handler):
    folder = tmp_path_factory.mktemp("ipc") / "new"
    srv = InstanceServer(handler, name=str(folder / "n.sock"))
    srv.listen()
    try:
        assert srv.is_listening()
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    finally:
        srv.close()
