"""Machine B of visibility.py: logs `sent` (its wall clock at log()) RATE times a second for SECONDS seconds.

Its store is $SPYGLASS_DIR (s3://…) with its own spool ($SPYGLASS_CACHE_DIR) and segment interval
($SPYGLASS_SEGMENT_INTERVAL); it shares nothing with machine A but the bucket.
"""

import argparse
import json
import time

import spyglass as sg

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=float, default=60)
parser.add_argument("--rate", type=float, default=10)
args = parser.parse_args()
run = sg.init(project="visibility", name="machine-b")
print(json.dumps({"run_id": run.id, "started": time.time()}), flush=True)
end = time.time() + args.seconds
while time.time() < end:
    run.log({"sent": time.time()})
    time.sleep(1 / args.rate)
run.finish()
print(json.dumps({"finished": time.time()}), flush=True)
