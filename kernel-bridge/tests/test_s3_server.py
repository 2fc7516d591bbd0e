"""The test S3 server honours what the team store relies on: conditional writes (If-None-Match: * creates
once, even under a race; If-Match replaces only the version read), a read-only viewer, and an outage that
keeps the data. Plain boto3 against SeaweedFS, no Spyglass code: if the server changes, these fail first.
"""

from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code"))


@pytest.fixture
def bucket(s3_server, request):
    return s3_server.create_bucket(request.node.name)


def test_if_none_match_creates_once_and_refuses_an_existing_key(s3_server, bucket):
    client = s3_server.client("writer")
    client.put_object(Bucket=bucket, Key="lease.json", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as refused:
        client.put_object(Bucket=bucket, Key="lease.json", Body=b"second", IfNoneMatch="*")
    assert error_code(refused.value) in {"PreconditionFailed", "412"}
    assert client.get_object(Bucket=bucket, Key="lease.json")["Body"].read() == b"first"


def test_concurrent_if_none_match_creates_have_exactly_one_winner(s3_server, bucket):
    client = s3_server.client("writer")  # boto3 clients are thread-safe
    writers = 8
    start = threading.Barrier(writers)
    outcomes: list[str] = []

    def claim(number: int) -> None:
        start.wait()
        try:
            client.put_object(Bucket=bucket, Key="claim", Body=f"agent {number}".encode(), IfNoneMatch="*")
            outcomes.append("won")
        except ClientError as error:
            outcomes.append(error_code(error))

    for attempt in range(3):
        outcomes.clear()
        threads = [threading.Thread(target=claim, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes.count("won") == 1, f"attempt {attempt}: {outcomes}"
        assert set(outcomes) - {"won"} <= {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
        client.delete_object(Bucket=bucket, Key="claim")


def test_if_match_replaces_only_the_version_that_was_read(s3_server, bucket):
    client = s3_server.client("writer")
    first = client.put_object(Bucket=bucket, Key="runs.parquet", Body=b"v1")["ETag"]
    second = client.put_object(Bucket=bucket, Key="runs.parquet", Body=b"v2", IfMatch=first)["ETag"]
    assert second != first
    with pytest.raises(ClientError) as stale:
        client.put_object(Bucket=bucket, Key="runs.parquet", Body=b"v3 from a stale read", IfMatch=first)
    assert error_code(stale.value) in {"PreconditionFailed", "412"}
    head = client.head_object(Bucket=bucket, Key="runs.parquet")
    assert head["ETag"] == second
    assert client.get_object(Bucket=bucket, Key="runs.parquet")["Body"].read() == b"v2"


def test_if_match_on_a_missing_key_is_refused(s3_server, bucket):
    with pytest.raises(ClientError) as refused:
        s3_server.client("writer").put_object(Bucket=bucket, Key="absent", Body=b"x", IfMatch='"0123"')
    assert error_code(refused.value) in {"PreconditionFailed", "412", "NoSuchKey", "404"}


def test_metadata_round_trips_and_listing_starts_after_a_key(s3_server, bucket):
    client = s3_server.client("writer")
    for offset in (0, 4096, 8192):
        client.put_object(
            Bucket=bucket,
            Key=f"p/r/segments/history/{offset:016d}.sglog",
            Body=b"x",
            Metadata={"crc32c": "12345", "end": str(offset + 1)},
            IfNoneMatch="*",
        )
    head = client.head_object(Bucket=bucket, Key=f"p/r/segments/history/{4096:016d}.sglog")
    assert head["Metadata"] == {"crc32c": "12345", "end": "4097"}
    listed = client.list_objects_v2(
        Bucket=bucket, Prefix="p/r/segments/history/", StartAfter=f"p/r/segments/history/{0:016d}.sglog"
    )
    assert [item["Key"].rsplit("/", 1)[-1] for item in listed["Contents"]] == [
        f"{4096:016d}.sglog",
        f"{8192:016d}.sglog",
    ]


def test_the_viewer_reads_and_lists_but_cannot_write(s3_server, bucket):
    s3_server.client("writer").put_object(Bucket=bucket, Key="run.json", Body=b"{}")
    viewer = s3_server.client("viewer")
    assert viewer.get_object(Bucket=bucket, Key="run.json")["Body"].read() == b"{}"
    assert [item["Key"] for item in viewer.list_objects_v2(Bucket=bucket)["Contents"]] == ["run.json"]
    with pytest.raises(ClientError) as denied:
        viewer.put_object(Bucket=bucket, Key="run.json", Body=b"overwritten")
    assert error_code(denied.value) == "AccessDenied"
    with pytest.raises(ClientError) as denied:
        viewer.delete_object(Bucket=bucket, Key="run.json")
    assert error_code(denied.value) == "AccessDenied"


def test_unknown_keys_are_refused(s3_server, bucket):
    import boto3
    from botocore.config import Config

    stranger = boto3.session.Session().client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="SGNOTAKEY0000000",
        aws_secret_access_key="not-a-secret",
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    with pytest.raises(ClientError) as denied:
        stranger.list_objects_v2(Bucket=bucket)
    assert error_code(denied.value) in {"InvalidAccessKeyId", "AccessDenied", "SignatureDoesNotMatch"}


def test_an_outage_keeps_the_data_and_the_endpoint(s3_server, bucket):
    client = s3_server.client("writer")
    client.put_object(Bucket=bucket, Key="kept", Body=b"before the outage")
    endpoint = s3_server.endpoint
    s3_server.stop()
    try:
        with pytest.raises(Exception):  # noqa: B017 (botocore raises EndpointConnectionError or a retry error)
            s3_server.client("writer").list_objects_v2(Bucket=bucket)
    finally:
        s3_server.start()
    assert s3_server.endpoint == endpoint
    assert client.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"before the outage"


def test_each_identity_has_its_own_random_keys(s3_server):
    keys = [(who.access_key, who.secret_key) for who in s3_server.identities.values()]
    assert len({access for access, _ in keys}) == len(keys) == 3
    assert all(len(secret) >= 30 for _, secret in keys)
    assert set(s3_server.secrets()) == {value for pair in keys for value in pair}
