"""Traversal and symlink corpus against every Spyglass endpoint (a real jupyter server) and the CLI's outputs.

A store inside the server's root holds planted symlinks (run directories, history logs, run.json, media, a
`.tables` Parquet, a sweep, a notebook and a report name leading outside; chains of links; dangling links); a
directory outside the root and a sibling whose name extends the root's (`root2`) hold a canary. Hundreds of
generated paths (`..` segments, `%2e%2e` sent raw and encoded, absolute paths, NUL, backslashes, unicode
lookalikes, the planted links) go into every path parameter of every endpoint. Oracles: no answer carries
a canary, no answer is a 5xx, every refusal is a JSON `{"error"}`, nothing outside the root changes, and a
report the server writes is a regular file inside the root. The CLI part points `spyglass report` (HTML and
Markdown) and `spyglass runs export` at symlinked outputs: each is refused, nothing outside changes.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from report.report_fixtures import decode_page
from server_harness import TOKEN, http, jupyter_server
from store_builders import framed_run, history_batch

from spyglass.cli import main as cli_main
from spyglass.transport.protocol import RUN_MIME_TYPE

from .traversal_world import (
    CANARY,
    CANARY_BYTES,
    PLANTED,
    PROJECTS,
    SEED,
    build_world,
    corpus,
    hostile_notebook,
    snapshot,
)

API = "/spyglass/api/v1"
OK_STATUSES = {200, 206, 400, 403, 404, 416}


class Probe:
    """Sends requests and checks every answer against the oracles, counting into the tally."""

    def __init__(self, url: str, world: dict, tally) -> None:
        self.url, self.world, self.tally = url, world, tally

    def check(self, what: str, status: int, body: bytes) -> None:
        self.tally.attempt()
        if status not in OK_STATUSES:
            self.tally.fail(f"{what}: status {status}: {body[:200]!r}")
        if any(canary in body for canary in CANARY_BYTES):
            self.tally.fail(f"{what}: the answer carries data from outside the root")
        if status >= 400:
            try:
                assert "error" in json.loads(body)
            except (ValueError, AssertionError, TypeError):
                self.tally.fail(f"{what}: refusal {status} is not a JSON error: {body[:120]!r}")

    def get(self, endpoint: str, **params: str) -> tuple[int, bytes]:
        status, _, body = http(self.url, API + endpoint, timeout=30, **params)
        self.check(f"GET {endpoint} {params!r}", status, body)
        return status, body

    def get_raw(self, endpoint: str, name: str, value: str, **fixed: str) -> None:
        """The value sent without a second encoding: `%2e%2e` reaches the handler as `..`."""
        raw = urllib.parse.quote(value, safe="%/~")
        query = urllib.parse.urlencode(fixed) + ("&" if fixed else "") + f"{name}={raw}"
        request = urllib.request.Request(f"{self.url}{API}{endpoint}?{query}")
        request.add_header("Authorization", f"token {TOKEN}")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        self.check(f"GET raw {endpoint} {name}={value!r}", status, body)

    def send(self, method: str, endpoint: str, body: object, **params: str) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        status, _, answer = http(self.url, API + endpoint, method=method, data=data, timeout=60, **params)
        self.check(f"{method} {endpoint} {params!r} {body!r}", status, answer)
        return status, answer


def probe_endpoints(probe: Probe, world: dict, rng: random.Random) -> None:
    store, run = str(world["store"]), str(world["store"] / "demo" / "run1")
    for value in corpus("run", world, rng):
        probe.get("/run", run_dir=value)
        probe.get("/history", run_dir=value)
        probe.get("/history", run_dir=value, stream="system")
        probe.get("/file", run_dir=value, path="media/images/pic.png")
        probe.get_raw(rng.choice(["/run", "/history"]), "run_dir", value)
    for value in corpus("file", world, rng):
        probe.get("/file", run_dir=run, path=value)
        probe.get("/file", run_dir=str(world["store"] / ".tables"), path=value)
        probe.get_raw("/file", "path", value, run_dir=run)
    store_slots = [
        lambda v: probe.get("/runs", store_root=v, project="demo"),
        lambda v: probe.get("/metric", store_root=v, project="demo", metric="loss"),
        lambda v: probe.get("/metric", store_root=v, project="demo", metric="loss", overview_buckets="8"),
        lambda v: probe.get("/sweeps", store_root=v, project="demo"),
        lambda v: probe.get("/histograms", store_root=v, project="demo", metric="loss"),
        lambda v: probe.get("/lineage", store_root=v, project="demo"),
        lambda v: probe.get("/workspace_projects", store_root=v),
        lambda v: probe.get("/workspace_layout", store_root=v, project="demo"),
        lambda v: probe.send("PUT", "/workspace_layout", {"version": 1}, store_root=v, project="demo"),
        lambda v: probe.get_raw("/runs", "store_root", v, project="demo"),
    ]
    for value in corpus("store", world, rng):
        for slot in rng.sample(store_slots, 5):  # half of them per value (seeded): each still gets ~60
            slot(value)
    for project in PROJECTS:
        for endpoint in ("/runs", "/sweeps", "/lineage", "/workspace_layout"):
            probe.get(endpoint, store_root=store, project=project)
        for endpoint in ("/metric", "/histograms"):
            probe.get(endpoint, store_root=store, project=project, metric="loss")
    # The planted project-level links: every run and sweep listed must be a real one inside.
    status, body = probe.get("/runs", store_root=store, project="demo")
    listed = sorted(Path(r["run_dir"]).name for r in json.loads(body)["runs"]) if status == 200 else None
    if listed != ["inside_link", "run1"]:
        probe.tally.fail(f"/runs listed {listed}, expected only the runs inside the root")
    query = urllib.parse.urlencode(
        {
            "store_root": store,
            "project": "demo",
            "metric": "loss",
            "run_id": ["dir_link", "chain", "log_link"],
        },
        doseq=True,
    )
    status, _, body = http(probe.url, f"{API}/histograms?{query}", timeout=30)
    probe.check("GET /histograms of the planted runs by name", status, body)
    for value in corpus("sweep", world, rng):
        probe.get("/sweep", sweep_dir=value)
        probe.send("POST", "/sweep/control", {"sweep_dir": value, "action": "resume"})
    for sweep_dir, expected in zip(world["sweep_dirs"], (200, 403), strict=True):
        status, _ = probe.get("/sweep", sweep_dir=sweep_dir)
        if status != expected:
            probe.tally.fail(
                f"/sweep {sweep_dir}: {status}, expected {expected} (the second holds a link out)"
            )
    for value in corpus("notebook", world, rng):
        status, body = probe.send("POST", "/report", {"path": value})
        if status == 200:
            written = world["root"] / json.loads(body)["path"]
            if written.is_symlink() or not written.resolve().is_relative_to(world["root"].resolve()):
                probe.tally.fail(f"POST /report {value!r} wrote {written} outside the root or through a link")


def probe_report_outputs(probe: Probe, world: dict, rng: random.Random) -> None:
    """Notebook outputs naming hostile run_dirs, table files and store roots: a server report reads none."""
    base = world["root"].parent
    places = [str(base / "outside" / "spyglass" / "demo" / "run1"), str(world["foreign_run"])]
    places += [str(world["root"] / p) for p in PLANTED["run"] + PLANTED["store"]]
    places += [str(world["root"] / value) for value in corpus("run", world, rng)[::4] if "\x00" not in value]
    path = hostile_notebook(world, places)
    status, body = probe.send("POST", "/report", {"path": path.name})
    probe.tally.tried += 4 * len(places) - 1  # each output is one input
    if status != 200:
        probe.tally.fail(f"the hostile-output report was not built: {status} {body[:200]!r}")
        return
    html = (world["root"] / json.loads(body)["path"]).read_bytes()
    document, series = decode_page(html.decode())
    if CANARY in json.dumps(document) or CANARY_BYTES[1] in series:
        probe.tally.fail("the server's report embedded a run, table or workspace from outside the root")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("traversal")
    world = build_world(base)
    with jupyter_server(world["root"], base / "jupyter") as url:
        yield url, world


def test_every_endpoint_refuses_traversal_and_symlinks_out_of_the_root(served, tally):
    url, world = served
    before = {name: snapshot(world[name]) for name in ("outside", "sibling")}
    rng = random.Random(SEED)
    probe = Probe(url, world, tally)
    probe_endpoints(probe, world, rng)
    probe_report_outputs(probe, world, rng)
    for name, seen in before.items():
        if snapshot(world[name]) != seen:
            tally.fail(f"something under {name}/ changed: a write left the root")
    assert not tally.failures, tally.failures[:5]


def cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(list(args))
    return code, err.getvalue()


def test_cli_outputs_never_follow_a_symlink(tmp_path, tally, monkeypatch):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (outside / "existing.html").write_text(CANARY)
    (outside / "dir").mkdir()
    store = work / "spyglass"
    framed_run(store, "demo", "run1", [history_batch([0, 1], loss=[0.2, 0.1])])
    monkeypatch.setenv("SPYGLASS_DIR", str(store))
    notebook = work / "nb.ipynb"
    code = new_code_cell("x")  # a run panel and an image, so a Markdown export writes charts/ and images/
    run = {"run_id": "run1", "project": "demo", "name": "r", "run_dir": str(store / "demo" / "run1")}
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    code.outputs = [
        new_output("display_data", data={RUN_MIME_TYPE: run}),
        new_output("display_data", data={"image/png": png}),
    ]
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Title\nimport os"), code]), notebook)
    (work / "regular").write_text("a plain file, not a link")
    rng = random.Random(SEED)
    link_targets = [
        outside / "new.html", outside / "existing.html", outside / "dir", outside / "dir" / "deep" / "x",
        work / "regular", work / "missing", Path("/dev/null"), Path("relative-target"),
    ]  # fmt: skip
    before = snapshot(outside)
    commands = {
        "html": lambda out: cli("report", str(notebook), "-o", str(out)),
        "md": lambda out: cli("report", str(notebook), "--format", "markdown", "-o", str(out)),
        "csv": lambda out: cli("runs", "export", "demo/run1", "-o", str(out)),
        "parquet": lambda out: cli("runs", "export", "demo", "-o", str(out)),
    }
    case = 0
    for kind, command in commands.items():
        suffix = {"html": ".html", "md": "", "csv": ".csv", "parquet": ".parquet"}[kind]
        for target in link_targets:
            for hops in (1, 2):
                case += 1
                out = work / f"out{case}{suffix}"
                hop = out
                for index in range(hops - 1):  # a chain: out -> hopN -> target
                    nxt = work / f"hop{case}_{index}{suffix}"
                    hop.symlink_to(nxt)
                    hop = nxt
                hop.symlink_to(target)
                tally.attempt()
                code, err = command(out)
                if code != 1 or "symbolic link" not in err or not out.is_symlink():
                    tally.fail(
                        f"{kind} -o {out} -> {target} ({hops} hops): exit {code}, {err.strip()[:160]!r}"
                    )
        if kind == "md":  # planted links inside an output directory that is itself real
            for planted in ("report.md", "charts", "images"):
                case += 1
                out = work / f"md{case}"
                out.mkdir()
                (out / planted).symlink_to(rng.choice([outside / "dir", outside / "new.md"]))
                tally.attempt()
                code, err = command(out)
                if code != 1 or "symbolic link" not in err:
                    tally.fail(
                        f"markdown into {out} with {planted} planted: exit {code}, {err.strip()[:160]!r}"
                    )
        for name in ("plain", "a b", "ünï\u2024code", "new\nline", "dots..name", "sub/../back"):  # real paths
            case += 1
            out = work / f"{name}{case}{suffix}"
            tally.attempt()
            code, err = command(out)
            written = out / "report.md" if kind == "md" else out
            if code != 0 or written.is_symlink() or not written.is_file():
                tally.fail(f"{kind} -o {out!r}: exit {code}, {err.strip()[:160]!r}")
    if snapshot(outside) != before:
        tally.fail("a CLI output changed something outside the work directory")
    assert not tally.failures, tally.failures[:5]
