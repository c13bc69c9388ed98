#!/usr/bin/env python3
"""The exercise CNN in PyTorch, as an hps worker: `model: "cnn"` with the same architecture, initial
weights' distribution, Nesterov momentum (as Lasagne), data split and parameters as the DL4J trainer.

    python3 worker/python/examples/cnn_torch.py --study runs/s1-torch [--device cuda] [--threads 2]
    python3 worker/python/examples/cnn_torch.py --check      # can this Python train? (PyTorch, MNIST)

Architecture: 28x28 input, conv 5x5 (nf) + ReLU + max-pool 2, conv 5x5 (nf) + ReLU + max-pool 2,
dropout(p) + dense 256 + ReLU, dropout(p) + dense 10 + softmax; Glorot-uniform weights, zero biases;
SGD with momentum m (Nesterov by default, "momentum": "classic" for plain), learning rate lr, batch
size bs; trains on the first trainSize (5000) MNIST training images, validates on the last valSize
(10000). MNIST is read from the IDX files in --data-dir (default $HPS_DATA_DIR/mnist or ~/.hps/data/mnist),
the files the Java worker uses (`./hps data fetch`), gzipped or not. Without PyTorch or MNIST it refuses to
start (exit 2, saying why) instead of claiming settings it cannot train.
"""
import gzip
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import hps_worker  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError as missing:  # main() refuses to start and says why; the module still imports for its tests
    torch, TORCH_MISSING = None, missing

_cache = {}


