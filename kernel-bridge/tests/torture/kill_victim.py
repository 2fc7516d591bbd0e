"""The process the kill -9 torture kills: `python kill_victim.py ROOT MODE SEED`.

MODE "log": log rows (time.time() in "t") in a tight loop, calling run.flush() every few thousand rows and
printing "flushed <step>" once it returned. "finish": log a seeded number of rows, print "finishing <rows>
<t of the last row>", call finish(), print "finished". Both resume the run "kill/victim" if it exists, so a
resumed run is killed the same way. Prints "ready <first step>" once the run is live.
"""

from __future__ import annotations

import random
import sys
import time

import spyglass as sg

FLUSH_EVERY = 4000


def main() -> None:
    root, mode, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    settings = sg.Settings(system_metrics=False, disable_git=True, disable_packages=True)
    run = sg.init(project="kill", id="victim", dir=root, resume="allow", settings=settings)
    print("ready", run.step, flush=True)
    if mode == "finish":
        rows = rng.randrange(20_000, 150_000)
        for _ in range(rows):
            run.log({"t": time.time(), "loss": 0.5})
        print("finishing", rows, time.time(), flush=True)
        run.finish()
        print("finished", flush=True)
        time.sleep(60)
        return
    count = 0
    while True:
        run.log({"t": time.time(), "loss": rng.random()})
        count += 1
        if count % FLUSH_EVERY == 0:
            run.flush()  # every row logged so far is durable once this returns
            print("flushed", run.step - 1, flush=True)


if __name__ == "__main__":
    main()
