"""Floor 2, transport: the kernel <-> frontend comm protocol and the comm that carries every run's frames.

Imports the store and the base.
"""
