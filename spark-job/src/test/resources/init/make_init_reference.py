#!/usr/bin/python3
"""Reference values for the initialisation acceptance tests (InitializationIT), from scikit-learn.

Run from the project root with Debian's scikit-learn (python3-sklearn, 1.2.1):

    /usr/bin/python3 spark-job/src/test/resources/init/make_init_reference.py

For iris (k=3), Old Faithful (k=2) and a 10-D synthetic mixture with k=8 it fits scikit-learn's
GaussianMixture with its k-means start and the best of 10 starts (n_init=10, default tol and
reg_covar), for every covariance type, and records the final mean log-likelihood (score). Our
default start, a single one, must reach that score minus 1e-3. The data go into the JSON too, so the
test and this script see the very same rows.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
TYPES = ["full", "tied", "diag", "spherical"]


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    numeric = [j for j, _ in enumerate(header) if all(_is_number(r[j]) for r in rows)]
    return [header[j] for j in numeric], np.array([[float(r[j]) for j in numeric] for r in rows])


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def synthetic_10d_k8():
    """8 Gaussian components in 10-D with random covariances and unequal sizes, moderately separated."""
    rng = np.random.default_rng(3)
    d, sizes = 10, [400, 300, 250, 250, 200, 200, 150, 100]
    parts = []
    for n in sizes:
        mean = rng.normal(0.0, 2.5, size=d)
        a = rng.normal(0.0, 1.0, size=(d, d)) / np.sqrt(d)
        cov = a @ a.T + 0.2 * np.eye(d)
        parts.append(rng.multivariate_normal(mean, cov, size=n))
    x = np.vstack(parts)
    return ["f%d" % j for j in range(d)], np.round(x[rng.permutation(len(x))], 6)


def main():
    sets = {
        "iris": (read_csv(os.path.join(ROOT, "conf", "examples", "iris.csv")), 3),
        "faithful": (read_csv(os.path.join(ROOT, "conf", "examples", "faithful.csv")), 2),
        "synthetic10k8": (synthetic_10d_k8(), 8),
    }
    for name, ((features, x), k) in sets.items():
        best = {}
        for cov_type in TYPES:
            gm = GaussianMixture(n_components=k, covariance_type=cov_type, n_init=10, init_params="kmeans",
                                 random_state=0).fit(x)
            best[cov_type] = {"score": float(gm.score(x)), "converged": bool(gm.converged_),
                              "n_iter": int(gm.n_iter_)}
        out = {"dataset": name, "sklearn_version": sklearn.__version__, "n_components": k, "n_init": 10,
               "init_params": "kmeans", "tol": 1e-3, "reg_covar": 1e-6, "features": features,
               "best_of_10": best, "data": x.tolist()}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print(name, {t: round(v["score"], 6) for t, v in best.items()})


if __name__ == "__main__":
    main()
