#!/usr/bin/env python3
"""The exercise CNN in PyTorch, timed as `hps bench-train` times the DL4J one: one JSON line per epoch.

    python3 examples/benchmarks/cnn-speed/torch_cnn.py --nf 32 --bs 100 --epochs 3 --threads 2 --data-dir DIR

It trains worker/python/examples/cnn_torch.py's network (same architecture, Glorot init, Nesterov momentum,
dropout, data split: train on the first 5000 MNIST training images, validate on the last 10000), prints
{"epoch", "trainSeconds", "valSeconds", "seconds", "valError"} per epoch and, last, {"maxRssKiB", "torch"}.
Exit 3 when PyTorch is not installed (the caller says so and skips it).
"""
import json, os, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "worker", "python"))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "worker", "python", "examples"))
try:
    import torch  # noqa: F401
except ImportError:
    print("PyTorch is not installed here (Debian: apt-get install python3-torch)", file=sys.stderr)
    sys.exit(3)
import cnn_torch  # noqa: E402
from peer import arguments, peak_rss_kib  # noqa: E402


class Trial:
    def __init__(self, threads, data_dir):
        self.threads, self.device, self.data_dir = threads, "cpu", data_dir


def main():
    a = arguments(__doc__)
    start = time.perf_counter()

    def report(epoch, train_loss, val_loss, val_error, train_seconds, val_seconds):
        print(json.dumps({"epoch": epoch, "trainSeconds": train_seconds, "valSeconds": val_seconds,
                          "seconds": time.perf_counter() - start, "valError": val_error}), flush=True)
        return True

    cnn_torch.train({"nf": a.nf, "bs": a.bs, "epochs": a.epochs, "lr": 0.05, "m": 0.9, "seed": 1}, report,
                    Trial(a.threads, a.data_dir))
    print(json.dumps({"maxRssKiB": peak_rss_kib(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
