"""The wire format between ``neckcare`` and the running app: strict, versioned, bounded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neckcare_desktop.core import ipc_protocol as proto
from neckcare_desktop.core.ipc_protocol import (
    COMMANDS,
    ERROR_CODES,
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    ProtocolError,
    Request,
    decode_request,
    decode_response,
    encode_request,
    error_response,
    ok_response,
)

#: One or more valid argument sets per command; a test checks every command is covered.
VALID_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("show", {}),
    ("ice", {}),
    ("ice", {"minutes": 15}),
    ("ice", {"minutes": 45}),  # range is the core's business, not the protocol's
    ("ice", {"anyway": True}),  # during the skin's rest, confirmed
    ("ice", {"minutes": 10, "anyway": False}),
    ("heat", {}),
    ("heat", {"minutes": 20}),
    ("stop", {}),
    ("break", {}),
    ("resume", {}),
    ("quit", {}),
    ("quit", {"force": True}),
    ("quit", {"force": False}),
    ("pause", {"choice": "30"}),
    ("pause", {"choice": "60"}),
    ("pause", {"choice": "tomorrow"}),
    ("status", {}),
    ("history", {}),
    ("history", {"days": 1}),
    ("history", {"days": 3650}),
]


def _line(obj: Any) -> bytes:
    return json.dumps(obj).encode() + b"\n"


def _code(line: bytes) -> str:
    with pytest.raises(ProtocolError) as info:
        decode_request(line)
    return info.value.code


def test_every_command_has_a_round_trip_case() -> None:
    assert {cmd for cmd, _ in VALID_CALLS} == set(COMMANDS)


@pytest.mark.parametrize(("cmd", "args"), VALID_CALLS)
def test_request_round_trip(cmd: str, args: dict[str, Any]) -> None:
    line = encode_request(cmd, **args)

    assert line.endswith(b"\n") and line.count(b"\n") == 1
    wire = json.loads(line)
    assert wire["v"] == PROTOCOL_VERSION and wire["cmd"] == cmd
    assert decode_request(line) == Request(cmd, args)


def test_args_may_be_omitted_or_given_as_none_by_the_cli() -> None:
    assert decode_request(_line({"v": 1, "cmd": "ice"})) == Request("ice", {})
    assert decode_request(encode_request("ice", minutes=None)) == Request("ice", {})


def test_a_trailing_newline_is_optional_when_decoding() -> None:
    assert decode_request(b'{"v":1,"cmd":"show"}') == Request("show", {})


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"{not json}\n", "bad_json"),
        (b"\n", "bad_json"),
        (b'{"v":1,"cmd":"\xff"}\n', "bad_json"),  # not UTF-8
        (b'{"v":1,"cmd":"ice","args":{"minutes":NaN}}\n', "bad_json"),
        (b'{"v":1,"cmd":"show","cmd":"quit"}\n', "bad_json"),  # which one would win?
        (b"[" * 50_000 + b"]" * 10_000, "bad_json"),
        (b'["show"]\n', "bad_request"),
        (b'{"v":1}\n', "bad_request"),
        (b'{"v":1,"cmd":5}\n', "bad_request"),
        (b'{"cmd":"show"}\n', "bad_request"),
        (b'{"v":true,"cmd":"show"}\n', "bad_request"),
        (b'{"v":"1","cmd":"show"}\n', "bad_request"),
        (b'{"v":1,"cmd":"show","args":[]}\n', "bad_request"),
        (b'{"v":1,"cmd":"show","extra":1}\n', "bad_request"),
        (b'{"v":1,"cmd":"show","args":{"x":1}}\n', "bad_request"),
        (b'{"v":1,"cmd":"reboot"}\n', "unknown_command"),
        (b'{"v":1,"cmd":"ICE"}\n', "unknown_command"),
        (b'{"v":2,"cmd":"show"}\n', "unsupported_version"),
        (b'{"v":0,"cmd":"show"}\n', "unsupported_version"),
        (b" " * (MAX_MESSAGE_BYTES + 1), "too_large"),
    ],
)
def test_bad_requests_get_their_error_code(line: bytes, code: str) -> None:
    assert _code(line) == code


def test_error_messages_are_one_clear_sentence() -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(b'{"v":1,"cmd":"ice","args":{"minuts":5}}')
    message = str(info.value)
    assert "minuts" in message and "minutes" in message  # names the typo and the fix
    assert message.endswith(".") and "\n" not in message


def test_version_mismatch_says_which_versions() -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(b'{"v":7,"cmd":"show"}')
    assert info.value.code == "unsupported_version"
    assert "7" in str(info.value) and str(PROTOCOL_VERSION) in str(info.value)


def test_unknown_command_lists_the_known_ones() -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(b'{"v":1,"cmd":"reboot"}')
    assert "reboot" in str(info.value) and "ice" in str(info.value)


@pytest.mark.parametrize(
    ("cmd", "args"),
    [
        ("show", {"minutes": 5}),
        ("ice", {"minute": 5}),
        ("heat", {"days": 5}),
        ("pause", {"choice": "30", "minutes": 5}),
    ],
)
def test_unknown_argument_names_are_refused_both_ways(cmd: str, args: dict[str, Any]) -> None:
    with pytest.raises(ProtocolError) as encoded:
        encode_request(cmd, **args)
    assert encoded.value.code == "bad_request"
    assert _code(_line({"v": 1, "cmd": cmd, "args": args})) == "bad_request"


@pytest.mark.parametrize("cmd", ["ice", "heat"])
@pytest.mark.parametrize("minutes", [True, False, 15.0, "15", None, [15], {"m": 15}])
def test_minutes_must_be_a_real_integer(cmd: str, minutes: Any) -> None:
    assert _code(_line({"v": 1, "cmd": cmd, "args": {"minutes": minutes}})) == "bad_request"
    if minutes is not None:  # None means "not given" for the encoder
        with pytest.raises(ProtocolError):
            encode_request(cmd, minutes=minutes)


@pytest.mark.parametrize("force", [1, 0, "yes", "true", None, [True]])
def test_quit_force_must_be_true_or_false(force: Any) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(_line({"v": 1, "cmd": "quit", "args": {"force": force}}))
    assert info.value.code == "bad_request"
    assert "must be true or false" in str(info.value)
    if force is not None:  # None means "not given" for the encoder
        with pytest.raises(ProtocolError):
            encode_request("quit", force=force)


@pytest.mark.parametrize("anyway", [1, "yes", "true", None, [True]])
def test_ice_anyway_must_be_true_or_false(anyway: Any) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(_line({"v": 1, "cmd": "ice", "args": {"anyway": anyway}}))
    assert info.value.code == "bad_request"
    assert "must be true or false" in str(info.value)


def test_only_ice_has_a_skin_rest_to_confirm() -> None:
    """Heat has no rest between rounds: `anyway` on heat is a client bug, said so."""
    assert _code(_line({"v": 1, "cmd": "heat", "args": {"anyway": True}})) == "bad_request"


@pytest.mark.parametrize("choice", [30, "45", "Tomorrow", None, True])
def test_pause_choice_must_be_one_of_the_offered_strings(choice: Any) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_request(_line({"v": 1, "cmd": "pause", "args": {"choice": choice}}))
    assert info.value.code == "bad_request"
    assert "'tomorrow'" in str(info.value)


def test_pause_needs_a_choice() -> None:
    assert _code(_line({"v": 1, "cmd": "pause"})) == "bad_request"
    with pytest.raises(ProtocolError):
        encode_request("pause")


@pytest.mark.parametrize("days", [0, -1, 3651, 10**20])
def test_history_days_outside_range_are_refused(days: int) -> None:
    assert _code(_line({"v": 1, "cmd": "history", "args": {"days": days}})) == "bad_request"


def test_encode_refuses_unknown_commands() -> None:
    with pytest.raises(ProtocolError) as info:
        encode_request("reboot")
    assert info.value.code == "unknown_command"


def test_request_exactly_at_the_cap_is_accepted_one_byte_more_is_not() -> None:
    body = b'{"v":1,"cmd":"status"}'
    at_cap = body + b" " * (MAX_MESSAGE_BYTES - len(body))
    assert len(at_cap) == MAX_MESSAGE_BYTES

    assert decode_request(at_cap + b"\n") == Request("status", {})
    with pytest.raises(ProtocolError) as info:
        decode_request(at_cap + b" \n")
    assert info.value.code == "too_large"


def test_response_exactly_at_the_cap_round_trips_one_byte_more_is_refused() -> None:
    overhead = len(ok_response("")) - 1  # minus the newline
    at_cap = ok_response("x" * (MAX_MESSAGE_BYTES - overhead))
    assert len(at_cap) == MAX_MESSAGE_BYTES + 1

    assert decode_response(at_cap)["result"] == "x" * (MAX_MESSAGE_BYTES - overhead)
    with pytest.raises(ProtocolError) as info:
        ok_response("x" * (MAX_MESSAGE_BYTES - overhead + 1))
    assert info.value.code == "too_large"
    with pytest.raises(ProtocolError) as info:
        decode_response(at_cap[:-1] + b" \n")
    assert info.value.code == "too_large"


@pytest.mark.parametrize("result", [None, 0, "ok", [1, "a"], {"running": {"kind": "ice"}}])
def test_ok_response_round_trip(result: Any) -> None:
    assert decode_response(ok_response(result)) == {"v": 1, "ok": True, "result": result}


def test_ok_response_defaults_to_null_result() -> None:
    assert json.loads(ok_response()) == {"v": 1, "ok": True, "result": None}


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_error_response_round_trip_for_every_code(code: str) -> None:
    reply = decode_response(error_response(code, "Ice is capped at 20 minutes a round."))
    assert reply == {
        "v": 1,
        "ok": False,
        "error": "Ice is capped at 20 minutes a round.",
        "code": code,
    }


def test_unserialisable_result_is_an_internal_error() -> None:
    with pytest.raises(ProtocolError) as info:
        ok_response(object())
    assert info.value.code == "internal"
    with pytest.raises(ProtocolError):
        ok_response(float("nan"))


def test_error_response_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError, match="nope"):
        error_response("nope", "Whatever.")


def test_huge_error_messages_are_shortened_to_fit() -> None:
    reply = decode_response(error_response("refused", "é" * (MAX_MESSAGE_BYTES * 2)))
    assert reply["code"] == "refused"
    assert len(reply["error"]) <= proto.MAX_ERROR_CHARS


@pytest.mark.parametrize(
    "line",
    [
        b"nope\n",
        b"[]\n",
        b'{"v":1,"ok":true}\n',  # no result
        b'{"v":1,"ok":"yes","result":1}\n',
        b'{"v":1,"ok":true,"result":1,"error":"x"}\n',
        b'{"v":1,"ok":false,"error":"x"}\n',
        b'{"v":1,"ok":false,"error":"","code":"refused"}\n',
        b'{"v":1,"ok":false,"error":"x","code":7}\n',
        b'{"ok":true,"result":1}\n',
    ],
)
def test_malformed_responses_are_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_response(line)


def test_response_from_another_protocol_version_is_refused() -> None:
    with pytest.raises(ProtocolError) as info:
        decode_response(b'{"v":2,"ok":true,"result":null}\n')
    assert info.value.code == "unsupported_version"


def test_error_codes_a_newer_app_adds_are_still_readable() -> None:
    reply = decode_response(b'{"v":1,"ok":false,"error":"Busy.","code":"busy"}\n')
    assert reply["error"] == "Busy."


# -- properties --------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def _decode_or_protocol_error(line: bytes) -> Request | None:
    """Decode; only ProtocolError may escape as a failure, anything else fails the test."""
    try:
        request = decode_request(line)
    except ProtocolError as exc:
        assert exc.code in ERROR_CODES
        assert str(exc)
        return None
    assert isinstance(request, Request)
    return request


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_raise_protocol_error(data: bytes) -> None:
    _decode_or_protocol_error(data)
    try:
        response = decode_response(data)
    except ProtocolError as exc:
        assert exc.code in ERROR_CODES
    else:
        assert isinstance(response["ok"], bool)


@settings(max_examples=200)
@given(json_values)
def test_arbitrary_json_decodes_or_raises_protocol_error(value: Any) -> None:
    _decode_or_protocol_error(json.dumps(value).encode())


@settings(max_examples=200)
@given(
    st.sampled_from(sorted(COMMANDS)),
    st.dictionaries(
        st.sampled_from(["minutes", "days", "choice", "force", "other"]),
        json_values | st.sampled_from(["30", "60", "tomorrow"]),
        max_size=3,
    ),
)
def test_any_accepted_request_survives_a_round_trip(cmd: str, args: dict[str, Any]) -> None:
    request = _decode_or_protocol_error(_line({"v": 1, "cmd": cmd, "args": args}))
    if request is not None:
        assert request == Request(cmd, args)
        assert decode_request(encode_request(request.cmd, **request.args)) == request
