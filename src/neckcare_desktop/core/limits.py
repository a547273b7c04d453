"""Safety limits that no setting, dialog or command may exceed.

They live in one module so the settings validator, the therapy rules and the UI all
quote the same numbers; changing a cap here changes it everywhere at once.
"""

from typing import Final

#: Ice is never left on longer than this: longer exposure risks cold injury to the skin.
ICE_MAX_MINUTES: Final = 20
ICE_MIN_MINUTES: Final = 1
ICE_DEFAULT_MINUTES: Final = 15

#: Heat sessions are longer-lived but still bounded, so nobody falls asleep on a pad.
HEAT_MAX_MINUTES: Final = 30
HEAT_MIN_MINUTES: Final = 1
HEAT_DEFAULT_MINUTES: Final = 15

#: Skin needs to warm back up between ice rounds.
ICE_REST_MIN_MINUTES: Final = 20
ICE_REST_MAX_MINUTES: Final = 240
ICE_REST_DEFAULT_MINUTES: Final = 40

#: In the first 48 hours after a spasm started (the acute phase): shorter ice rounds,
#: about 10 minutes, with a longer rest between them ("Using Ice and Cold Packs" patient
#: guideline; cold narrows deep vessels for a while after it stops, PMC4395553).
ICE_ACUTE_MINUTES: Final = 10
ICE_ACUTE_REST_MINUTES: Final = 40

#: With reduced skin feeling, circulation problems, cold sensitivity (ice) or diabetes or
#: neuropathy (heat): the default and the longest round.
EXTRA_CARE_MAX_MINUTES: Final = 10

#: "10 on, 10 off, 10 on" in nominal seconds (on, off, on): less pain on activity than 20
#: minutes continuous in an ankle-sprain trial (Bleakley et al. 2006).
INTERMITTENT_PARTS: Final = (600, 600, 600)

#: A micro-break is never fired this close to a posture break; the posture break covers it.
MICRO_POSTURE_GAP_SECONDS: Final = 120
