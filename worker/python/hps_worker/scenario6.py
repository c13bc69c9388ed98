"""Scenario 6 of the course exercise done in Python: the Python master and Python (PyTorch) workers.

    python3 -m hps_worker.scenario6 --study runs/scenario-6-py --quick
    ./hps scenario 6 --study runs/scenario-6-py --report-only          # figures, timeline, speed-up, report.html

It runs random search over search-spaces/scenario6.json in synchronous batches of two with two local worker
processes (by default worker/python/examples/cnn_torch.py, the exercise CNN in PyTorch), then the same settings
with one worker in STUDY/one-worker/ for the speed-up, and prints the command that writes the report. The study
files are the protocol's (PROTOCOL.md), so `hps status` and `hps dashboard` read them too. Interrupt it and run
the same command again: it resumes.
"""
import argparse
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

import json
import re
import tempfile

from . import files
from .master import Master, typed, with_sets
from .space import SearchSpace, SpaceError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CNN = os.path.join(HERE, "..", "examples", "cnn_torch.py")
# As `hps scenario 6`: --quick trains 1000 images for 3 epochs and validates on 1000; 8 settings, else 20.
QUICK = ["epochs=3", "trainSize=1000", "valSize=1000"]


def default_space():
    for candidate in (os.path.join(REPO, "search-spaces", "scenario6.json"),
                      os.path.join("search-spaces", "scenario6.json")):
        if os.path.isfile(candidate):
            return candidate
    return None


def run_local(master, study, workers, command, devices, data_dir, log):
    """Runs `master` with `workers` local worker processes of `command` until the study ends; returns the number
    of results, or None when it was interrupted or every worker ended first (the study then resumes)."""
    logs = os.path.join(study, "logs")
    os.makedirs(logs, exist_ok=True)
    threads = max(1, (os.cpu_count() or 1) // workers)
    processes = []
    for i in range(workers):
        args = list(command) + ["--study", study, "--id", f"w{i + 1}-{socket.gethostname()}-{os.getpid()}",
                                "--threads", str(threads)]
        if devices:
            args += ["--device", devices[i % len(devices)]]
        if data_dir:
            args += ["--data-dir", data_dir]
        out = open(os.path.join(logs, f"run-worker-{i + 1}.log"), "ab")
        processes.append(subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT))
        out.close()
        log(f"started worker {i + 1} (pid {processes[-1].pid}), log logs/run-worker-{i + 1}.log: {shlex.join(args)}")
    gone = threading.Event()

    def watch():
        while any(p.poll() is None for p in processes):
            if master.stopped:
                return
            time.sleep(0.5)
        if not master.finished():
            gone.set()
            master.stop()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        results = master.run()
    except KeyboardInterrupt:
        master.stop()
        results = None
        log("interrupted: the workers hand their settings back; run the same command again to resume")
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
    if gone.is_set():
        codes = ", ".join(str(p.returncode) for p in processes)
        log(f"every worker ended before the study did (exit codes {codes}); see {logs}/run-worker-N.log")
        return None
    return results


def failures(study):
    """(count, reason) of the most frequent failure when every result of the study failed; None otherwise."""
    reasons, total = {}, 0
    for name in files.listdir(os.path.join(study, "results")):
        try:
            r = files.read_json(os.path.join(study, "results", name), files.RESULT_LIMIT)
        except (OSError, files.BadFile):
            continue
        total += 1
        if r.get("status") != "failed":
            return None
        reason = " | ".join(str(r.get("reason", "")).strip().splitlines())[:300]
        reasons[reason] = reasons.get(reason, 0) + 1
    if not total:
        return None
    reason, count = max(reasons.items(), key=lambda kv: kv[1])
    return count, reason


