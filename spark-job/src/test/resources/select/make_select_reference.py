#!/usr/bin/python3
"""Reference for `gmm select`: scikit-learn's BIC over a (k, covariance type) grid.

Run from the project root with Debian's scikit-learn (python3-sklearn, 1.2.1):

    /usr/bin/python3 spark-job/src/test/resources/select/make_select_reference.py

For Old Faithful and iris (conf/examples) and every k in 1..6 and covariance type, it fits
GaussianMixture with its k-means start, n_init=10 (random_state=0), reg_covar=1e-6, tol=1e-3,
max_iter=100 and records each candidate's BIC and AIC and the candidate with the lowest BIC, in
select/NAME.json. It also runs R's mclust (r-cran-mclust 6.0.0, its defaults: hierarchical
agglomeration start, no prior) over the same grid, with VVV, EEE, VVI and VII for full, tied,
diag and spherical, through ../init/mclust_reference.R, and records its BIC in our sign (lower is
better: -2 logL + df log n). "best_known" is the candidate with the lowest BIC either found: what
`gmm select` with its defaults must choose.
"""
import json
import os
import subprocess
import sys

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


sys.path.insert(0, os.path.join(HERE, "..", "init"))
sys.dont_write_bytecode = True
from make_init_reference import MCLUST, mclust, mclust_version  # noqa: E402


def main():
    for name in ["faithful", "iris"]:
        x = read_numeric_csv(os.path.join(ROOT, "conf", "examples", name + ".csv"))
        theirs = mclust(x, list(KS), list(MCLUST.values()))
        candidates = []
        for k in KS:
            for t in TYPES:
                gm = GaussianMixture(n_components=k, covariance_type=t, n_init=N_INIT, random_state=0,
                                     reg_covar=1e-6, tol=1e-3, max_iter=100).fit(x)
                f = theirs[(k, MCLUST[t])]
                candidates.append({"k": k, "covariance_type": t, "bic": float(gm.bic(x)), "aic": float(gm.aic(x)),
                                   "mclust_bic": None if f is None else -f["bic"]})
        best = min(candidates, key=lambda c: c["bic"])
        known = min(candidates, key=lambda c: min(c["bic"], c["mclust_bic"] if c["mclust_bic"] is not None
                                                  else float("inf")))
        known_bic = min(known["bic"], known["mclust_bic"] if known["mclust_bic"] is not None else float("inf"))
        out = {"dataset": name, "sklearn_version": sklearn.__version__, "n_init": N_INIT, "ks": list(KS),
               "covariance_types": TYPES, "candidates": candidates,
               "best": {"k": best["k"], "covariance_type": best["covariance_type"], "bic": best["bic"]},
               "mclust_version": mclust_version(),
               "best_known": {"k": known["k"], "covariance_type": known["covariance_type"], "bic": known_bic}}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print(name, "scikit-learn:", out["best"], "best known:", out["best_known"])


if __name__ == "__main__":
    main()
