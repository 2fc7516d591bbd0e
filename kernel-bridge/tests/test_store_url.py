"""Store URLs: local paths as before, s3:// URLs mapped to one local root per endpoint, bucket and prefix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spyglass.errors import InvalidNameError
from spyglass.store.run_store import resolve_store_root
from spyglass.store.store_url import local_root, parse_store_url


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("SPYGLASS_DIR", "SPYGLASS_CACHE_DIR", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_local_paths_resolve_as_before(clean_env, tmp_path):
    assert resolve_store_root() == tmp_path / "spyglass"
    assert resolve_store_root("runs") == tmp_path / "runs"
    clean_env.setenv("SPYGLASS_DIR", str(tmp_path / "elsewhere"))
    url = parse_store_url()
    assert not url.is_remote and url.local == tmp_path / "elsewhere"


def test_s3_url_maps_to_a_local_root_per_endpoint_bucket_and_prefix(clean_env, tmp_path):
    clean_env.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "cache"))
    clean_env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8333")
    url = parse_store_url("s3://team-runs/vision/2026/")
    assert url.is_remote and (url.bucket, url.prefix) == ("team-runs", "vision/2026")
    assert str(url) == "s3://team-runs/vision/2026"
    root = local_root(url)
    assert root == tmp_path / "cache" / "127.0.0.1_8333" / "team-runs" / "vision" / "2026"
    clean_env.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
    assert local_root(url) != root, "two endpoints must never share a local root"
    clean_env.setenv("SPYGLASS_DIR", "s3://team-runs")
    assert resolve_store_root() == tmp_path / "cache" / "127.0.0.1_9000" / "team-runs"


def test_default_cache_is_under_the_home_directory(clean_env):
    root = local_root(parse_store_url("s3://bucket-a"))
    assert root == Path(os.path.expanduser("~/.cache/spyglass/stores/aws/bucket-a"))


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("s3://AKIA:secret@bucket-a/x", "credentials"),
        ("s3://Bad_Bucket/x", "not a valid bucket name"),
        ("s3://ab", "not a valid bucket name"),
        ("s3://bucket-a/../x", "'..'"),
        ("s3://bucket-a/x?versionId=1", "'?'"),
    ],
)
def test_malformed_urls_are_refused_with_the_reason(clean_env, url, named):
    with pytest.raises(InvalidNameError, match=None) as raised:
        parse_store_url(url)
    assert named in str(raised.value)
    assert "secret" not in str(raised.value)
