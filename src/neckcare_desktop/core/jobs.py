"""The names of the engine's scheduler jobs (one job of each name at a time)."""

from __future__ import annotations

JOB_BREAK_DUE = "break-due"
JOB_BREAK_END = "break-end"
JOB_BREAK_WARNING = "break-warning"
JOB_THERAPY_END = "therapy-end"
#: A switch inside an intermittent ice session (take it off, put it back).
JOB_THERAPY_SWITCH = "therapy-switch"
#: The one halfway reminder of a session (heat; ice or heat with extra care).
JOB_THERAPY_REMINDER = "therapy-reminder"
JOB_PAUSE_END = "pause-end"
JOB_HOURS = "working-hours"
JOB_HYDRATION = "hydration"
JOB_HISTORY_RETRY = "history-retry"
ALL_JOBS = (
    JOB_HISTORY_RETRY,
    JOB_BREAK_DUE,
    JOB_BREAK_END,
    JOB_BREAK_WARNING,
    JOB_THERAPY_END,
    JOB_THERAPY_SWITCH,
    JOB_THERAPY_REMINDER,
    JOB_PAUSE_END,
    JOB_HOURS,
    JOB_HYDRATION,
)
