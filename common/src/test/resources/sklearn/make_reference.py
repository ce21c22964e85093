#!/usr/bin/python3
"""Reference values for the EM acceptance tests, computed with scikit-learn's GaussianMixture.

Run from the project root with Debian's scikit-learn (python3-sklearn, 1.2.1):

    /usr/bin/python3 common/src/test/resources/sklearn/make_reference.py

For each data set (iris 4-D, Old Faithful 2-D, a 10-D synthetic mixture) and each covariance type it
fixes a starting point (weights, means, covariances), runs GaussianMixture from exactly that start
(weights_init, means_init, precisions_init) with tol=0 and max_iter=20, and writes one JSON file per
data set holding the data, the starts and the fitted parameters in model.json's shapes, and the fitted
model's predict, predict_proba and score_samples on the data.
"""
import json
import os

import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

warnings.simplefilter("ignore", ConvergenceWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
MAX_ITER = 20
REG_COVAR = 1e-6


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


def synthetic_10d():
    rng = np.random.default_rng(20261122)
    d, sizes = 10, [250, 150, 100]
    parts = []
    for c, n in enumerate(sizes):
        mean = rng.normal(0.0, 3.0, size=d)
        a = rng.normal(0.0, 1.0, size=(d, d)) / np.sqrt(d)
        cov = a @ a.T + 0.3 * np.eye(d)
        parts.append(rng.multivariate_normal(mean, cov, size=n))
    x = np.vstack(parts)
    return ["f%d" % j for j in range(d)], x[rng.permutation(len(x))]


def start(x, k, cov_type, seed):
    """A fixed, deliberately imperfect start: data rows as means, unequal weights, shrunk data covariance."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    means = x[rng.choice(n, size=k, replace=False)]
    weights = np.arange(1, k + 1, dtype=float)
    weights /= weights.sum()
    data_cov = np.cov(x, rowvar=False, bias=True)
    if cov_type == "full":
        covs = np.array([data_cov * (0.5 + 0.25 * c) for c in range(k)])
        precisions = np.array([np.linalg.inv(c) for c in covs])
    elif cov_type == "tied":
        covs = data_cov * 0.5
        precisions = np.linalg.inv(covs)
    elif cov_type == "diag":
        covs = np.array([np.diag(data_cov) * (0.5 + 0.25 * c) for c in range(k)])
        precisions = 1.0 / covs
    else:
        covs = np.array([np.mean(np.diag(data_cov)) * (0.5 + 0.25 * c) for c in range(k)])
        precisions = 1.0 / covs
    return weights, means, covs, precisions


def main():
    sets = {
        "iris": (read_csv(os.path.join(ROOT, "conf", "examples", "iris.csv")), 3),
        "faithful": (read_csv(os.path.join(ROOT, "conf", "examples", "faithful.csv")), 2),
        "synthetic10": (synthetic_10d(), 3),
    }
    for name, ((features, x), k) in sets.items():
        cases = {}
        for i, cov_type in enumerate(["full", "tied", "diag", "spherical"]):
            weights, means, covs, precisions = start(x, k, cov_type, seed=100 + i)
            gm = GaussianMixture(n_components=k, covariance_type=cov_type, tol=0.0, max_iter=MAX_ITER,
                                 reg_covar=REG_COVAR, weights_init=weights, means_init=means,
                                 precisions_init=precisions, init_params="random_from_data", random_state=0)
            gm.fit(x)
            cases[cov_type] = {
                "init": {"weights": weights.tolist(), "means": means.tolist(), "covariances": covs.tolist()},
                "result": {"weights": gm.weights_.tolist(), "means": gm.means_.tolist(),
                           "covariances": gm.covariances_.tolist(), "n_iter": int(gm.n_iter_),
                           "lower_bound": float(gm.lower_bound_), "score": float(gm.score(x)),
                           "bic": float(gm.bic(x)), "aic": float(gm.aic(x))},
                # The fitted model applied to its training data: what `gmm predict` must reproduce.
                "predictions": {"predict": gm.predict(x).tolist(), "predict_proba": gm.predict_proba(x).tolist(),
                                "score_samples": gm.score_samples(x).tolist()},
            }
        out = {"dataset": name, "sklearn_version": sklearn.__version__, "max_iter": MAX_ITER, "tol": 0.0,
               "reg_covar": REG_COVAR, "n_components": k, "features": features, "data": x.tolist(),
               "cases": cases}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
