"""One vocabulary of triggers and warning signs: the words a person ticks in the spasm log
are the words core stores, validates and repeats back in its advice, in every language."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from conftest import TEST_TZ
from neckcare_desktop import core
from neckcare_desktop.core import guidance
from neckcare_desktop.core.history import HistoryStore
from neckcare_desktop.core.spasm_vocabulary import (
    RED_FLAGS,
    TRIGGER_CONTEXT,
    TRIGGERS,
    WARNING_SIGN_CONTEXT,
    WARNING_SIGNS,
    trigger_label,
    warning_sign_label,
)
from neckcare_desktop.resources import resource_path
from neckcare_desktop.ui.spasm_dialog import SpasmDialog

# The spasm dialog as its own tests build it, so this file follows any change to how it is made.
from test_spasm_dialog import dialog  # noqa: F401  (a pytest fixture; its store is conftest's)

QM_FILE = resource_path("translations", "neckcare_es.qm")


def test_the_dialog_offers_the_vocabulary_in_its_words(dialog: SpasmDialog) -> None:  # noqa: F811
    assert {key: box.text() for key, box in dialog.trigger_boxes.items()} == TRIGGERS
    assert {key: box.text() for key, box in dialog.sign_boxes.items()} == WARNING_SIGNS
    # Same order too: the boxes are laid out in vocabulary order.
    assert list(dialog.trigger_boxes) == list(TRIGGERS)
    assert list(dialog.sign_boxes) == list(WARNING_SIGNS)


def test_the_advice_names_a_sign_as_its_box_does(dialog: SpasmDialog) -> None:  # noqa: F811
    now = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)
    for key, box in dialog.sign_boxes.items():
        if key in RED_FLAGS:  # "seek care promptly", not a calm reason
            assert guidance.see_someone_reasons([], [], now, [key]) == []
            assert (guidance.seek_care_promptly([key]) or "").startswith(box.text()), key
            continue
        (reason,) = guidance.see_someone_reasons([], [], now, [key])
        assert box.text().lower() in reason, (key, reason)


def test_red_flags_are_warning_signs_the_history_accepts(store: HistoryStore) -> None:
    """New keys are registered where the history validates them: a red flag is saved and
    read back as ticked, and the CSV keeps the stored keys (stable, like the old ones)."""
    assert set(WARNING_SIGNS) >= RED_FLAGS
    now = datetime(2026, 3, 2, 9, 0, tzinfo=TEST_TZ)
    episode = store.log_episode(now, 6, (), sorted(RED_FLAGS), None, now)
    assert episode.warning_signs == ("fever_stiff_neck", "severe_headache", "arm_weakness")
    assert [warning_sign_label(k) for k in episode.warning_signs] == [
        "Fever with a stiff neck",
        "A severe or unusual headache",
        "Weakness or numbness in an arm",
    ]
    out = io.StringIO()
    store.export_csv(out)
    (row,) = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["record"] == "episode"]
    assert row["warning_signs"] == "fever_stiff_neck,severe_headache,arm_weakness"


def test_no_core_module_keeps_a_second_vocabulary() -> None:
    """A module may re-export the vocabulary, never hold its own copy (wording drifts)."""
    copies = []
    for info in pkgutil.walk_packages(core.__path__, f"{core.__name__}."):
        module = importlib.import_module(info.name)
        for name, one in (("TRIGGERS", TRIGGERS), ("WARNING_SIGNS", WARNING_SIGNS)):
            if getattr(module, name, one) is not one:
                copies.append(f"{info.name}.{name}")
    assert not copies


@pytest.fixture
def spanish(qapp: QCoreApplication) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


# ``spanish`` first: the translator must be in place before the dialog is built.
def test_in_spanish_every_box_reads_the_vocabulary_translated(
    spanish: QTranslator,
    dialog: SpasmDialog,  # noqa: F811
) -> None:
    for context, labels, boxes in (
        (TRIGGER_CONTEXT, TRIGGERS, dialog.trigger_boxes),
        (WARNING_SIGN_CONTEXT, WARNING_SIGNS, dialog.sign_boxes),
    ):
        for key, label in labels.items():
            translated = spanish.translate(context, label)
            assert translated, f"no Spanish for {label!r} in context {context}"
            assert boxes[key].text() == translated


@pytest.mark.parametrize(
    ("show", "key", "english"),
    [
        (trigger_label, "dehydration", "Not drinking enough"),
        (warning_sign_label, "vision_changes", "Changes in vision"),
        (warning_sign_label, "arm_weakness", "Weakness or numbness in an arm"),
        (trigger_label, "from_a_newer_version", "from_a_newer_version"),
    ],
)
def test_labels_by_key(show: Callable[[str], str], key: str, english: str) -> None:
    assert show(key) == english
