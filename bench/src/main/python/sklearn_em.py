#!/usr/bin/env python3
"""Times scikit-learn's GaussianMixture per EM iteration, for bench/run.

Reads n x d float64 rows (row-major, little-endian) from --data and the starting parameters from
--start (JSON: covariance_type, weights, means, covariances in scikit-learn's shapes), runs
--iterations EM iterations with tol=0 from exactly that start, and prints one JSON object:
the seconds of every iteration (from the end of the initialisation, then from the end of one M-step
to the end of the next: an E-step, an M-step and the lower bound), n_iter_, lower_bound_, the BLAS
thread count it ran with and, with --predict, the seconds of predict_proba and its argmax over
all rows and of sample() drawing as many rows from the fitted model.
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def precisions(covariance_type, covariances):
    if covariance_type == "full":
        return np.array([np.linalg.inv(c) for c in covariances])
    if covariance_type == "tied":
        return np.linalg.inv(covariances)
    return 1.0 / covariances


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--start", required=True)
    p.add_argument("--iterations", type=int, required=True)
    p.add_argument("--reg-covar", type=float, default=1e-6)
    p.add_argument("--predict", action="store_true")
    a = p.parse_args()

    x = np.fromfile(a.data, dtype="<f8")
    if x.size != a.rows * a.features:
        sys.exit(f"sklearn_em: {a.data} holds {x.size} values, expected {a.rows} x {a.features}")
    x = x.reshape(a.rows, a.features)
    with open(a.start) as f:
        start = json.load(f)
    kind = start["covariance_type"]
    covariances = np.array(start["covariances"], dtype=float)
    gm = GaussianMixture(n_components=len(start["weights"]), covariance_type=kind, max_iter=a.iterations,
                         tol=0.0, reg_covar=a.reg_covar, init_params="random", random_state=0,
                         weights_init=np.array(start["weights"]), means_init=np.array(start["means"]),
                         precisions_init=precisions(kind, covariances))
    stamps = []
    m_step = gm._m_step
    initialize = gm._initialize_parameters

    def timed_initialize(xs, random_state):
        initialize(xs, random_state)
        stamps.append(time.perf_counter())

    def timed_m_step(xs, log_resp):
        m_step(xs, log_resp)
        stamps.append(time.perf_counter())

    gm._m_step = timed_m_step
    gm._initialize_parameters = timed_initialize
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)
    result = {
        "iteration_seconds": [b - a for a, b in zip(stamps, stamps[1:])],
        "n_iter": int(gm.n_iter_),
        "lower_bound": float(gm.lower_bound_),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    if a.predict:
        t0 = time.perf_counter()
        labels = gm.predict_proba(x).argmax(axis=1)
        result["predict_seconds"] = time.perf_counter() - t0
        result["predicted_rows"] = int(labels.size)
        t0 = time.perf_counter()
        drawn, _ = gm.sample(a.rows)
        result["sample_seconds"] = time.perf_counter() - t0
        result["sampled_rows"] = int(drawn.shape[0])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
