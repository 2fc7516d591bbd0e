"""Reads a team store's history.parquet files from the bucket with an engine that knows nothing of Spyglass.

Runs in the engines venv (.venv-engines: DuckDB with the httpfs extension from its PyPI package, PySpark with
the S3A jars; scripts/setup-engines.sh), started by test_s3_engines.py:

    .venv-engines/bin/python s3_engine_query.py duckdb|spark s3://bucket/prefix/project

Endpoint and credentials come from the standard AWS variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION); nothing is fetched from the network but the bucket. Prints one JSON
object, {"rows": [{"run": <run id>, <column>: <value>, ...}, ...], "seconds": <query wall time>}, the rows in
(run, _step) order.
These are the queries docs/team.md ("Any engine reads it") shows.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def duckdb_rows(project_url: str) -> list[dict]:
    import importlib.resources

    import duckdb

    extension = importlib.resources.files("duckdb_extension_httpfs") / "extensions" / f"v{duckdb.__version__}"
    endpoint = urlsplit(os.environ["AWS_ENDPOINT_URL"])
    connection = duckdb.connect(
        config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    )
    connection.execute(f"LOAD '{extension / 'httpfs.duckdb_extension'}'")
    connection.execute(
        "CREATE SECRET team_store (TYPE s3, KEY_ID $key, SECRET $secret, REGION $region, ENDPOINT $endpoint, "
        "URL_STYLE 'path', USE_SSL $ssl)",
        {
            "key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret": os.environ["AWS_SECRET_ACCESS_KEY"],
            "region": os.environ.get("AWS_REGION", "us-east-1"),
            "endpoint": endpoint.netloc,
            "ssl": endpoint.scheme == "https",
        },
    )
    cursor = connection.execute(
        "SELECT regexp_extract(filename, '/([^/]+)/history\\.parquet$', 1) AS run, * EXCLUDE (filename) "
        "FROM read_parquet($files, filename = true, union_by_name = true) ORDER BY run, _step",
        {"files": f"{project_url}/*/history.parquet"},
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def spark_rows(project_url: str) -> list[dict]:
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    jars = sorted(str(path) for path in (Path(sys.prefix) / "s3a-jars").glob("*.jar"))
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("spyglass-team-store")
        # On the driver's classpath: local mode runs the executor in the driver's JVM, and spark.jars would
        # first copy the 690 MB AWS SDK bundle into the executor's work directory.
        .config("spark.driver.extraClassPath", os.pathsep.join(jars))
        .config("spark.ui.enabled", "false")
        # A few seconds of work: the client compiler only and one GC thread halve the JVM's CPU on 2 cores.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.hadoop.fs.s3a.endpoint", os.environ["AWS_ENDPOINT_URL"])
        .config("spark.hadoop.fs.s3a.endpoint.region", os.environ.get("AWS_REGION", "us-east-1"))
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        # The AWS SDK's own provider reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: no key in Spark's config.
        .config(
            "spark.hadoop.fs.s3a.aws.credentials.provider",
            "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
        )
        .getOrCreate()
    )
    try:
        frame = (
            spark.read.option("mergeSchema", "true")
            .parquet(f"{project_url.replace('s3://', 's3a://', 1)}/*/history.parquet")
            .withColumn("run", F.regexp_extract(F.input_file_name(), r"/([^/]+)/history\.parquet$", 1))
            .orderBy("run", "_step")
        )
        return [row.asDict() for row in frame.collect()]
    finally:
        spark.stop()


def main() -> None:
    engine, project_url = sys.argv[1], sys.argv[2].rstrip("/")
    started = time.perf_counter()
    rows = {"duckdb": duckdb_rows, "spark": spark_rows}[engine](project_url)
    print(json.dumps({"rows": rows, "seconds": round(time.perf_counter() - started, 3)}, default=str))


if __name__ == "__main__":
    main()
