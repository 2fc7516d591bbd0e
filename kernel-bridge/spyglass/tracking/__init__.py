"""Floor 6, tracking: the write-side run API (init, the session, Run and its parts, settings, environment).

Imports every floor below it: data types, artifacts, torch_watch, workspace data, rows, system, charts,
transport, store, base.
"""
