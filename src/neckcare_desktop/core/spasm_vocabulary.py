"""The words of the spasm log: what may have set a spasm off, and the signs to watch for.

Declared once, here, for everyone: the history store validates and stores the keys, the
guidance names the warning signs in its advice, and the spasm dialog labels its tick
boxes with the same English labels. The wording is the one people have always read in
the dialog.

Keys are stored in the history file (comma-separated): never rename one, never put a
comma in one. Labels are English source texts, marked for translation; show one with
``translate(TRIGGER_CONTEXT, label)`` / ``translate(WARNING_SIGN_CONTEXT, label)``.
"""

from __future__ import annotations

from typing import Final

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP, translate

#: Translation context of the trigger labels.
TRIGGER_CONTEXT: Final = "Trigger"
#: Translation context of the warning-sign labels.
WARNING_SIGN_CONTEXT: Final = "WarningSign"

#: What may have set a spasm off: stored key → English label (context "Trigger").
TRIGGERS: Final[dict[str, str]] = {
    "screen_posture": QT_TRANSLATE_NOOP("Trigger", "Posture at the screen"),
    "phone_looking_down": QT_TRANSLATE_NOOP("Trigger", "Looking down at a phone"),
    "awkward_sleep": QT_TRANSLATE_NOOP("Trigger", "Awkward sleep"),
    "lifting_sudden_movement": QT_TRANSLATE_NOOP("Trigger", "Lifting or a sudden movement"),
    "repetitive_strain": QT_TRANSLATE_NOOP("Trigger", "Repetitive strain"),
    "dehydration": QT_TRANSLATE_NOOP("Trigger", "Not drinking enough"),
    "stress": QT_TRANSLATE_NOOP("Trigger", "Stress"),
}

#: Signs that, with neck pain, are a reason to talk to a healthcare professional (see
#: core.guidance): stored key → English label (context "WarningSign"). The last three are
#: :data:`RED_FLAGS`; new keys go at the end so the dialog's boxes keep their places.
WARNING_SIGNS: Final[dict[str, str]] = {
    "headache": QT_TRANSLATE_NOOP("WarningSign", "Headache"),
    "dizziness": QT_TRANSLATE_NOOP("WarningSign", "Dizziness"),
    "vision_changes": QT_TRANSLATE_NOOP("WarningSign", "Changes in vision"),
    "arm_numbness_tingling": QT_TRANSLATE_NOOP("WarningSign", "Numbness or tingling in the arms"),
    "fever_stiff_neck": QT_TRANSLATE_NOOP("WarningSign", "Fever with a stiff neck"),
    "severe_headache": QT_TRANSLATE_NOOP("WarningSign", "A severe or unusual headache"),
    "arm_weakness": QT_TRANSLATE_NOOP("WarningSign", "Weakness or numbness in an arm"),
}

#: Warning signs that are a reason to get medical care promptly (the same day), not a
#: calm "worth talking over": a stiff neck with fever or a severe headache, weakness or
#: numbness in an arm (NICE CKS neck pain red flags; spine and neurology patient
#: guidance). Keys of :data:`WARNING_SIGNS`.
RED_FLAGS: Final[frozenset[str]] = frozenset(
    {"fever_stiff_neck", "severe_headache", "arm_weakness"}
)


def trigger_label(key: str) -> str:
    """The trigger ``key`` in the person's language; an unknown key (from a newer
    version) is shown as stored rather than hidden."""
    label = TRIGGERS.get(key)
    return key if label is None else translate(TRIGGER_CONTEXT, label)


def warning_sign_label(key: str) -> str:
    """The warning sign ``key`` in the person's language; an unknown key is shown as is."""
    label = WARNING_SIGNS.get(key)
    return key if label is None else translate(WARNING_SIGN_CONTEXT, label)
