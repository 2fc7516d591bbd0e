"""The installed package carries the prebuilt JupyterLab extension and the server extension config."""

import json
import sys
from pathlib import Path

import spyglass

REPO = Path(__file__).resolve().parents[2]
PREFIX = Path(sys.prefix)


def test_python_and_npm_package_versions_agree():
    versions = {"spyglass (Python)": spyglass.__version__}
    for manifest in [REPO / "labextension" / "package.json", *REPO.glob("packages/*/package.json")]:
        data = json.loads(manifest.read_text())
        versions[data["name"]] = data["version"]
    assert len(set(versions.values())) == 1, versions


def test_prebuilt_extension_is_installed_with_duckdb_assets():
    ext = PREFIX / "share" / "jupyter" / "labextensions" / "@spyglass" / "labextension"
    manifest = json.loads((ext / "package.json").read_text())
    assert manifest["name"] == "@spyglass/labextension"
    static = [p.name for p in (ext / "static").iterdir()]
    assert any(name.endswith(".wasm") for name in static), "DuckDB's wasm must ship inside the extension"
    assert any("worker" in name for name in static), "DuckDB's worker must ship inside the extension"
    bundle = "".join(p.read_text(errors="ignore") for p in (ext / "static").glob("*.js"))
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert cdn not in bundle, f"the extension must not load anything from {cdn}"


def test_server_extension_is_enabled_by_the_installed_config():
    config = PREFIX / "etc" / "jupyter" / "jupyter_server_config.d" / "spyglass.json"
    assert json.loads(config.read_text())["ServerApp"]["jpserver_extensions"]["spyglass"] is True
