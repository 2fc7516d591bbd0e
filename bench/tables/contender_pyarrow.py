"""The baseline: pyarrow.Table.from_pandas(df) + pq.write_table, with pyarrow's defaults and with zstd."""

import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from workload import build_frame, cpu, now, parse_args, report

args = parse_args()
compression = os.environ.get("BENCH_COMPRESSION", "snappy")
frame = build_frame(args.rows)
start, start_cpu = now(), cpu()
table = pa.Table.from_pandas(frame, preserve_index=False)
converted = now()
pq.write_table(table, os.path.join(args.out, "table.parquet"), compression=compression)
written = now()
report(
    f"pyarrow from_pandas + write_table ({compression})",
    written - start,
    cpu() - start_cpu,
    convert_s=converted - start,
)
sys.exit(0)
