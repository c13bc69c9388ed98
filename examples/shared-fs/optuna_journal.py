#!/usr/bin/env python3
"""The peer of `hps bench` on a shared filesystem: Optuna 5's journal file storage, one process per mount.

    python3 optuna_journal.py --dir /mnt/hps-a/optuna --dir /mnt/hps-b/optuna [--trials 500]

Each --dir is the same directory seen through a different mount (another machine's view; give one --dir twice
for two processes on one mount, or a local folder for the local-disk figure). Each process optimises a zero-cost
objective (random sampler, so the sampler costs nothing) for --trials trials on one JournalStorage(
JournalFileBackend(path, lock_obj=JournalFileOpenLock(path))): the lock Optuna's documentation recommends for NFS.
Prints trials/s (all trials over the wall time from the first process's start to the last one's end) and how many
trials were lost (fewer COMPLETE trials than asked) or duplicated (a trial number twice). Needs optuna
(python3 -m venv v && v/bin/pip install optuna).
"""
import argparse
import multiprocessing
import os
import time


def optimise(path, trials, seed, ready, go):
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(path, lock_obj=JournalFileOpenLock(path)))
    study = optuna.load_study(study_name="bench", storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
    ready.set()
    go.wait()
    study.optimize(lambda t: t.suggest_float("x", 0, 1) ** 2, n_trials=trials)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", action="append", required=True, help="a mount's view of the directory (repeat)")
    parser.add_argument("--trials", type=int, default=500, help="trials per process (default: 500)")
    args = parser.parse_args()
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    os.makedirs(args.dir[0], exist_ok=True)
    name = f"journal-{os.getpid()}.log"
    first = os.path.join(args.dir[0], name)
    JournalStorage(JournalFileBackend(first, lock_obj=JournalFileOpenLock(first)))
    optuna.create_study(study_name="bench", storage=JournalStorage(JournalFileBackend(
        first, lock_obj=JournalFileOpenLock(first))))
    paths = [os.path.join(d, name) for d in args.dir]
    for p in paths:  # the file must show through every mount before its process starts
        deadline = time.time() + 30
        while not os.path.exists(p):
            if time.time() > deadline:
                raise SystemExit(f"{p} did not appear: is {os.path.dirname(p)} the same directory as {args.dir[0]}?")
            time.sleep(0.01)
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    readies, procs = [], []
    for i, p in enumerate(paths):
        ready = ctx.Event()
        proc = ctx.Process(target=optimise, args=(p, args.trials, i, ready, go))
        proc.start()
        readies.append(ready)
        procs.append(proc)
    for r in readies:
        r.wait()
    start = time.time()
    go.set()
    for proc in procs:
        proc.join()
    wall = time.time() - start
    study = optuna.load_study(study_name="bench", storage=JournalStorage(JournalFileBackend(
        first, lock_obj=JournalFileOpenLock(first))))
    trials = study.get_trials(deepcopy=False)
    complete = sum(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    numbers = [t.number for t in trials]
    asked = args.trials * len(paths)
    print(f"optuna {optuna.__version__} journal file storage (JournalFileOpenLock), {len(paths)} processes"
          f" ({', '.join(args.dir)}): {complete} trials complete in {wall:.2f} s: {complete / wall:.0f} trials/s;"
          f" lost {asked - complete}, duplicated {len(numbers) - len(set(numbers))}"
          f"{', failed processes ' + str([p.exitcode for p in procs]) if any(p.exitcode for p in procs) else ''}")
    os.remove(first)


if __name__ == "__main__":
    main()