def idx(data_dir, name):
    """An IDX file (plain or .gz) as (dims, bytes)."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(data_dir, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            magic, = struct.unpack(">I", data[:4])
            dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
            return dims, data[4 + 4 * len(dims):]
    raise FileNotFoundError(f"no {name}[.gz] in {data_dir}: run `./hps data fetch` (or give --data-dir)")


def mnist(data_dir):
    if data_dir not in _cache:
        dims, pixels = idx(data_dir, "train-images-idx3-ubyte")
        _, labels = idx(data_dir, "train-labels-idx1-ubyte")
        images = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(dims[0], 1, 28, 28).float() / 255
        _cache[data_dir] = (images, torch.frombuffer(bytearray(labels), dtype=torch.uint8).long())
    return _cache[data_dir]


class Cnn(torch.nn.Module if torch else object):
    def __init__(self, nf, dropout):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, nf, 5)
        self.conv2 = torch.nn.Conv2d(nf, nf, 5)
        self.dense = torch.nn.Linear(nf * 4 * 4, 256)
        self.out = torch.nn.Linear(256, 10)
        self.dropout = dropout
        for layer in (self.conv1, self.conv2, self.dense, self.out):
            # Glorot uniform as Lasagne and the DL4J trainer: fan in/out include the receptive field.
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.dropout(x.flatten(1), self.dropout, self.training)
        x = F.dropout(F.relu(self.dense(x)), self.dropout, self.training)
        return self.out(x)


# What it reads, with the exercise's defaults: the same names, ranges and defaults as the DL4J trainer's.
PARAMETERS = {
    "nf": hps_worker.integer(1, 4096, default=32),
    "lr": hps_worker.real(0, None, default=0.05, above=True),
    "m": hps_worker.real(0, 1, default=0.9),
    "bs": hps_worker.integer(1, 60000, default=100),
    "dropout": hps_worker.real(0, 1, default=0.5, below=True),
    "momentum": hps_worker.choice("nesterov", "classic", default="nesterov"),
    "trainSize": hps_worker.integer(1, 60000, default=5000),
    "valSize": hps_worker.integer(1, 60000, default=10000),
}


def train(params, report, trial):
    if params.get("model", "cnn") != "cnn":
        raise ValueError(f"this worker trains model \"cnn\" only, not {params.get('model')!r}")
    p = hps_worker.params.with_defaults(PARAMETERS, params)  # the worker did this already; direct callers too
    p.setdefault("seed", 42)
    if trial.threads > 0:
        torch.set_num_threads(trial.threads)
    device = torch.device(trial.device)
    images, labels = mnist(trial.data_dir)
    train_size, val_size = int(p["trainSize"]), int(p["valSize"])
    if train_size < 1 or val_size < 1 or train_size + val_size > len(labels):
        raise ValueError(f"trainSize {train_size} + valSize {val_size} must be at most the {len(labels)} images")
    x_train, y_train = images[:train_size].to(device), labels[:train_size].to(device)
    x_val, y_val = images[-val_size:].to(device), labels[-val_size:].to(device)
    torch.manual_seed(int(p["seed"]))
    net = Cnn(int(p["nf"]), float(p["dropout"])).to(device)
    m = float(p["m"])
    nesterov = p["momentum"] == "nesterov" and m > 0
    optimizer = torch.optim.SGD(net.parameters(), lr=float(p["lr"]), momentum=m, nesterov=nesterov)
    generator = torch.Generator().manual_seed(int(p["seed"]))
    bs = int(p["bs"])
    for epoch in range(1, int(p["epochs"]) + 1):
        started = time.perf_counter()
        net.train()
        order = torch.randperm(train_size, generator=generator).to(device)
        total, batches = 0.0, 0
        for i in range(0, train_size, bs):
            pick = order[i:i + bs]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(x_train[pick]), y_train[pick])
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
            if loss.item() != loss.item() or abs(loss.item()) == float("inf"):
                break
        trained = time.perf_counter()
        train_loss = total / batches
        net.eval()
        val_loss, wrong = 0.0, 0
        if train_loss == train_loss and abs(train_loss) != float("inf"):
            with torch.no_grad():
                for i in range(0, val_size, 1000):
                    out = net(x_val[i:i + 1000])
                    val_loss += F.cross_entropy(out, y_val[i:i + 1000], reduction="sum").item()
                    wrong += (out.argmax(1) != y_val[i:i + 1000]).sum().item()
            val_loss, val_error = val_loss / val_size, wrong / val_size
        else:
            val_loss = val_error = float("nan")
        if not report(epoch=epoch, train_loss=train_loss, val_loss=val_loss, val_error=val_error,
                      train_seconds=trained - started, val_seconds=time.perf_counter() - trained):
            break
    return {"framework": "pytorch", "frameworkVersion": torch.__version__, "device": str(device),
            "numFreeParameters": sum(t.numel() for t in net.parameters()), "trainExamples": train_size,
            "valExamples": val_size, "threads": torch.get_num_threads()}


def cannot_train(data_dir):
    """Why this Python cannot train the CNN (no PyTorch, no MNIST), or None."""
    if torch is None:
        return (f"PyTorch is not importable by {sys.executable} ({TORCH_MISSING}); on Debian/Ubuntu "
                f"`sudo apt-get install python3-torch` gives it to /usr/bin/python3 (run this script with that one)")
    missing = [n for n in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
               if not any(os.path.exists(os.path.join(data_dir, n + ext)) for ext in ("", ".gz"))]
    if missing:
        return (f"no MNIST in {data_dir} (missing {', '.join(missing)}): run `./hps data fetch` (or give --data-dir)")
    return None


def main(argv=None):
    p = hps_worker.parser("The exercise CNN in PyTorch as an hps worker: trains the study's model \"cnn\" settings.",
                          study_required=False)
    p.add_argument("--check", action="store_true", help="only check that this Python can train (PyTorch, MNIST): "
                   "exit 0, or 2 saying why not")
    args = p.parse_args(argv)
    problem = cannot_train(args.data_dir or hps_worker.worker.default_data_dir())
    if problem:
        print(f"cnn_torch.py: cannot train, so not starting: {problem}", file=sys.stderr)
        return 2
    if args.check and not args.check_space:
        print(f"cnn_torch.py: ready (PyTorch {torch.__version__}, {sys.executable})")
        return 0
    return hps_worker.run(train, args=args, parameters=PARAMETERS)


if __name__ == "__main__":
    sys.exit(main())
