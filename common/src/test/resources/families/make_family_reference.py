#!/usr/bin/python3
"""Reference values for the univariate families of spark-gmm's IndependentPart.

Run with Debian's python3-scipy:  /usr/bin/python3 make_family_reference.py > families.json

For every family: log densities from scipy.stats on a grid that includes the edges of the support,
and the weighted maximum-likelihood estimate on a weighted sample, found by scipy.optimize
(Nelder-Mead on the weighted log-likelihood, positive parameters in log space, from a rough start,
then polished to full precision by scipy.optimize.root on its central-difference gradient: a
minimiser of function values alone stops at about sqrt(machine epsilon) in the parameters). Uniform's estimate is the range of the rows with positive weight
(the likelihood is not smooth there); it is written from that definition.
"""
import json
import sys

import numpy as np
from scipy import optimize, special, stats

rng = np.random.default_rng(20261202)


def weighted_mle(negll, start):
    best = optimize.minimize(negll, start, method="Nelder-Mead",
                             options={"xatol": 1e-14, "fatol": 1e-16, "maxiter": 200000, "maxfev": 400000})
    # Restart from the optimum until it stops moving (Nelder-Mead can stall on a shrunken simplex).
    for _ in range(20):
        again = optimize.minimize(negll, best.x, method="Nelder-Mead",
                                  options={"xatol": 1e-14, "fatol": 1e-16, "maxiter": 200000, "maxfev": 400000})
        if np.max(np.abs(again.x - best.x)) < 1e-15 * max(1.0, np.max(np.abs(best.x))):
            best = again
            break
        best = again

    def gradient(theta):
        g = np.empty_like(theta)
        for i in range(theta.size):
            h = 1e-5 * max(1.0, abs(theta[i]))
            up = theta.copy()
            down = theta.copy()
            up[i] += h
            down[i] -= h
            g[i] = (negll(up) - negll(down)) / (2 * h)
        return g

    polished = optimize.root(gradient, best.x, method="hybr", tol=1e-15)
    return polished.x if polished.success else best.x


def family(name, params, grid, sample, logpdf, unpack, start):
    x = np.asarray(sample, dtype=float)
    w = rng.uniform(0.1, 3.0, size=x.size)
    w[rng.choice(x.size, size=5, replace=False)] = 0.0

    def negll(theta):
        return -np.sum(w * logpdf(x, unpack(theta)))

    mle = unpack(weighted_mle(negll, start(x, w)))
    return {
        "family": name,
        "parameters": list(map(float, params)),
        "grid": list(map(float, grid)),
        "log_density": [float(v) for v in logpdf(np.asarray(grid, dtype=float), params)],
        "sample": list(map(float, x)),
        "weights": list(map(float, w)),
        "mle": list(map(float, mle)),
    }


def wmean(x, w):
    return np.sum(w * x) / np.sum(w)


out = []
# normal: mean, variance
out.append(family(
    "normal", [5.0, 4.0], [-1e3, -3.0, 0.0, 4.999, 5.0, 7.5, 1e3],
    rng.normal(5.0, 2.0, 300),
    lambda x, p: stats.norm.logpdf(x, p[0], np.sqrt(p[1])),
    lambda t: [t[0], np.exp(t[1])],
    lambda x, w: [wmean(x, w), np.log(np.var(x))]))
# lognormal: meanlog, varlog
out.append(family(
    "lognormal", [0.4, 0.01], [1e-300, 1e-10, 0.5, 1.0, np.exp(0.4), 3.0, 1e6],
    rng.lognormal(0.4, 0.1, 300),
    lambda x, p: stats.lognorm.logpdf(x, np.sqrt(p[1]), scale=np.exp(p[0])),
    lambda t: [t[0], np.exp(t[1])],
    lambda x, w: [wmean(np.log(x), w), np.log(np.var(np.log(x)))]))
