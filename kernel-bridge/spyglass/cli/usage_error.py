"""The error a command raises for a command line that parses but makes no sense (exit code 2)."""


class UsageError(Exception):
    """A bad argument value, such as --filter that is not JSON or an output file of unknown format."""
