#!/usr/bin/env python3
"""Answers hyperparameter settings with LCBench learning curves from the YAHPO Gym surrogate.

    python3 surrogate.py --data DIR --task 3945

DIR holds YAHPO Gym's lcbench files (model.onnx, encoding.json). Reads one JSON object per line on standard
input, the setting's parameters ({"batch_size": 91, "learning_rate": 0.003, ...}), and writes one line per
setting: {"valErrors": [52 numbers], "seconds": [52 numbers]}: the validation error (1 - accuracy) after each
epoch and the cumulative training time the surrogate predicts. This is the protocol of `hps replay
--surrogate`. Needs numpy and onnxruntime (pip install numpy onnxruntime).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime

ORDER = ("batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout")
EPOCHS = 52


class Surrogate:
    def __init__(self, data, task):
        with open(os.path.join(data, "encoding.json")) as f:
            codes = json.load(f)["OpenML_task_id"]
        if str(task) not in codes:
            raise SystemExit(f"surrogate: unknown task {task}; tasks: {', '.join(k for k in codes if k != '#na#')}")
        self.code = codes[str(task)]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(os.path.join(data, "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])

    def curve(self, params):
        """Validation errors and cumulative seconds for epochs 1..52."""
        errors, seconds = self.curves([params])
        return [float(v) for v in errors[0]], [float(v) for v in seconds[0]]

    def curves(self, many):
        """The same for a list of parameter dicts, in one call: arrays [n, 52] of errors and seconds."""
        rows = [[e] + [float(params[name]) for name in ORDER] for params in many for e in range(1, EPOCHS + 1)]
        x_cont = np.array(rows, dtype=np.float32)
        x_cat = np.full((len(rows), 1), self.code, dtype=np.int32)
        out = self.session.run(None, {"x_cat": x_cat, "x_cont": x_cont})[0].reshape(len(many), EPOCHS, -1)
        errors = np.clip(1 - out[:, :, 1] / 100.0, 0, 1)
        seconds = np.maximum.accumulate(np.maximum(out[:, :, 0], 1e-3), axis=1)
        return errors, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the directory of YAHPO Gym's lcbench files")
    parser.add_argument("--task", required=True, help="the OpenML task id (3945, 7593, ...)")
    args = parser.parse_args()
    surrogate = Surrogate(args.data, args.task)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            errors, seconds = surrogate.curve(json.loads(line))
            print(json.dumps({"valErrors": errors, "seconds": seconds}), flush=True)
        except (KeyError, ValueError, TypeError) as e:
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
