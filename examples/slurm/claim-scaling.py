#!/usr/bin/env python3
"""How claim throughput scales with the number of workers polling one study directory.

For each worker count W: `hps master` (async, a window of 2W settings, zero-cost synthetic settings) and
W copies of the example Python worker (examples/python-worker/worker.py: one process each, polling
pending/ every 50 ms) run against a fresh study directory on this machine. Printed per W: settings per
second from the first claim to the last result, and the claim latency (setting written -> claimed)
from the result files. Python workers because 256 JVMs do not fit a small machine; the Java worker
claims the same way.

    examples/slurm/claim-scaling.py [--workers 16,64,256] [--settings 3000] [--dir /tmp/hps-claims]
"""
import argparse, datetime, glob, json, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run(workers, settings, root):
    study = os.path.join(root, f"w{workers}")
    shutil.rmtree(study, ignore_errors=True)
    master = subprocess.Popen([os.path.join(REPO, "hps"), "master", "--space",
                               os.path.join(REPO, "search-spaces", "synthetic.json"), "--study", study,
                               "--trials", str(settings), "--mode", "async", "--batch", str(2 * workers),
                               "--lease", "600", "--set", "epochs=1", "--poll-ms", "20"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    pool = [subprocess.Popen([sys.executable, os.path.join(REPO, "examples", "python-worker", "worker.py"), study,
                              "--id", f"py{i}", "--idle-exit", "60"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT) for i in range(workers)]
    if master.wait(timeout=1800) != 0:
        raise SystemExit(f"the master failed with {workers} workers; see {study}")
    for p in pool:
        p.wait(timeout=120)
    results = [json.load(open(f)) for f in glob.glob(os.path.join(study, "results", "*.json"))]
    claimed = [instant(r["claimed"]) for r in results]
    finished = [instant(r["finished"]) for r in results]
    latency = sorted(instant(r["claimed"]) - instant(r["created"]) for r in results)
    span = max(finished) - min(claimed)
    busy = len({r["worker"] for r in results})
    return len(results), len(results) / span, statistics.median(latency), latency[int(0.95 * (len(latency) - 1))], busy


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="16,64,256")
    ap.add_argument("--settings", type=int, default=3000)
    ap.add_argument("--dir", default="/tmp/hps-claims")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    print(f"{'workers':>8} {'results':>8} {'settings/s':>11} {'claim median ms':>16} {'claim p95 ms':>13} {'workers used':>13}")
    for w in (int(x) for x in args.workers.split(",")):
        n, rate, median, p95, busy = run(w, args.settings, args.dir)
        print(f"{w:>8} {n:>8} {rate:>11.0f} {1000 * median:>16.0f} {1000 * p95:>13.0f} {busy:>13}", flush=True)


if __name__ == "__main__":
    main()
