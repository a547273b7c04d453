"""Stretch titles and how-tos, marked for translation (context "Stretch").

Generated from resources/stretches.toml by tools/update_translations.py: do not edit
by hand; change the TOML and run the tool. ``pyside6-lupdate`` cannot read TOML, so
this module is how those texts reach the .ts files. The app translates them where
it shows them, with ``translate("Stretch", text)``; tests/test_translations.py checks
that this module matches the TOML.
"""

from neckcare_desktop.core.i18n import QT_TRANSLATE_NOOP

STRETCH_TEXTS: tuple[str, ...] = (
    # eye-rest-20-20-20
    QT_TRANSLATE_NOOP("Stretch", "20-20-20 eye rest"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Look at something at least 6 m (20 feet) away for 20 seconds. Let your eyes "
        "relax and keep your head still and comfortable.",
    ),
    # drop-shoulders
    QT_TRANSLATE_NOOP("Stretch", "Drop your shoulders"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Let your shoulders sink away from your ears and breathe out slowly through your "
        "mouth. Take two or three calm breaths.",
    ),
    # blink-soften
    QT_TRANSLATE_NOOP("Stretch", "Blink and soften your gaze"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Blink slowly ten times, then let your gaze go soft without focusing on anything "
        "in particular. Unclench your jaw.",
    ),
    # sit-back-chin-level
    QT_TRANSLATE_NOOP("Stretch", "Sit back, chin level"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Slide your hips to the back of the chair and let the backrest support you. Keep "
        "your chin level, as if your head were balanced on top of your spine.",
    ),
    # hands-in-lap
    QT_TRANSLATE_NOOP("Stretch", "Hands off the desk"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Take your hands off the keyboard and mouse, rest them in your lap and let your "
        "arms hang heavy for a few breaths.",
    ),
    # chin-tuck
    QT_TRANSLATE_NOOP("Stretch", "Chin tuck"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Sit tall. Slowly draw your chin straight back, as if making a double chin, eyes "
        "level. Hold 5 seconds, then relax. Repeat 5 times. Stop if it hurts.",
    ),
    # shoulder-blade-squeeze
    QT_TRANSLATE_NOOP("Stretch", "Shoulder blade squeeze"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Sit or stand tall, arms relaxed. Gently draw your shoulder blades back and down "
        "towards each other, hold 5 seconds, then release. Repeat 5 times. Stop if it "
        "hurts.",
    ),
    # upper-trapezius-stretch
    QT_TRANSLATE_NOOP("Stretch", "Gentle side neck stretch"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Sit tall, shoulders relaxed. Slowly tilt one ear towards your shoulder, only as "
        "far as is comfortable and with no hand on your head. Hold a light stretch for 15"
        " seconds, breathing, then come back to the middle slowly and do the other side. "
        "Stop if it hurts.",
    ),
    # stand-and-walk
    QT_TRANSLATE_NOOP("Stretch", "Stand up and walk"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Stand up and walk for a few minutes: fetch something, take the stairs or do a "
        "lap of the room. Let your arms swing loosely.",
    ),
    # doorway-chest-stretch
    QT_TRANSLATE_NOOP("Stretch", "Doorway chest stretch"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Stand in a doorway with your forearms on the frame at shoulder height or a "
        "little lower. Step one foot forward slowly until you feel a light stretch across"
        " your chest. Hold 15 to 20 seconds, breathing easily. Stop if it hurts.",
    ),
    # slow-shoulder-rolls
    QT_TRANSLATE_NOOP("Stretch", "Slow shoulder rolls"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Keep your head still and level. Slowly roll just your shoulders up, back and "
        "down 5 times, then 5 times the other way. Stop if it hurts.",
    ),
    # glass-of-water
    QT_TRANSLATE_NOOP("Stretch", "Drink a glass of water"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Get up and fetch a glass of water. Muscles tighten more easily when you are "
        "short of water, and the walk there is a break in itself.",
    ),
    # arm-hang-and-breathe
    QT_TRANSLATE_NOOP("Stretch", "Standing arm hang"),
    QT_TRANSLATE_NOOP(
        "Stretch",
        "Stand up, let your arms hang loosely by your sides and take five slow breaths, "
        "letting your shoulders get heavier with each breath out.",
    ),
)
