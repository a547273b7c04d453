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

#: A micro-break is never fired this close to a posture break; the posture break covers it.
MICRO_POSTURE_GAP_SECONDS: Final = 120
