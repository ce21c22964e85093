#!/usr/bin/python3
"""Reference for `gmm select`: scikit-learn's BIC over a (k, covariance type) grid.

Run from the project root with Debian's scikit-learn (python3-sklearn, 1.2.1):

    /usr/bin/python3 spark-job/src/test/resources/select/make_select_reference.py

For Old Faithful and iris (conf/examples) and every k in 1..6 and covariance type, it fits
GaussianMixture with its k-means start, n_init=10 (random_state=0), reg_covar=1e-6, tol=1e-3,
max_iter=100 (the defaults `gmm select --n-init 10` uses) and records each candidate's BIC and
AIC and the candidate with the lowest BIC, in select/NAME.json.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
KS = range(1, 7)
TYPES = ["full", "tied", "diag", "spherical"]
N_INIT = 10


def read_numeric_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]

    def number(s):
        try:
            float(s)
            return True
        except ValueError:
            return False

    keep = [j for j in range(len(header)) if all(number(r[j]) for r in rows)]
    return np.array([[float(r[j]) for j in keep] for r in rows])


def main():
    for name in ["faithful", "iris"]:
        x = read_numeric_csv(os.path.join(ROOT, "conf", "examples", name + ".csv"))
        candidates = []
        for k in KS:
            for t in TYPES:
                gm = GaussianMixture(n_components=k, covariance_type=t, n_init=N_INIT, random_state=0,
                                     reg_covar=1e-6, tol=1e-3, max_iter=100).fit(x)
                candidates.append({"k": k, "covariance_type": t, "bic": float(gm.bic(x)), "aic": float(gm.aic(x))})
        best = min(candidates, key=lambda c: c["bic"])
        out = {"dataset": name, "sklearn_version": sklearn.__version__, "n_init": N_INIT, "ks": list(KS),
               "covariance_types": TYPES, "candidates": candidates,
               "best": {"k": best["k"], "covariance_type": best["covariance_type"], "bic": best["bic"]}}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