def span_seconds(study):
    """Seconds from the first claim to the last result of a study's results."""
    claimed, finished = [], []
    results = os.path.join(study, "results")
    for name in files.listdir(results):
        try:
            r = files.read_json(os.path.join(results, name), files.RESULT_LIMIT)
        except (OSError, files.BadFile):
            continue
        if r.get("claimed"):
            claimed.append(files.parse_time(r["claimed"]).timestamp())
            finished.append(files.parse_time(r["finished"]).timestamp())
    return max(finished) - min(claimed) if claimed else 0.0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python3 -m hps_worker.scenario6", description=(
        "Scenario 6 with the Python master: random search in synchronous batches with 2 local worker processes "
        "(the PyTorch CNN by default), then the same settings with one worker in STUDY/one-worker/ for the "
        "speed-up. Then `hps scenario 6 --study STUDY --report-only` writes the figures and report.html."))
    p.add_argument("--study", required=True, metavar="DIR", help="the study directory (created if absent)")
    p.add_argument("--quick", action="store_true", help="1000 training and 1000 validation images, 3 epochs, "
                   "8 settings (as hps scenario 6 --quick)")
    p.add_argument("--workers", type=int, default=2, help="local worker processes of the parallel run (default 2)")
    p.add_argument("--devices", default="", metavar="0,1", help="GPUs, one per worker in turn (--device of each)")
    p.add_argument("--trials", type=int, default=None, help="random settings (default 20, or 8 with --quick)")
    p.add_argument("--seed", type=int, default=42, help="seed of the search and of training (default 42)")
    p.add_argument("--space", metavar="FILE", default=None, help="search-space file (default: search-spaces/"
                   "scenario6.json of this checkout)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="fix a parameter (after --quick's values), as hps scenario --set")
    p.add_argument("--worker", metavar="COMMAND", default=None, help="the worker program, given --study, --id, "
                   "--threads and --device/--data-dir (default: this Python running examples/cnn_torch.py; "
                   "'./hps worker' runs the DL4J CNN)")
    p.add_argument("--data-dir", metavar="DIR", default=None, help="MNIST for the workers (default: their own)")
    args = p.parse_args(argv)
    if args.workers < 1 or args.trials is not None and args.trials < 1:
        p.error("--workers and --trials must be at least 1")
    for assignment in args.set:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}=.*", assignment):
            p.error(f"--set {assignment}: write NAME=VALUE (NAME: letters, digits and _, starting with a letter)")
    log = lambda text: print(f"{files.stamp()} scenario6: {text}", flush=True)  # noqa: E731
    space_file = args.space or default_space()
    if space_file is None:
        p.error("no search-spaces/scenario6.json here: run from the hps checkout, or give --space FILE")
    study = os.path.abspath(args.study)
    sets = (QUICK if args.quick else []) + args.set
    trials = args.trials or (8 if args.quick else 20)
    devices = [d for d in args.devices.split(",") if d]
    created_by = typed("hps_worker.scenario6", argv)
    try:
        space = SearchSpace.read(space_file)
        final = with_sets(space, sets)
    except SpaceError as e:
        print(f"scenario6: {e}", file=sys.stderr)
        return 1
    if args.worker:
        command = shlex.split(args.worker)
    else:
        # Before anything is written: can the workers train (PyTorch, MNIST), and do they read every parameter
        # the space sets, with values they can take?
        command = [sys.executable, os.path.normpath(CNN)]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(final.json, f)
        try:
            check = subprocess.run(command + ["--check", "--check-space", f.name] + (
                ["--data-dir", args.data_dir] if args.data_dir else []), capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        if check.returncode != 0:
            print(f"scenario6: the workers cannot train this, so nothing was started:\n{check.stderr.strip()}",
                  file=sys.stderr)
            return 2
    try:
        runs = [(study, args.workers, devices), (os.path.join(study, "one-worker"), 1, devices[:1])]
        for directory, workers, pinned in runs:
            master = Master(directory, space, "random", trials, 1, workers, args.seed, sets=sets,
                            created_by=created_by)
            log(f"{directory}: {trials} settings, {workers} worker{'s' if workers > 1 else ''}")
            if run_local(master, directory, workers, command, pinned, args.data_dir, log) is None:
                return 1
            failed = failures(directory)
            if failed:
                log(f"every setting of {directory} failed; the most frequent reason ({failed[0]} settings): "
                    f"{failed[1]}")
                return 1
    except (SpaceError, files.BadFile) as e:
        print(f"scenario6: {e}", file=sys.stderr)
        return 1
    parallel, serial = span_seconds(study), span_seconds(os.path.join(study, "one-worker"))
    log(f"{args.workers} workers: {parallel:.1f} s from the first claim to the last result; one worker: {serial:.1f} s"
        + (f" (speed-up {serial / parallel:.2f})" if parallel > 0 else ""))
    launcher = os.path.relpath(os.path.join(REPO, "hps")) if os.path.isfile(os.path.join(REPO, "hps")) else "hps"
    if not launcher.startswith((".", "/")):
        launcher = "./" + launcher
    log(f"figures, timeline, speed-up and report: {launcher} scenario 6 --study {shlex.quote(args.study)} "
        f"--report-only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
