"""`spyglass sync`: ship what writers on this machine left in the local spool of an s3:// store."""

from __future__ import annotations

import argparse

from ..store.store_url import parse_store_url
from ..tracking.spool_sync import sync_spools
from .usage_error import UsageError


def register(groups: argparse._SubParsersAction) -> None:
    """Add `sync` to the top-level parser."""
    sync = groups.add_parser(
        "sync",
        help="ship runs left in this machine's spool (writer killed, bucket down) to their s3:// store",
    )
    sync.add_argument("--dir", help="the s3:// store (default: $SPYGLASS_DIR)")
    sync.set_defaults(handler=sync_command)


def sync_command(args: argparse.Namespace) -> int:
    """`spyglass sync`: one line per spooled run; exit 1 when any run could not be shipped."""
    url = parse_store_url(args.dir)
    if not url.is_remote:
        raise UsageError(
            f"{url} is a local store: `spyglass sync` ships spools to an s3:// store "
            "(--dir s3://bucket/prefix or SPYGLASS_DIR)"
        )
    outcomes = sync_spools(url)
    for outcome in outcomes:
        print(f"{outcome.status} {outcome.project}/{outcome.run_id}: {outcome.detail}")
    if not outcomes:
        print(f"nothing to ship: no spooled runs for {url}")
    return 1 if any(outcome.status == "failed" for outcome in outcomes) else 0
