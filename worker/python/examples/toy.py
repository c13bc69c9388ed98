#!/usr/bin/env python3
"""The smallest worker: a made-up learning curve instead of a network (replace the loop with yours).

    python3 worker/python/examples/toy.py --study runs/demo

It also shows checkpoints: in a halving study a promoted setting goes on from the state its parent saved.
"""
import json, os, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # without pip install
import hps_worker  # noqa: E402


def train(params, report, trial):
    lr, error, first = float(params.get("lr", 0.05)), 0.9, 1
    if trial.resume_dir:                                             # a promoted setting: load its parent's state
        with open(os.path.join(trial.resume_dir, "toy.json")) as f:
            error = json.load(f)["error"]
        first = trial.resume_epochs + 1
    for epoch in range(first, int(params.get("epochs", 5)) + 1):
        time.sleep(float(params.get("epochSeconds", 0)))             # the work of one epoch
        error = 0.02 + (error - 0.02) * (1 - min(0.9, lr * 5))
        if not report(epoch=epoch, train_loss=2.3 * error, val_loss=2.4 * error, val_error=error):
            return                                                   # stop request or shutdown
    if trial.checkpoint_dir:                                         # a rung that may be promoted: save the state
        with open(os.path.join(trial.checkpoint_dir, "toy.json"), "w") as f:
            json.dump({"error": error}, f)
    return {"framework": "toy"}


if __name__ == "__main__":
    hps_worker.run(train)
