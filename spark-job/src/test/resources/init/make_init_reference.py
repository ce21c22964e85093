#!/usr/bin/python3
"""Reference values for the model-quality acceptance tests (InitializationIT), from scikit-learn and R's mclust.

Run from the project root with Debian's scikit-learn (python3-sklearn, 1.2.1) and mclust
(r-cran-mclust, 6.0.0):

    /usr/bin/python3 spark-job/src/test/resources/init/make_init_reference.py

For iris (k=3), Old Faithful (k=2), scikit-learn's wine (k=3), breast-cancer (k=2) and digits
(k=10) data and a 10-D synthetic mixture with k=8 it fits scikit-learn's GaussianMixture with its
k-means start and the best of 10 starts (n_init=10, default tol and reg_covar), for every
covariance type, and records the final mean log-likelihood (score); our default fit must reach it
minus 1e-3. It also runs mclust's Mclust with its defaults (hierarchical agglomeration start, no
prior) for the same k and the models VVV, EEE, VVI and VII (full, tied, diag, spherical) through
mclust_reference.R, and records its log-likelihood per row, or null where mclust fits nothing. The
data go into the JSON too, so the tests and this script see the very same rows.
"""
import json
import os
import subprocess
import tempfile

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
TYPES = ["full", "tied", "diag", "spherical"]
MCLUST = {"full": "VVV", "tied": "EEE", "diag": "VVI", "spherical": "VII"}


def mclust(x, ks, models):
    """{(k, model): row of mclust_reference.R's output} for data x."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.csv")
        np.savetxt(path, x, delimiter=",", header=",".join("f%d" % j for j in range(x.shape[1])), comments="",
                   fmt="%.17g")
        out = subprocess.run(["Rscript", os.path.join(HERE, "mclust_reference.R"), path,
                              ",".join(str(k) for k in ks), ",".join(models)],
                             check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.strip().splitlines()[1:]:
        g, model, loglik, bic, df, n = line.split(",")
        rows[(int(g), model)] = None if loglik == "NA" else {"loglik": float(loglik), "bic": float(bic),
                                                            "df": int(df), "n": int(n)}
    return rows


def sklearn_set(loader):
    data = loader()
    return ["f%d" % j for j in range(data.data.shape[1])], np.asarray(data.data, dtype=float)


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


def mclust_version():
    return subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('mclust')))"], check=True,
                          capture_output=True, text=True).stdout.strip()


def main():
    sets = {
        "iris": (read_csv(os.path.join(ROOT, "conf", "examples", "iris.csv")), 3),
        "faithful": (read_csv(os.path.join(ROOT, "conf", "examples", "faithful.csv")), 2),
        "synthetic10k8": (synthetic_10d_k8(), 8),
        "wine": (sklearn_set(load_wine), 3),
        "breast_cancer": (sklearn_set(load_breast_cancer), 2),
        "digits": (sklearn_set(load_digits), 10),
    }
    for name, ((features, x), k) in sets.items():
        best = {}
        for cov_type in TYPES:
            gm = GaussianMixture(n_components=k, covariance_type=cov_type, n_init=10, init_params="kmeans",
                                 random_state=0).fit(x)
            best[cov_type] = {"score": float(gm.score(x)), "converged": bool(gm.converged_),
                              "n_iter": int(gm.n_iter_)}
        fits = mclust(x, [k], list(MCLUST.values()))
        theirs = {}
        for cov_type, model in MCLUST.items():
            f = fits[(k, model)]
            theirs[cov_type] = None if f is None else {"model": model, "mean_log_likelihood": f["loglik"] / len(x),
                                                       "bic": f["bic"]}
        out = {"dataset": name, "sklearn_version": sklearn.__version__, "n_components": k, "n_init": 10,
               "init_params": "kmeans", "tol": 1e-3, "reg_covar": 1e-6, "features": features,
               "best_of_10": best, "mclust_version": mclust_version(), "mclust": theirs, "data": x.tolist()}
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print(name, {t: round(v["score"], 6) for t, v in best.items()},
              {t: None if v is None else round(v["mean_log_likelihood"], 6) for t, v in theirs.items()})


if __name__ == "__main__":
    main()
