"""Floor 0, the base: errors, user warnings, text and value checks, path confinement, atomic files, version.

Imports nothing of Spyglass; every other floor may import it.
"""
