"""The bucket layer against the real S3 server: each failure is a Spyglass error naming bucket and endpoint,
and no message carries a credential."""

from __future__ import annotations

import pytest

from spyglass.errors import BucketAccessDenied, BucketError, BucketUnreachable, ObjectMissing
from spyglass.store.bucket import Bucket
from spyglass.store.store_url import parse_store_url


def viewer_bucket(s3_server, monkeypatch, url: str) -> Bucket:
    for name, value in s3_server.env("viewer").items():
        monkeypatch.setenv(name, value)
    return Bucket.for_url(parse_store_url(url))


def assert_no_secret(s3_server, message: str) -> None:
    for secret in s3_server.secrets():
        assert secret not in message


def test_round_trip_and_listing_are_relative_to_the_prefix(s3_store, tmp_path):
    bucket = Bucket.for_url(parse_store_url(s3_store))
    assert bucket.create("p/r1/run.json", b"{}") is not None
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * (40 * 1024))  # 10 MiB: a multipart upload in parallel parts
    bucket.upload_file("p/r1/media/big.bin", big, metadata={"sha256": "x"})
    assert [info.key for info in bucket.list("p/r1/")] == ["p/r1/media/big.bin", "p/r1/run.json"]
    assert bucket.list_dirs("p") == ["r1"]
    bucket.download_file("p/r1/media/big.bin", tmp_path / "copy.bin")
    assert (tmp_path / "copy.bin").read_bytes() == big.read_bytes()
    assert bucket.head("p/r1/media/big.bin").metadata == {"sha256": "x"}
    with pytest.raises(ObjectMissing, match="p/r1/none"):
        bucket.get("p/r1/none")


def test_a_viewer_gets_access_denied_for_every_kind_of_write(s3_server, s3_store, monkeypatch, tmp_path):
    viewer = viewer_bucket(s3_server, monkeypatch, s3_store)
    file = tmp_path / "f.bin"
    file.write_bytes(b"x" * 100)
    attempts = [
        lambda: viewer.put("a", b"1"),
        lambda: viewer.create("a", b"1"),
        lambda: viewer.upload_file("f.bin", file),  # boto3 wraps this one in S3UploadFailedError
        lambda: viewer.check_access(write=True),
    ]
    for attempt in attempts:
        with pytest.raises(BucketAccessDenied) as raised:
            attempt()
        assert s3_store.removeprefix("s3://").split("/")[0] in str(raised.value)
        assert_no_secret(s3_server, str(raised.value))
    viewer.check_access(write=False)


def test_a_missing_bucket_and_a_dead_endpoint_say_so(s3_server, s3_store, monkeypatch):
    missing = Bucket.for_url(parse_store_url("s3://no-such-bucket-here/x"))
    with pytest.raises(BucketError, match="does not exist"):
        missing.check_access()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    dead = Bucket.for_url(parse_store_url(s3_store))
    with pytest.raises(BucketUnreachable, match="127.0.0.1:9 did not answer") as raised:
        dead.check_access()
    assert_no_secret(s3_server, str(raised.value))
