#!/usr/bin/env python3
"""A training script tuned by hps through the command trainer ("model": "command").

A small neural network (one hidden tanh layer, softmax output) learns to tell three interleaved spirals
apart, with plain SGD; Python's standard library only. hps runs it once per setting with the parameters
in its arguments (see space.json's "command") and reads one JSON line per epoch from $HPS_EPOCHS_FILE.
Run by hand it prints its epochs instead:

    python3 train.py --lr 0.1 --hidden 16 --epochs 5
"""
import argparse, json, math, os, random, sys, time


def spirals(n, rng):
    """n points on three noisy spirals in the plane, labelled 0, 1, 2."""
    points = []
    for i in range(n):
        label = i % 3
        r = (i // 3) / (n // 3) * 1.0 + 0.05
        angle = label * 2 * math.pi / 3 + r * 4 + rng.gauss(0, 0.25)
        points.append(((r * math.cos(angle), r * math.sin(angle)), label))
    rng.shuffle(points)
    return points


def forward(net, x):
    w1, b1, w2, b2 = net
    h = [math.tanh(b1[j] + w1[j][0] * x[0] + w1[j][1] * x[1]) for j in range(len(b1))]
    z = [b2[k] + sum(w2[k][j] * h[j] for j in range(len(h))) for k in range(3)]
    top = max(z)
    e = [math.exp(v - top) for v in z]
    s = sum(e)
    return h, [v / s for v in e]


def evaluate(net, data):
    loss, wrong = 0.0, 0
    for x, y in data:
        _, p = forward(net, x)
        loss -= math.log(max(p[y], 1e-12))
        wrong += max(range(3), key=lambda k: p[k]) != y
    return loss / len(data), wrong / len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lr", type=float, required=True, help="SGD learning rate")
    ap.add_argument("--hidden", type=int, default=16, help="hidden units")
    ap.add_argument("--epochs", type=int, default=int(os.environ.get("HPS_EPOCHS", "10")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("HPS_SEED", "0")))
    ap.add_argument("--epoch-seconds", type=float, default=0.0, help="sleep this long per epoch (for demos)")
    args = ap.parse_args()
    epochs_file = os.environ.get("HPS_EPOCHS_FILE")
    stop_file = os.environ.get("HPS_STOP_FILE")

    rng = random.Random(args.seed)
    data = spirals(600, rng)
    train, val = data[:400], data[400:]
    h = args.hidden
    scale = 1 / math.sqrt(2)
    net = ([[rng.gauss(0, scale) for _ in range(2)] for _ in range(h)], [0.0] * h,
           [[rng.gauss(0, 1 / math.sqrt(h)) for _ in range(h)] for _ in range(3)], [0.0] * 3)
    w1, b1, w2, b2 = net
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        total = 0.0
        for x, y in train:
            hid, p = forward(net, x)
            total -= math.log(max(p[y], 1e-300))
            dz = [p[k] - (1.0 if k == y else 0.0) for k in range(3)]
            dh = [sum(dz[k] * w2[k][j] for k in range(3)) * (1 - hid[j] ** 2) for j in range(h)]
            for k in range(3):
                for j in range(h):
                    w2[k][j] -= args.lr * dz[k] * hid[j]
                b2[k] -= args.lr * dz[k]
            for j in range(h):
                w1[j][0] -= args.lr * dh[j] * x[0]
                w1[j][1] -= args.lr * dh[j] * x[1]
                b1[j] -= args.lr * dh[j]
            if not math.isfinite(total):
                break
        time.sleep(args.epoch_seconds)
        val_loss, val_error = evaluate(net, val) if math.isfinite(total) else (float("nan"), 0.9)
        line = json.dumps({"epoch": epoch, "trainLoss": total / len(train), "valLoss": val_loss,
                           "valError": val_error, "accuracy": 1 - val_error, "weights": 6 * h + 3})
        if epochs_file:
            with open(epochs_file, "a") as f:  # one whole line per write: hps reads complete lines only
                f.write(line + "\n")
        else:
            print(line, flush=True)
        if not math.isfinite(total):
            return 0
        if stop_file and os.path.exists(stop_file):  # hps asks us to stop early: just end
            print(f"stop requested after epoch {epoch}", file=sys.stderr)
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
