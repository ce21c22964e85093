"""Reference for the missing-values tests: one Gaussian, a monotone missingness pattern, and the
closed-form maximum-likelihood estimate (Anderson, 1957) computed by sequential regressions.

Run with numpy (Debian's python3-numpy): python3 make_monotone_reference.py > monotone.json

Features x0, x1 are always observed; x2 is observed in a random 80% of the rows; x3 in a random
75% of those (so every row observing x3 observes x2: monotone). The ML estimate factorises:
(mu, Sigma) of the always-observed block from all rows; each later block from its regression on
all earlier features, fitted on the rows that observe it (least squares with intercept, residual
variance divided by the row count), then mapped back to a mean and a joint covariance.
"""
import json
import numpy as np

rng = np.random.default_rng(20261202)
n = 600
mean = np.array([1.0, -2.0, 0.5, 3.0])
a = rng.normal(size=(4, 4))
cov = a @ a.T + 0.5 * np.eye(4)
x = rng.multivariate_normal(mean, cov, size=n)

observed = np.ones((n, 4), dtype=bool)
has2 = rng.random(n) < 0.8
has3 = has2 & (rng.random(n) < 0.75)
observed[:, 2] = has2
observed[:, 3] = has3

# Level 0: x0, x1 from every row.
levels = [([0, 1], np.ones(n, dtype=bool)), ([2], has2), ([3], has3)]
first, rows = levels[0]
mu = x[rows][:, first].mean(axis=0)
sigma = np.cov(x[rows][:, first].T, bias=True)
known = list(first)
for block, rows in levels[1:]:
    xa = x[rows][:, known]
    xb = x[rows][:, block]
    ma = xa.mean(axis=0)
    mb = xb.mean(axis=0)
    saa = np.cov(xa.T, bias=True).reshape(len(known), len(known))
    sab = ((xa - ma).T @ (xb - mb)) / rows.sum()
    sbb = ((xb - mb).T @ (xb - mb)) / rows.sum()
    beta = np.linalg.solve(saa, sab)          # len(known) x len(block)
    resid = sbb - sab.T @ beta                # residual covariance
    mu_b = mb + beta.T @ (mu - ma)
    s_ab = sigma @ beta                       # Cov(known, block)
    s_bb = resid + beta.T @ sigma @ beta
    mu = np.concatenate([mu, mu_b])
    sigma = np.block([[sigma, s_ab], [s_ab.T, s_bb]])
    known += block

data = [[None if not observed[i, j] else float(x[i, j]) for j in range(4)] for i in range(n)]
print(json.dumps({
    "description": "one Gaussian, monotone missingness (x0,x1 always; x2 80%; x3 75% of those); "
                   "mean and covariance: Anderson's closed-form ML estimate",
    "features": ["x0", "x1", "x2", "x3"],
    "rows": data,
    "mean": mu.tolist(),
    "covariance": sigma.tolist(),
}, indent=1))
