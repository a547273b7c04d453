"""NeckCare Desktop: posture-break reminders and ice/heat timers that live in the system tray."""

__version__ = "0.1.0"
APP_NAME = "NeckCare"
APP_ID = "neckcare-desktop"
