"""The ice and heat safety answers, as settings: which they are, and how a copy of them
kept outside the settings file fills in what the file could not give.

The answers (``therapy.reduced_skin_feeling`` and the like) are the person's settings and
live in ``settings.toml``, which stays the truth whenever it can be read. But a typo in
the break settings must never lift the 10-minute ice limit someone asked for, so the app
keeps a copy of them (:mod:`neckcare_desktop.core.app_state`) and, when the file cannot
give them, takes them from there: only ever turning an answer to "yes", never to "no".
"""

from __future__ import annotations

from collections.abc import Sequence

from neckcare_desktop.core.settings import FIELDS, Settings, with_value

#: The safety check's answers (``therapy.<name>``): any "yes" means rounds of at most 10
#: minutes with a skin check halfway (core.therapy's ice_extra_care and heat_extra_care).
SAFETY_ANSWERS: tuple[str, ...] = (
    "reduced_skin_feeling",
    "circulation_problems",
    "cold_sensitivity",
    "diabetes_or_neuropathy",
)

_SPECS = {spec.key: spec for spec in FIELDS}


def safety_answers_yes(s: Settings) -> tuple[str, ...]:
    """The safety answers that are "yes" in ``s``, in :data:`SAFETY_ANSWERS` order."""
    return tuple(name for name in SAFETY_ANSWERS if getattr(s.therapy, name))


def _covers(defaulted_key: str, key: str) -> bool:
    """``defaulted_key`` ("" for the whole file, a table such as "therapy", or one key)
    includes the setting ``key``."""
    return defaulted_key == "" or key == defaulted_key or key.startswith(defaulted_key + ".")


def safety_answers_defaulted(defaulted: Sequence[str]) -> bool:
    """Whether a safety answer is among what a settings file could not give
    (``defaulted``: keys or tables that took their defaults; "" for the whole file)."""
    return any(_covers(d, f"therapy.{name}") for name in SAFETY_ANSWERS for d in defaulted)


def with_kept_safety_answers(
    s: Settings, kept_yes: Sequence[str], defaulted: Sequence[str]
) -> Settings:
    """``s`` with the safety answers the settings file could not give (``defaulted``)
    taken from a copy kept elsewhere (``kept_yes``: the answers that were "yes").

    Only ever stricter: an answer is turned to "yes", never to "no", so whatever the
    file's problems fell back to never lifts a cap the person asked for. An answer the
    file did give (readable and valid) stays the file's, whatever the copy says.
    """
    for name in SAFETY_ANSWERS:
        key = f"therapy.{name}"
        unread = any(_covers(d, key) for d in defaulted)
        if unread and name in kept_yes and not getattr(s.therapy, name):
            s = with_value(s, key, True)
    return s


def extra_care_text(*, ice: bool, heat: bool) -> str | None:
    """What extra care for ice (``ice``) and heat means, in the person's language and in
    the Settings dialog's words; None without extra care."""
    if ice and heat:
        key = "therapy.reduced_skin_feeling"  # "Ice and heat rounds of at most 10 minutes…"
    elif ice:
        key = "therapy.cold_sensitivity"  # "Ice rounds of at most 10 minutes…"
    elif heat:
        key = "therapy.diabetes_or_neuropathy"  # "Heat rounds of at most 10 minutes…"
    else:
        return None
    return _SPECS[key].hint_text()
