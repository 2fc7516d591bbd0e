"""Floor 1, the store: the framed log, Arrow payloads, the run directory on disk, run state, write faults.

Imports only the base.
"""
