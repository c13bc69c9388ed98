#!/usr/bin/env python3
"""Search strategies on the YAHPO Gym LCBench surrogate: hps's (through `hps replay --surrogate`, the real
master with simulated workers) against Optuna's TPE, with the same space, budget and seeds.

    python3 benchmark.py --data DIR [--seeds 10] [--tasks 3945,7593] [--workers 1] [--out results.csv]

The multi-fidelity methods' value at a budget is their incumbent's: the best result of the largest budget
seen so far, scored by that configuration's error at epoch 52 (as multi-fidelity benchmarks report it).
DIR holds YAHPO Gym's lcbench files (model.onnx, encoding.json, config_space.json); they are not part of
hps (get them from YAHPO Gym's data repository). Needs numpy, onnxruntime and optuna in this Python
(python3 -m venv v && v/bin/pip install numpy onnxruntime optuna). For each task and seed it records the
best final validation error (1 - accuracy at epoch 52) found once 10, 25 and 50 full trainings' worth of
epochs (520, 1300, 2600) were spent, and prints per method the mean over tasks and on how many tasks the
method beats random search (mean over seeds). Optuna's TPE is run with 50 trials of the full budget.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from surrogate import Surrogate  # noqa: E402

BUDGETS = (520, 1300, 2600)
# method name -> hps replay options (multi-fidelity ones draw enough first-rung settings to spend 2600 epochs)
HPS = {
    "random": ["--strategy", "random", "--trials", "50"],
    "tpe": ["--strategy", "tpe", "--trials", "50"],
    "successive-halving": ["--strategy", "successive-halving", "--trials", "243"],
    "hyperband": ["--strategy", "hyperband", "--trials", "150"],
    "asha": ["--strategy", "asha", "--trials", "243", "--mode", "async"],
    "bohb": ["--strategy", "bohb", "--trials", "150"],
}
SPACE = {"batch_size": (16, 512, True, int), "learning_rate": (1e-4, 1e-1, True, float),
         "momentum": (0.1, 0.99, False, float), "weight_decay": (1e-5, 0.1, False, float),
         "num_layers": (1, 5, False, int), "max_units": (64, 1024, True, int), "max_dropout": (0.0, 1.0, False, float)}


def suggest(trial):
    """An Optuna trial's parameters in LCBench's space."""
    params = {}
    for name, (low, high, log, kind) in SPACE.items():
        draw = trial.suggest_int if kind is int else trial.suggest_float
        params[name] = draw(name, low, high, log=log)
    return params


def tasks(data):
    with open(os.path.join(data, "config_space.json")) as f:
        space = json.load(f)
    return next(h["choices"] for h in space["hyperparameters"] if h["name"] == "OpenML_task_id")


def hps_method(args, task, options):
    surrogate = f"{sys.executable} {os.path.join(HERE, 'surrogate.py')} --data {args.data} --task {task}"
    command = [os.path.join(ROOT, "hps"), "replay", "--surrogate", surrogate, "--space",
               os.path.join(HERE, "space.json"), "--seeds", str(args.seeds), "--workers", str(args.workers),
               "--json", "--budgets", ",".join(map(str, BUDGETS))] + options
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    row = json.loads(out)
    # "NaN" (a string in hps's JSON) where a seed had no result yet at that budget
    return [float(row["bestAfterEpochs"][str(b)]) for b in BUDGETS], row["meanEpochs"]


def optuna_tpe(args, task):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    surrogate = Surrogate(args.data, task)
    bests = [[] for _ in BUDGETS]
    for seed in range(1, args.seeds + 1):
        def objective(trial):
            return surrogate.curve(suggest(trial))[0][-1]
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(objective, n_trials=50)
        values = [t.value for t in study.trials]
        for i, b in enumerate(BUDGETS):
            bests[i].append(min(values[: b // 52]))
    return [sum(v) / len(v) for v in bests], 2600.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--tasks", help="comma-separated task ids (default: all 34)")
    parser.add_argument("--workers", type=int, default=1, help="simulated workers for hps's methods")
    parser.add_argument("--out", default="lcbench-results.csv")
    args = parser.parse_args()
    chosen = args.tasks.split(",") if args.tasks else tasks(args.data)
    methods = list(HPS) + ["optuna-tpe"]
    table = {}  # (method, task) -> [best at each budget]
    epochs = {}
    start = time.time()
    for n, task in enumerate(chosen, 1):
        for method in methods:
            t0 = time.time()
            values, spent = optuna_tpe(args, task) if method == "optuna-tpe" else hps_method(args, task, HPS[method])
            table[(method, task)] = values
            epochs[(method, task)] = spent
            print(f"task {task} ({n}/{len(chosen)}) {method:20s} " + " ".join(f"{v:.4f}" for v in values)
                  + f"  ({spent:.0f} epochs, {time.time() - t0:.1f} s)", flush=True)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["task", "method", "mean_epochs"] + [f"best_after_{b}" for b in BUDGETS])
        for (method, task), values in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            w.writerow([task, method, epochs[(method, task)]] + [f"{v:.6f}" for v in values])
    print(f"\n{len(chosen)} tasks x {args.seeds} seeds, {time.time() - start:.0f} s; per-task rows in {args.out}")
    print(f"{'method':20s} " + " ".join(f"{'after ' + str(b // 52) + ' x 52':>22s}" for b in BUDGETS))
    for method in methods:
        cells = []
        for i, _ in enumerate(BUDGETS):
            values = [table[(method, t)][i] for t in chosen]
            if any(v != v for v in values):
                cells.append("no result yet")
                continue
            mean = sum(values) / len(chosen)
            wins = sum(table[(method, t)][i] < table[("random", t)][i] for t in chosen)
            cells.append(f"{mean:.4f} ({wins:2d}/{len(chosen)} > rnd)")
        print(f"{method:20s} " + " ".join(f"{c:>22s}" for c in cells))


if __name__ == "__main__":
    main()
