#!/usr/bin/env python3
"""Two objectives on the YAHPO Gym LCBench surrogate: hps's TPE, NSGA-II and random search (through `hps replay
--surrogate --objective valError --objective trainSeconds`) against Optuna's multi-objective TPE and NSGA-II.

    python3 multi_objective.py --data DIR [--seeds 5] [--first-seed 1] [--tasks 3945,7593] [--trials 100] [--out mo-results.csv]

Each configuration is trained for the full 52 epochs; the objectives are its validation error (1 - accuracy)
and its training time (the surrogate's cumulative seconds) at epoch 52, both minimised. Per task, each
objective is scaled to [0, 1] by its minimum and maximum over 2,000 random configurations (numpy seed 0), and
the hypervolume of the front found after 25, 50 and 100 evaluations is measured with reference point
(1.1, 1.1) (0 to 1.21; larger is better). Prints per method the mean over tasks of the mean over seeds, and
on how many tasks each method's mean beats Optuna's TPE. DIR holds YAHPO Gym's lcbench files (not part of
hps). Needs numpy, onnxruntime and optuna (python3 -m venv v && v/bin/pip install numpy onnxruntime optuna).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from benchmark import SPACE, suggest, tasks  # noqa: E402
from surrogate import Surrogate  # noqa: E402

BUDGETS = (25, 50, 100)
REFERENCE = 1.1


def hypervolume(points):
    """Area dominated by 2-D points (minimised) and bounded by (REFERENCE, REFERENCE)."""
    inside = sorted(p for p in points if p[0] < REFERENCE and p[1] < REFERENCE)
    area, lowest = 0.0, REFERENCE
    for x, y in inside:
        if y < lowest:
            area += (REFERENCE - x) * (lowest - y)
            lowest = y
    return area


def scale_of(surrogate):
    """Per-objective minimum and maximum over 2,000 random configurations."""
    rng = np.random.default_rng(0)
    configs = []
    for _ in range(2000):
        params = {}
        for name, (low, high, log, kind) in SPACE.items():
            x = np.exp(rng.uniform(np.log(low), np.log(high))) if log else rng.uniform(low, high)
            params[name] = int(round(x)) if kind is int else float(x)
        configs.append(params)
    errors, seconds = surrogate.curves(configs)
    v = np.stack([errors[:, -1], seconds[:, -1]], axis=1)
    return v.min(axis=0), v.max(axis=0)


def volumes(sequence, low, high):
    """Hypervolume after each budget of a sequence of (error, seconds) in evaluation order."""
    scaled = [((e - low[0]) / (high[0] - low[0]), (s - low[1]) / (high[1] - low[1])) for e, s in sequence]
    return [hypervolume(scaled[:b]) for b in BUDGETS]


def hps_method(args, task, strategy):
    surrogate = f"{sys.executable} {os.path.join(HERE, 'surrogate.py')} --data {args.data} --task {task}"
    command = [os.path.join(ROOT, "hps"), "replay", "--surrogate", surrogate, "--space",
               os.path.join(HERE, "space.json"), "--seeds", str(args.seeds),
               "--first-seed", str(args.first_seed), "--strategy", strategy,
               "--trials", str(args.trials), "--objective", "valError", "--objective", "trainSeconds", "--json"]
    row = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return [[(v[0], v[1]) for v in seed if v is not None] for seed in row["objectiveValues"]]


def optuna_method(args, task, sampler_of):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    surrogate = Surrogate(args.data, task)
    runs = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        def objective(trial):
            errors, seconds = surrogate.curve(suggest(trial))
            return errors[-1], seconds[-1]
        study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler_of(optuna, seed))
        study.optimize(objective, n_trials=args.trials)
        runs.append([tuple(t.values) for t in study.trials])
    return runs


METHODS = {
    "hps-tpe": lambda a, t: hps_method(a, t, "tpe"),
    "hps-nsga2": lambda a, t: hps_method(a, t, "nsga2"),
    "hps-random": lambda a, t: hps_method(a, t, "random"),
    "optuna-tpe": lambda a, t: optuna_method(a, t, lambda o, s: o.samplers.TPESampler(seed=s)),
    "optuna-nsga2": lambda a, t: optuna_method(a, t, lambda o, s: o.samplers.NSGAIISampler(seed=s)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=1,
                        help="seeds FIRST to FIRST + SEEDS - 1 (default 1); another range checks a tuned method on"
                             " seeds it was not tuned on")
    parser.add_argument("--trials", type=int, default=100, help="evaluations per run (at least 100)")
    parser.add_argument("--tasks", help="comma-separated task ids (default: all 34)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated, of " + ", ".join(METHODS))
    parser.add_argument("--out", default="mo-results.csv")
    args = parser.parse_args()
    if args.trials < max(BUDGETS):
        parser.error(f"--trials must be at least {max(BUDGETS)}")
    chosen = args.tasks.split(",") if args.tasks else tasks(args.data)
    methods = args.methods.split(",")
    table = {}  # (method, task) -> mean hypervolume at each budget
    start = time.time()
    for n, task in enumerate(chosen, 1):
        low, high = scale_of(Surrogate(args.data, task))
        for method in methods:
            t0 = time.time()
            runs = METHODS[method](args, task)
            per_seed = np.array([volumes(run, low, high) for run in runs])
            table[(method, task)] = per_seed.mean(axis=0)
            print(f"task {task} ({n}/{len(chosen)}) {method:13s} " + " ".join(f"{v:.4f}" for v in table[(method, task)])
                  + f"  ({time.time() - t0:.1f} s)", flush=True)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["task", "method"] + [f"hypervolume_after_{b}" for b in BUDGETS])
        for (method, task), values in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            w.writerow([task, method] + [f"{v:.6f}" for v in values])
    last = args.first_seed + args.seeds - 1
    print(f"\n{len(chosen)} tasks x {args.seeds} seeds ({args.first_seed} to {last}), {time.time() - start:.0f} s;"
          f" per-task rows in {args.out}")
    print(f"mean hypervolume (objectives scaled per task, reference 1.1; higher is better; in brackets: tasks where"
          f" the method's mean beats optuna-tpe's)")
    print(f"{'method':14s} " + " ".join(f"{'after ' + str(b):>22s}" for b in BUDGETS))
    for method in methods:
        cells = []
        for i, _ in enumerate(BUDGETS):
            mean = sum(table[(method, t)][i] for t in chosen) / len(chosen)
            wins = ("" if "optuna-tpe" not in methods or method == "optuna-tpe" else
                    f" ({sum(table[(method, t)][i] > table[('optuna-tpe', t)][i] for t in chosen):2d}/{len(chosen)})")
            cells.append(f"{mean:.4f}{wins}")
        print(f"{method:14s} " + " ".join(f"{c:>22s}" for c in cells))


if __name__ == "__main__":
    main()
