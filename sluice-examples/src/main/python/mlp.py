#!/usr/bin/env python3
"""Trains a small neural network on the penguin features with Python's standard library only.

A multilayer perceptron: the features, one hidden layer of tanh units, a softmax over the
species; trained by minibatch gradient descent with momentum on the cross-entropy, with a little
L2 weight decay. It writes the model file of the ensemble pipeline, a zip archive holding
  model.json           the weights and what they mean (feature names, classes)
  predictions.csv      id,p_<class>,... for every row of the test split
  training.properties  which model, where and when it was trained, the SHA-256 of the features
the same layout as the Java trainers (see ModelFile.java). The FitNeuralNet task runs it:

  python3 mlp.py --features penguin_pipeline/features.csv --output model.zip [--hidden 16]
      [--epochs 200] [--learning-rate 0.05] [--seed 42]
"""

import argparse
import csv
import hashlib
import io
import json
import math
import os
import random
import sys
import time
import zipfile

LEADING_COLUMNS = ["id", "species", "split"]


def read_features(path):
    """The feature names and the rows (id, species, split, values) of a features file."""
    with open(path, newline="", encoding="utf-8") as f:
        records = [r for r in csv.reader(f) if r]
    header = records[0]
    if header[:3] != LEADING_COLUMNS:
        raise SystemExit(f"{path} must start with the columns {LEADING_COLUMNS}, not {header}")
    rows = [(r[0], r[1], r[2], [float(v) for v in r[3:]]) for r in records[1:]]
    return header[3:], rows


class Mlp:
    """inputs -> tanh hidden layer -> softmax over the classes."""

    def __init__(self, inputs, hidden, classes, rng):
        def glorot(rows, cols):
            bound = math.sqrt(6.0 / (rows + cols))
            return [[rng.uniform(-bound, bound) for _ in range(cols)] for _ in range(rows)]

        self.w1 = glorot(hidden, inputs)
        self.b1 = [0.0] * hidden
        self.w2 = glorot(classes, hidden)
        self.b2 = [0.0] * classes

    def forward(self, x):
        h = [math.tanh(sum(w * v for w, v in zip(row, x)) + b) for row, b in zip(self.w1, self.b1)]
        z = [sum(w * v for w, v in zip(row, h)) + b for row, b in zip(self.w2, self.b2)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return h, [v / total for v in e]

    def train(self, xs, ys, epochs, rate, rng, batch=16, momentum=0.9, decay=1e-4, log=print):
        params = [self.w1, self.w2]
        velocity_w = [[[0.0] * len(r) for r in m] for m in params]
        velocity_b = [[0.0] * len(self.b1), [0.0] * len(self.b2)]
        order = list(range(len(xs)))
        for epoch in range(1, epochs + 1):
            rng.shuffle(order)
            loss = 0.0
            for start in range(0, len(order), batch):
                chunk = order[start:start + batch]
                g_w1 = [[0.0] * len(r) for r in self.w1]
                g_b1 = [0.0] * len(self.b1)
                g_w2 = [[0.0] * len(r) for r in self.w2]
                g_b2 = [0.0] * len(self.b2)
                for i in chunk:
                    x, y = xs[i], ys[i]
                    h, p = self.forward(x)
                    loss -= math.log(max(p[y], 1e-12))
                    d2 = [pk - (1.0 if k == y else 0.0) for k, pk in enumerate(p)]
                    for k, dk in enumerate(d2):
                        row = g_w2[k]
                        for j, hj in enumerate(h):
                            row[j] += dk * hj
                        g_b2[k] += dk
                    d1 = [(1.0 - hj * hj) * sum(self.w2[k][j] * d2[k] for k in range(len(d2)))
                          for j, hj in enumerate(h)]
                    for j, dj in enumerate(d1):
                        row = g_w1[j]
                        for n, xn in enumerate(x):
                            row[n] += dj * xn
                        g_b1[j] += dj
                scale = 1.0 / len(chunk)
                for m, g, v in ((self.w1, g_w1, velocity_w[0]), (self.w2, g_w2, velocity_w[1])):
                    for row, grow, vrow in zip(m, g, v):
                        for j in range(len(row)):
                            vrow[j] = momentum * vrow[j] - rate * (grow[j] * scale + decay * row[j])
                            row[j] += vrow[j]
                for b, g, v in ((self.b1, g_b1, velocity_b[0]), (self.b2, g_b2, velocity_b[1])):
                    for j in range(len(b)):
                        v[j] = momentum * v[j] - rate * g[j] * scale
                        b[j] += v[j]
            if epoch == 1 or epoch % 50 == 0 or epoch == epochs:
                log(f"epoch {epoch}/{epochs}: mean cross-entropy {loss / len(xs):.4f}")


def properties(facts):
    """training.properties, as java.util.Properties reads it."""
    def escape(value):
        return str(value).replace("\\", "\\\\").replace("\n", "\\n")
    return "".join(f"{key}={escape(value)}\n" for key, value in facts.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    started_ms = int(time.time() * 1000)

    names, rows = read_features(args.features)
    with open(args.features, "rb") as f:
        features_sha256 = hashlib.sha256(f.read()).hexdigest()
    train = [r for r in rows if r[2] == "train"]
    test = [r for r in rows if r[2] == "test"]
    classes = sorted({r[1] for r in train})
    rng = random.Random(args.seed)
    model = Mlp(len(names), args.hidden, len(classes), rng)
    training_started = int(time.time() * 1000)
    model.train([r[3] for r in train], [classes.index(r[1]) for r in train], args.epochs, args.learning_rate, rng,
                log=lambda line: print(line, flush=True))
    training_finished = int(time.time() * 1000)

    predictions = io.StringIO()
    out = csv.writer(predictions, lineterminator="\n")
    out.writerow(["id"] + ["p_" + c for c in classes])
    for row in test:
        out.writerow([row[0]] + [repr(p) for p in model.forward(row[3])[1]])
    trainer = (f"MLP(inputs={len(names)}, hidden={args.hidden} tanh, outputs={len(classes)} softmax, "
               f"epochs={args.epochs}, learning_rate={args.learning_rate}, momentum=0.9, batch=16, seed={args.seed})")
    facts = {
        "model": "neural_net",
        "tier": os.environ.get("SLUICE_TIER", "local"),
        "run_id": os.environ.get("SLUICE_RUN_ID", ""),
        "commit": os.environ.get("SLUICE_COMMIT", ""),
        "process_started_ms": os.environ.get("PROCESS_STARTED_MS", str(started_ms)),
        "features_sha256": features_sha256,
        "trainer": trainer + " in Python " + sys.version.split()[0],
        "train_examples": len(train),
        "test_examples": len(test),
        "training_started_ms": training_started,
        "training_finished_ms": training_finished,
    }
    weights = {"features": names, "classes": classes, "hidden_activation": "tanh", "output": "softmax",
               "w1": model.w1, "b1": model.b1, "w2": model.w2, "b2": model.b2}
    with zipfile.ZipFile(args.output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(weights, indent=1))
        archive.writestr("predictions.csv", predictions.getvalue())
        archive.writestr("training.properties", properties(facts))
    print(f"Trained {trainer} in {training_finished - training_started} ms on {len(train)} examples", flush=True)


if __name__ == "__main__":
    main()
