"""The ice and heat safety answers survive a settings file that cannot be read.

Someone who said "yes, reduced feeling in my skin" gets ice rounds of at most 10 minutes
with a skin check halfway. The answers live in settings.toml; a typo in the break settings
made NeckCare start on defaults, and ice ran 15 minutes with no check, never asking again.
A copy of the answers is kept in the app state file and fills in what the file cannot give,
only ever making the rules stricter; a file that reads stays the truth.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from fakes import later
from neckcare_desktop.app import NeckCareApp
from neckcare_desktop.command_handlers import dispatch
from neckcare_desktop.core.app_state import load_state, remember
from neckcare_desktop.core.ipc_protocol import Request
from neckcare_desktop.core.settings import TherapySettings, default_settings, with_value
from neckcare_desktop.core.settings_file import load_settings, save_settings
from neckcare_desktop.core.therapy import TherapyError, TherapyKind, needs_safety_check
from neckcare_desktop.paths import AppPaths

PROBLEMS = ("neckcare_desktop.core.settings", logging.WARNING, r"has problems")
APP_PROBLEMS = ("neckcare_desktop.app", logging.WARNING, r"settings:")

YES = "[therapy]\nreduced_skin_feeling = true\n"
#: A typo in the break settings (a table never closed): the file is not TOML at all.
BROKEN = "[breaks.micro\ninterval_minutes = 20\n" + YES


@pytest.fixture
def start(start_app, app_paths: AppPaths) -> Callable[[], NeckCareApp]:
    """The app as a person starts it, after the check was answered once (the app state
    file says so), with the first-run question out of the way."""
    remember(app_paths.state_file, autostart_asked=True, therapy_safety_asked=True)

    def go() -> NeckCareApp:
        app = start_app()
        QCoreApplication.processEvents()
        return app

    return go


def write(paths: AppPaths, text: str) -> None:
    paths.settings_file.write_text(text, encoding="utf-8")


def ice_capped(app: NeckCareApp) -> bool:
    """Ice as the extra care gives it: 10 minutes by default and at most, a skin check
    halfway, and the safety check not asked again."""
    rules = app.engine.therapy.rules
    capped = (
        app.engine.suggested_minutes(TherapyKind.ICE),
        rules.max_minutes(TherapyKind.ICE),
        rules.extra_care(TherapyKind.ICE),
    ) == (10, 10, True)
    assert not needs_safety_check(app.engine.settings)
    return capped


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_syntax_error_elsewhere_keeps_the_ice_limit_asked_for(start, app_paths) -> None:
    write(app_paths, YES)
    app = start()
    assert ice_capped(app)
    app.shutdown()
    write(app_paths, BROKEN)
    again = start()
    assert again.settings_problems  # still told, and the file is kept with its copy
    assert app_paths.settings_file.read_text(encoding="utf-8") == BROKEN
    assert (app_paths.config_dir / "settings.toml.bad").exists()
    assert ice_capped(again)
    assert again.engine.settings.therapy.reduced_skin_feeling
    # "Default settings" is not the whole story: the answers were kept, and it says so.
    assert again.settings_problems[-1] == (
        "Your answers to the ice and heat safety questions are kept from before. "
        "Ice and heat rounds of at most 10 minutes, with a skin check halfway."
    )
    # Ice started now runs 10 minutes, and no longer ones.
    again.engine.start_therapy(TherapyKind.ICE)
    assert again.engine.therapy.active.planned_seconds == 600
    again.engine.stop_therapy()
    with pytest.raises(TherapyError):
        again.engine.start_therapy(TherapyKind.ICE, 15)


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_wrong_value_for_an_answer_falls_back_to_the_stricter(start, app_paths) -> None:
    write(app_paths, YES)
    start().shutdown()
    # The file reads, but the answer itself is wrong: its default ("no") would lift the cap.
    write(app_paths, '[therapy]\nreduced_skin_feeling = "yes"\nice_minutes = 12\n')
    again = start()
    assert ice_capped(again)
    assert again.engine.settings.therapy.ice_minutes == 12  # the file's good values stay


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_the_readable_file_decides_and_the_copy_follows_it(start, app_paths) -> None:
    write(app_paths, YES)
    start().shutdown()
    write(app_paths, BROKEN)
    app = start()
    assert ice_capped(app)
    # The person turns it off in Settings… and saves (which replaces the broken file).
    off = with_value(app.engine.settings, "therapy.reduced_skin_feeling", False)
    save_settings(off, app_paths.settings_file, replace_damaged=True)
    app.controller.apply_settings(off)
    assert not ice_capped(app)
    app.shutdown()
    write(app_paths, BROKEN.replace("true", "false"))  # broken again: the copy says "no"
    assert not ice_capped(start())
    # A copy that says "yes" never overrides a file that reads and says "no".
    write(app_paths, YES)
    start().shutdown()
    assert load_state(app_paths.state_file).therapy_safety_answers == ("reduced_skin_feeling",)
    write(app_paths, "[therapy]\nreduced_skin_feeling = false\n")  # edited by hand
    again = start()
    assert not ice_capped(again)
    assert again.engine.settings.therapy.reduced_skin_feeling is False
    assert load_state(app_paths.state_file).therapy_safety_answers == ()


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_a_file_reread_while_running_is_kept_too(start, app_paths) -> None:
    write(app_paths, "")
    app = start()
    assert not ice_capped(app)
    write(app_paths, "[therapy]\ncold_sensitivity = true\n")
    app.settings_watcher.check()
    assert ice_capped(app)
    app.shutdown()
    app_paths.settings_file.unlink()  # gone, or unreadable: the copy still says "yes"
    again = start()
    assert ice_capped(again)
    assert not again.engine.therapy.rules.extra_care(TherapyKind.HEAT)  # ice only
    again.shutdown()
    write(app_paths, BROKEN.replace("reduced_skin_feeling", "cold_sensitivity"))
    assert ice_capped(start())


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_answers_given_in_the_check_are_kept(make_app, start_app, app_paths, qtbot) -> None:
    first = make_app(manual=True, therapy={"safety_asked": False})
    first.actions.start_ice.trigger()
    check = first.controller.therapy.safety_check()
    check.boxes["reduced_skin_feeling"].setChecked(True)
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    assert first.engine.therapy.active.planned_seconds == 600
    first.engine.stop_therapy()
    first.shutdown()
    saved = app_paths.settings_file.read_text(encoding="utf-8")
    assert "reduced_skin_feeling = true" in saved
    write(app_paths, "[breaks.micro\n" + saved)  # a typo at the top: not TOML any more
    assert ice_capped(start_app())


@pytest.mark.expect_log(*PROBLEMS)
@pytest.mark.expect_log(*APP_PROBLEMS)
def test_answers_an_older_version_kept_no_copy_of_are_asked_again(start, app_paths) -> None:
    """Answered before the copy existed, and the file cannot say: unknown is not "no"."""
    write(app_paths, BROKEN)
    app = start()
    assert needs_safety_check(app.engine.settings)


def test_the_copy_only_ever_makes_the_rules_stricter() -> None:
    from neckcare_desktop.core.settings_safety import SAFETY_ANSWERS, with_kept_safety_answers

    yes = with_value(default_settings(), "therapy.cold_sensitivity", True)
    # The file gave its answers: the copy changes nothing, whichever way it points.
    assert with_kept_safety_answers(default_settings(), SAFETY_ANSWERS, ("breaks",)) == (
        default_settings()
    )
    assert with_kept_safety_answers(yes, (), ("",)) == yes
    # The therapy table (or one answer) could not be read: the copy's "yes" fills it in.
    kept = with_kept_safety_answers(default_settings(), ("circulation_problems",), ("therapy",))
    assert kept.therapy.circulation_problems and not kept.therapy.cold_sensitivity
    one = with_kept_safety_answers(
        default_settings(), SAFETY_ANSWERS, ("therapy.diabetes_or_neuropathy",)
    )
    assert [name for name in SAFETY_ANSWERS if getattr(one.therapy, name)] == [
        "diabetes_or_neuropathy"
    ]


def test_every_safety_answer_is_kept() -> None:
    """A new question in the check is a new yes/no setting: it must be in the copy too."""
    from neckcare_desktop.core.settings_safety import SAFETY_ANSWERS

    answers = {f.name for f in dataclasses.fields(TherapySettings) if f.type in (bool, "bool")} - {
        "safety_asked"
    }
    assert set(SAFETY_ANSWERS) == answers


@pytest.mark.expect_log(*PROBLEMS)
def test_load_settings_says_what_the_file_could_not_give(app_paths) -> None:
    path = app_paths.settings_file
    at = datetime(2024, 5, 6, 9, 0).astimezone()
    assert load_settings(path, at).defaulted == ("",)  # no file
    write(app_paths, YES)
    assert load_settings(path, at).defaulted == ()
    write(app_paths, "[therapy]\ncold_sensitivity = 3\n")
    assert load_settings(path, at).defaulted == ("therapy.cold_sensitivity",)
    write(app_paths, BROKEN)
    assert load_settings(path, at).defaulted == ("",)


# -- `neckcare stop --numb` --------------------------------------------------------------------


def test_stop_numb_from_the_command_line_says_what_to_do(make_app) -> None:
    app = make_app(manual=True)
    sent: list[tuple[str, str]] = []
    notify = app.notifier.notify

    def record(title, text, **kw):
        sent.append((title, text))
        notify(title, text, **kw)

    app.notifier.notify = record  # type: ignore[method-assign]
    dispatch(app.controller, Request("ice"))
    later(app, minutes=3)
    answer = dispatch(app.controller, Request("stop", {"numb": True}))
    advice = (
        "Leave the ice off and let your skin warm up slowly at room temperature, without "
        "heat. If the feeling does not come back, get it checked."
    )
    assert isinstance(answer, dict)
    assert answer["message"] == f"Ice stopped after 3 min. {advice}"
    assert sent[-1] == ("Ice stopped: your skin is numb", f"Ice stopped after 3 min. {advice}")
    # A plain stop says only how long it was on.
    dispatch(app.controller, Request("ice", {"anyway": True}))
    later(app, minutes=4)
    assert dispatch(app.controller, Request("stop"))["message"] == "Ice stopped after 4 min."
    assert sent[-1] == ("Ice stopped", "Ice stopped after 4 min.")