# exponential: rate
out.append(family(
    "exponential", [1.5], [0.0, 1e-300, 0.1, 1.0, 10.0, 700.0],
    rng.exponential(1 / 1.5, 300),
    lambda x, p: stats.expon.logpdf(x, scale=1.0 / p[0]),
    lambda t: [np.exp(t[0])],
    lambda x, w: [np.log(1.0 / wmean(x, w))]))
# gamma: shape, rate
out.append(family(
    "gamma", [2.5, 0.8], [1e-300, 1e-8, 0.5, 3.125, 10.0, 200.0],
    rng.gamma(2.5, 1 / 0.8, 300),
    lambda x, p: stats.gamma.logpdf(x, p[0], scale=1.0 / p[1]),
    lambda t: [np.exp(t[0]), np.exp(t[1])],
    lambda x, w: [np.log(2.0), np.log(2.0 / wmean(x, w))]))
# gamma with shape below 1 (density unbounded at 0)
out.append(family(
    "gamma", [0.6, 2.0], [1e-300, 1e-12, 0.01, 0.3, 5.0],
    rng.gamma(0.6, 1 / 2.0, 300),
    lambda x, p: stats.gamma.logpdf(x, p[0], scale=1.0 / p[1]),
    lambda t: [np.exp(t[0]), np.exp(t[1])],
    lambda x, w: [np.log(0.7), np.log(0.7 / wmean(x, w))]))
# poisson: lambda
out.append(family(
    "poisson", [3.2], [0, 1, 2, 3, 10, 50, 1000],
    rng.poisson(3.2, 300),
    lambda x, p: stats.poisson.logpmf(x, p[0]),
    lambda t: [np.exp(t[0])],
    lambda x, w: [np.log(wmean(x, w))]))
# bernoulli: p
out.append(family(
    "bernoulli", [0.3], [0, 1],
    rng.binomial(1, 0.3, 300),
    lambda x, p: stats.bernoulli.logpmf(x, p[0]),
    lambda t: [special.expit(t[0])],
    lambda x, w: [special.logit(wmean(x, w))]))
# categorical over codes 0..3
probs = np.array([0.1, 0.2, 0.3, 0.4])


def cat_logpmf(x, p):
    p = np.asarray(p)
    return np.log(p[np.asarray(x, dtype=int)])


def softmax4(t):
    z = np.concatenate([[0.0], t])
    e = np.exp(z - np.max(z))
    return list(e / e.sum())


out.append(family(
    "categorical", list(probs), [0, 1, 2, 3],
    rng.choice(4, size=300, p=probs),
    cat_logpmf, softmax4,
    lambda x, w: [0.0, 0.0, 0.0]))
# student t: location, scale, dof
out.append(family(
    "t", [1.0, 2.0, 4.0], [-1e6, -50.0, 0.0, 1.0, 3.0, 1e6],
    1.0 + 2.0 * rng.standard_t(4.0, 400),
    lambda x, p: stats.t.logpdf(x, p[2], loc=p[0], scale=p[1]),
    lambda t: [t[0], np.exp(t[1]), np.exp(t[2])],
    lambda x, w: [np.median(x), np.log(np.std(x) / 1.5), np.log(5.0)]))

# uniform: low, high; the MLE is the range of the positive-weight rows
x = rng.uniform(-2.0, 3.0, 300)
w = rng.uniform(0.1, 3.0, size=x.size)
w[[int(np.argmin(x)), int(np.argmax(x))]] = 0.0
grid = [-2.0, -1.0, 0.0, 3.0]
out.append({
    "family": "uniform", "parameters": [-2.0, 3.0], "grid": grid,
    "log_density": [float(v) for v in stats.uniform.logpdf(grid, -2.0, 5.0)],
    "sample": list(map(float, x)), "weights": list(map(float, w)),
    "mle": [float(np.min(x[w > 0])), float(np.max(x[w > 0]))],
})

json.dump({"generator": "make_family_reference.py", "scipy": __import__("scipy").__version__, "cases": out},
          sys.stdout, indent=1)
sys.stdout.write("\n")
