"""Loading and rotating stretch suggestions.

Users see one suggestion per break: a broken list must fail loudly with a message that
points at the offending entry, and the rotation must not nag with the same suggestion
twice in a row.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neckcare_desktop.core.stretches import (
    Stretch,
    StretchListError,
    StretchRotation,
    load_stretches,
)

GOOD_ENTRY = {
    "id": "chin-tuck",
    "title": "Chin tuck",
    "how": "Slowly draw your chin straight back. Stop if it hurts.",
    "seconds": 60,
    "kinds": ["posture"],
    "stop_if_hurts": True,
    "area": "neck",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def _write(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    chunks = []
    for entry in entries:
        lines = ["[[stretch]]"] + [f"{key} = {_toml_value(val)}" for key, val in entry.items()]
        chunks.append("\n".join(lines))
    path = tmp_path / "stretches.toml"
    path.write_text("\n\n".join(chunks) + "\n", encoding="utf-8")
    return path


def _stretch(sid: str, *kinds: str) -> Stretch:
    return Stretch(
        id=sid, title=sid.title(), how="Slowly.", seconds=20, kinds=frozenset(kinds),
        stop_if_hurts=False,
    )  # fmt: skip


def test_valid_file_loads_every_field(tmp_path: Path) -> None:
    second = {**GOOD_ENTRY, "id": "eye-rest", "kinds": ["micro", "posture"], "seconds": 20}
    stretches = load_stretches(_write(tmp_path, [GOOD_ENTRY, second]))

    assert [s.id for s in stretches] == ["chin-tuck", "eye-rest"]
    first = stretches[0]
    assert first.title == "Chin tuck"
    assert first.how.endswith("Stop if it hurts.")
    assert first.seconds == 60
    assert first.kinds == frozenset({"posture"})
    assert first.stop_if_hurts is True
    assert first.area == "neck"
    assert stretches[1].kinds == frozenset({"micro", "posture"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),  # None = remove the key
        ({"how": "   "}, "how"),
        ({"seconds": 0}, "seconds"),
        ({"seconds": -5}, "seconds"),
        ({"seconds": "60"}, "seconds"),
        ({"seconds": True}, "seconds"),
        ({"seconds": 1.5}, "seconds"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["lunch"]}, "kinds"),
        ({"kinds": "micro"}, "kinds"),
        ({"stop_if_hurts": "yes"}, "stop_if_hurts"),
        ({"stop_if_hurt": True}, "stop_if_hurt"),  # typo'd extra field
        ({"area": None}, "area"),  # missing: it could be a neck movement
        ({"area": "head"}, "area"),
    ],
)
def test_bad_entry_error_names_entry_and_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    bad = {**GOOD_ENTRY, "id": "broken-one"}
    for key, value in change.items():
        if value is None:
            del bad[key]
        else:
            bad[key] = value
    path = _write(tmp_path, [{**GOOD_ENTRY, "id": "fine"}, bad])

    with pytest.raises(StretchListError) as info:
        load_stretches(path)

    message = str(info.value)
    assert info.value.field == field
    assert f"'{field}'" in message
    assert "#2" in message
    assert "broken-one" in message
    assert str(path) in message


def test_duplicate_id_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_ENTRY, GOOD_ENTRY])
    with pytest.raises(StretchListError, match=r"#2.*'id'.*unique"):
        load_stretches(path)


def test_invalid_toml_and_empty_list_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[stretch]\nid = ", encoding="utf-8")
    with pytest.raises(StretchListError, match="not valid TOML"):
        load_stretches(broken)

    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(StretchListError, match=r"\[\[stretch\]\]"):
        load_stretches(empty)


def test_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_stretches(tmp_path / "nope.toml")


POOL = [_stretch(f"m{i}", "micro") for i in range(4)] + [
    _stretch(f"p{i}", "posture") for i in range(5)
]


def test_rotation_never_repeats_back_to_back() -> None:
    rotation = StretchRotation(POOL, rng=random.Random(7))
    draws = [rotation.next("posture").id for _ in range(500)]
    assert all(a != b for a, b in itertools.pairwise(draws))


def test_rotation_shows_every_suggestion_before_repeating() -> None:
    rotation = StretchRotation(POOL, rng=random.Random(3))
    draws = [rotation.next("micro").id for _ in range(4 * 25)]
    for start in range(0, len(draws), 4):
        assert sorted(draws[start : start + 4]) == ["m0", "m1", "m2", "m3"]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), size=st.integers(1, 8), draws=st.integers(1, 60))
def test_rotation_properties_hold_for_any_seed(seed: int, size: int, draws: int) -> None:
    pool = [_stretch(f"s{i}", "micro") for i in range(size)]
    rotation = StretchRotation(pool, rng=random.Random(seed))
    seen = [rotation.next("micro").id for _ in range(draws)]
    if size > 1:
        assert all(a != b for a, b in itertools.pairwise(seen))
    for start in range(0, draws - size + 1, size):
        assert len(set(seen[start : start + size])) == size


def test_rotation_is_deterministic_with_a_seed() -> None:
    def sequence(seed: int) -> list[str]:
        rotation = StretchRotation(POOL, rng=random.Random(seed))
        return [rotation.next(kind).id for kind in ["micro", "posture"] * 20]

    assert sequence(42) == sequence(42)
    assert sequence(42) != sequence(43)


def test_rotation_only_offers_suggestions_for_the_requested_kind() -> None:
    both = _stretch("sit-back", "micro", "posture")
    rotation = StretchRotation([*POOL, both], rng=random.Random(1))

    micro = {rotation.next("micro").id for _ in range(50)}
    posture = {rotation.next("posture").id for _ in range(60)}

    assert micro == {"m0", "m1", "m2", "m3", "sit-back"}
    assert posture == {"p0", "p1", "p2", "p3", "p4", "sit-back"}
    assert rotation.available("micro") == 5
    assert rotation.available("posture") == 6


def test_single_suggestion_is_repeated_rather_than_failing() -> None:
    rotation = StretchRotation([_stretch("only", "micro")], rng=random.Random(0))
    assert [rotation.next("micro").id for _ in range(3)] == ["only"] * 3


def test_unknown_kind_and_empty_kind_raise() -> None:
    rotation = StretchRotation([_stretch("only", "micro")])
    with pytest.raises(ValueError, match="lunch"):
        rotation.next("lunch")
    with pytest.raises(LookupError, match="posture"):
        rotation.next("posture")


# --- Illustrations ----------------------------------------------------------------------


def test_image_is_optional_and_kept_as_written(tmp_path: Path) -> None:
    with_image = {**GOOD_ENTRY, "image": "stretches/chin-tuck.svg"}
    without = {**GOOD_ENTRY, "id": "eye-rest"}
    first, second = load_stretches(_write(tmp_path, [with_image, without]))
    assert first.image == "stretches/chin-tuck.svg"
    assert second.image is None
    # Code that builds suggestions by hand (tests, the engine) needs no image either.
    assert _stretch("walk", "posture").image is None


@pytest.mark.parametrize(
    "image",
    [
        "",
        "   ",
        42,
        "/usr/share/pixmaps/x.svg",
        "../outside.svg",
        "stretches/../../outside.svg",
        "stretches//chin-tuck.svg",
        "./stretches/chin-tuck.svg",
        "stretches\\chin-tuck.svg",
        "C:/pictures/chin-tuck.svg",
        "~/chin-tuck.svg",
        "stretches/chin-tuck.png",
        "stretches/",
    ],
)
def test_bad_image_path_is_rejected_naming_entry_and_field(tmp_path: Path, image: object) -> None:
    bad = {**GOOD_ENTRY, "id": "broken-one", "image": image}
    path = _write(tmp_path, [{**GOOD_ENTRY, "id": "fine"}, bad])

    with pytest.raises(StretchListError) as info:
        load_stretches(path)

    assert info.value.field == "image"
    message = str(info.value)
    assert "#2" in message and "broken-one" in message and "'image'" in message
    assert str(path) in message


def test_required_images_must_exist_next_to_the_list(tmp_path: Path) -> None:
    (tmp_path / "stretches").mkdir()
    (tmp_path / "stretches" / "chin-tuck.svg").write_text("<svg/>", encoding="utf-8")
    good = {**GOOD_ENTRY, "image": "stretches/chin-tuck.svg"}
    missing_file = {**GOOD_ENTRY, "id": "walk", "image": "stretches/walk.svg"}

    assert load_stretches(_write(tmp_path, [good]), require_images=True)[0].image == (
        "stretches/chin-tuck.svg"
    )
    # Without the requirement a hand-written list may name pictures it does not ship.
    assert len(load_stretches(_write(tmp_path, [good, missing_file]))) == 2

    path = _write(tmp_path, [good, missing_file])
    with pytest.raises(StretchListError) as info:
        load_stretches(path, require_images=True)
    assert info.value.field == "image"
    assert info.value.stretch_id == "walk"
    assert "stretches/walk.svg" in str(info.value) and "not found" in str(info.value)
    assert str(path) in str(info.value)


def test_required_images_must_be_named(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**GOOD_ENTRY, "id": "no-picture"}])
    with pytest.raises(
        StretchListError, match=r"#1 \(id 'no-picture'\): field 'image': is missing"
    ):
        load_stretches(path, require_images=True)


def test_an_image_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "stretches" / "dir.svg").mkdir(parents=True)
    path = _write(tmp_path, [{**GOOD_ENTRY, "image": "stretches/dir.svg"}])
    with pytest.raises(StretchListError, match="not found"):
        load_stretches(path, require_images=True)
