"""`spyglass lineage export` and `spyglass artifacts ls|show`: the lineage as OpenLineage events or SVG, and
the artifacts and registry of a store."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..api import Api
from ..artifacts import lineage_graph, openlineage_events, render_lineage_svg
from ..base.atomic_file import write_output
from ..base.text_table import format_time, render_table
from ..store.run_store import resolve_store_root
from .usage_error import UsageError


def register(groups: argparse._SubParsersAction) -> None:
    """Add `lineage` and `artifacts` to the top-level parser."""
    lineage = groups.add_parser("lineage", help="export the lineage of runs and artifacts")
    commands = lineage.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    export = commands.add_parser(
        "export",
        help="write the lineage as OpenLineage run events (JSON Lines, or a JSON array for .json) or SVG",
    )
    export.add_argument("--project", help="project (default: the store's only project with artifacts)")
    export.add_argument("--format", choices=["openlineage", "svg"], default="openlineage")
    export.add_argument("-o", "--output", help="output file (default: standard output)")
    export.add_argument("--focus", help="svg only: centre on this node id, e.g. 'artifact:P/model:v2'")
    export.add_argument("--depth", type=int, help="svg only: hops around --focus (default 3)")
    _add_dir(export)
    export.set_defaults(handler=export_lineage)

    artifacts = groups.add_parser("artifacts", help="list artifacts and registry collections")
    artifact_commands = artifacts.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    ls = artifact_commands.add_parser("ls", help="list the artifact versions of a project, or a registry")
    ls.add_argument(
        "project", nargs="?", help="project (default: every project); 'registry' lists the registry"
    )
    _add_dir(ls)
    ls.set_defaults(handler=list_artifacts)


def _add_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")


def export_lineage(args: argparse.Namespace) -> int:
    """`spyglass lineage export`."""
    root = resolve_store_root(args.dir)
    project = args.project or _only_project(root)
    if args.format == "openlineage":
        if args.focus or args.depth is not None:
            raise UsageError("--focus and --depth apply to --format svg; OpenLineage export covers every run")
        events = openlineage_events(root, project)
        if args.output and args.output.endswith(".json"):
            text = json.dumps(events, indent=1) + "\n"
        else:
            text = "".join(json.dumps(event, separators=(",", ":")) + "\n" for event in events)
        summary = f"{len(events)} OpenLineage events"
    else:
        try:
            graph = lineage_graph(root, project, focus=args.focus, depth=args.depth)
        except LookupError as error:
            raise UsageError(str(error.args[0])) from None
        text = render_lineage_svg(graph, f"lineage · {project}")
        summary = f"an SVG of {len(graph['nodes'])} nodes"
    if args.output:
        write_output(args.output, text.encode("utf-8"))
        print(f"wrote {summary} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def list_artifacts(args: argparse.Namespace) -> int:
    """`spyglass artifacts ls [PROJECT|registry]`."""
    api = Api(args.dir)
    if args.project == "registry":
        rows = [
            [
                f"{registry}/{name}",
                f"v{link['version']}",
                ", ".join(link["aliases"]),
                link.get("source", ""),
                format_time(link.get("created_at")),
            ]
            for registry in api.registries()
            for name in api.registry_collections(registry)
            for link in api.registry_collection(f"{registry}/{name}").versions()
        ]
        headers = ["collection", "version", "aliases", "source", "linked"]
    else:
        projects = [args.project] if args.project else _projects_with_artifacts(api.root)
        rows = [
            [
                project,
                artifact.name,
                artifact.version,
                artifact.type,
                ", ".join(artifact.aliases),
                str(artifact.file_count),
                str(artifact.size),
                format_time(artifact.created_at),
            ]
            for project in projects
            for name in api.artifact_collections(project)
            for artifact in api.artifact_versions(f"{project}/{name}")
        ]
        headers = ["project", "name", "version", "type", "aliases", "files", "bytes", "created"]
    if not rows:
        print("no artifacts", file=sys.stderr)
        return 0
    print(render_table(headers, rows))
    return 0


def _projects_with_artifacts(root: Path) -> list[str]:
    try:
        return sorted(
            p.name for p in root.iterdir() if (p / ".artifacts").is_dir() and not p.name.startswith(".")
        )
    except FileNotFoundError:
        return []


def _only_project(root: Path) -> str:
    projects = _projects_with_artifacts(root)
    if len(projects) == 1:
        return projects[0]
    if not projects:
        raise UsageError(f"the store {root} holds no artifacts; pass --dir or --project")
    raise UsageError(f"the store holds several projects ({', '.join(projects)}); pass --project")
