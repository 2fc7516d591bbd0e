"""Floor 3, rows: the history row buffer (the hot path of log()), the batch builder and the flusher.

Imports transport, the store and the base.
"""
