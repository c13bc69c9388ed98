#!/usr/bin/env python3
"""The exercise CNN in TensorFlow (Keras), timed as `hps bench-train` times the DL4J one: one JSON line per epoch.

    VENV/bin/python examples/benchmarks/cnn-speed/tf_cnn.py --nf 32 --bs 100 --epochs 3 --threads 2 --data-dir DIR

The same network as the DL4J trainer and cnn_torch.py, channels last as TensorFlow's CPU kernels (oneDNN) want
it: conv 5x5 (nf) + ReLU + max-pool 2, conv 5x5 (nf) + ReLU + max-pool 2, dropout 0.5 + dense 256 + ReLU,
dropout 0.5 + dense 10 (softmax in the loss); Glorot-uniform weights, zero biases; SGD, learning rate 0.05,
Nesterov momentum 0.9; trains on the first 5000 MNIST training images (shuffled each epoch), validates on the
last 10000 in batches of 1000. Prints {"epoch", "trainSeconds", "valSeconds", "seconds", "valError"} per epoch
and, last, {"maxRssKiB", "tensorflow"}. Exit 3 when TensorFlow is not installed (the caller says so and skips
it): it is not a Debian package; `pip install tensorflow-cpu` in a virtual environment.
"""
import json, os, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "worker", "python"))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "worker", "python", "examples"))
from peer import arguments, peak_rss_kib  # noqa: E402

try:
    import numpy as np
    import tensorflow as tf
except ImportError:
    print("TensorFlow is not installed for this Python (python3 -m venv VENV && VENV/bin/pip install"
          " tensorflow-cpu)", file=sys.stderr)
    sys.exit(3)


def mnist(data_dir):
    """MNIST's training images and labels as numpy arrays, read as cnn_torch.py reads them (without PyTorch)."""
    import cnn_torch  # the IDX reader; its PyTorch import may fail here, which only its training needs
    dims, pixels = cnn_torch.idx(data_dir, "train-images-idx3-ubyte")
    _, labels = cnn_torch.idx(data_dir, "train-labels-idx1-ubyte")
    return np.frombuffer(pixels, dtype=np.uint8).reshape(dims), np.frombuffer(labels, dtype=np.uint8)


def main():
    a = arguments(__doc__)
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.keras.utils.set_random_seed(1)
    pixels, digits = mnist(a.data_dir)
    images = pixels.astype(np.float32)[..., None] / 255
    labels = digits.astype(np.int64)
    x_train, y_train = images[:5000], labels[:5000]
    x_val, y_val = images[-10000:], labels[-10000:]
    glorot, zeros = "glorot_uniform", "zeros"
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        layers.Conv2D(a.nf, 5, activation="relu", kernel_initializer=glorot, bias_initializer=zeros),
        layers.MaxPooling2D(2),
        layers.Conv2D(a.nf, 5, activation="relu", kernel_initializer=glorot, bias_initializer=zeros),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(256, activation="relu", kernel_initializer=glorot, bias_initializer=zeros),
        layers.Dropout(0.5),
        layers.Dense(10, kernel_initializer=glorot, bias_initializer=zeros),
    ])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    start = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        began = time.perf_counter()
        model.fit(x_train, y_train, batch_size=a.bs, epochs=1, shuffle=True, verbose=0)
        trained = time.perf_counter()
        _, accuracy = model.evaluate(x_val, y_val, batch_size=1000, verbose=0)
        done = time.perf_counter()
        print(json.dumps({"epoch": epoch, "trainSeconds": trained - began, "valSeconds": done - trained,
                          "seconds": done - start, "valError": 1 - accuracy}), flush=True)
    print(json.dumps({"maxRssKiB": peak_rss_kib(), "tensorflow": tf.__version__}))


if __name__ == "__main__":
    main()
