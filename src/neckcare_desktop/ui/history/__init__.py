"""The History window, in parts: ``window`` (the window: range, summary lines, tabs, and
the intents it forwards), ``charts`` (the only user of QtCharts), ``events_page`` and
``event_model`` (the paged event table in words), ``summary_texts`` (totals and streak in
words) and ``job_status`` (how an export or deletion is going).

Nothing is imported here: the app loads the window (and with it QtCharts) on first use.
"""
