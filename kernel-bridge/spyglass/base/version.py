"""The package's version, on the bottom floor so the protocol, run.json and OpenLineage events can name it."""

__version__ = "0.1.0"
