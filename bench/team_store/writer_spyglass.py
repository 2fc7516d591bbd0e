"""One writer of writers.py: spyglass into $SPYGLASS_DIR (an s3:// store or a local directory).

Each log() is timed on its own; done is the end of finish(), which for an s3:// store ships the last
segments, history.parquet and run.json, so every row is in the bucket when it returns.
"""

import os
import time

import spyglass as sg
from writer_loop import TimedLoop, parse_args

loop = TimedLoop(parse_args())
run = sg.init(project="writers", name=f"writer-{os.getpid()}")
loop.run(run.log)
run.finish()
loop.report(os.environ.get("SG_CONTENDER", "spyglass"), time.perf_counter())
