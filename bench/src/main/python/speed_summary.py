#!/usr/bin/env python3
"""Summarises one bench/run directory: medians and ranges over the runs, and the issue's targets.

Reads DIR/n{n}-run{r}-{system}.json (one fresh JVM or process each) and DIR/run{r}-dgemm.json, and
writes DIR/summary.md and DIR/summary.json. Per run, a system's figure is the median of its
iterations after the first two; a ratio is taken within a run (theirs / ours, same run number), and
every figure is then given as the median over the runs with its range.
"""
import glob
import json
import os
import re
import statistics
import sys

SYSTEMS = ("spark-gmm", "mllib", "sklearn")
LABELS = {"spark-gmm": "spark-gmm", "mllib": "Spark MLlib", "sklearn": "scikit-learn"}


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def fmt(s, pattern="%.3f", suffix=""):
    if s is None:
        return "–"
    if s["runs"] == 1:
        return (pattern % s["median"]) + suffix
    return "%s%s (%s-%s)" % (pattern % s["median"], suffix, pattern % s["min"], pattern % s["max"])


def main():
    d = sys.argv[1]
    runs = {}
    for path in glob.glob(os.path.join(d, "n*-run*-*.json")):
        m = re.match(r"n(\d+)-run(\d+)-(.+)\.json$", os.path.basename(path))
        runs.setdefault(int(m.group(1)), {}).setdefault(int(m.group(2)), {})[m.group(3)] = json.load(open(path))
    dgemm = {}
    for path in glob.glob(os.path.join(d, "run*-dgemm.json")):
        dgemm[int(re.match(r"run(\d+)-dgemm", os.path.basename(path)).group(1))] = json.load(open(path))
    if not runs:
        sys.exit("speed_summary: no n*-run*-*.json in " + d)
    any_run = next(iter(next(iter(runs.values())).values())).get("spark-gmm") or \
        next(iter(next(iter(runs.values())).values()))
    rate = spread([g["dgemm_gflops"] for g in dgemm.values()])
    summary = {"cpu": any_run["cpu"], "blas": any_run["blas"], "cores": any_run.get("cores"),
               "dgemm_gflops": rate, "rows": []}
    lines = ["# bench/run: %s" % os.path.basename(os.path.normpath(d)), "",
             "CPU: %s; %s cores; BLAS: %s; %s; DGEMM 1024^3 on two threads: %s GFLOP/s (one JVM per run)."
             % (any_run["cpu"], any_run.get("cores"), any_run["blas"], any_run["jvm"], fmt(rate, "%.1f")), "",
             "Every fit is the first in a fresh JVM (scikit-learn: a fresh Python process), no warm-up; per run, the"
             " median seconds of the iterations after the first two; below, the median over the runs (range)."
             " Spark MLlib's figure is its iteration jobs alone. Predict: labels and probabilities of every row"
             " (spark-gmm and MLlib: their transform into Spark's noop sink; scikit-learn: predict_proba); sample: n rows"
             " drawn from the fitted model (spark-gmm: the sampler of gmm sample, into the noop sink; scikit-learn:"
             " sample(); MLlib has none); the cached table alone: the same cached rows written to the noop sink with no"
             " model, the floor under any Spark transform of them.", "",
             "| rows | spark-gmm s/iter | Spark MLlib s/iter | scikit-learn s/iter | vs MLlib | vs sklearn"
             " | GFLOP/s | of DGEMM | runs |",
             "|---|---|---|---|---|---|---|---|---|"]
    apply_lines = ["", "| rows | predict rows/s: spark-gmm | Spark MLlib | scikit-learn | vs MLlib | vs sklearn"
                   " | sample rows/s: spark-gmm | scikit-learn | the cached table alone, rows/s |",
                   "|---|---|---|---|---|---|---|---|---|"]
    for n in sorted(runs):
        by_run = runs[n]
        first = next(iter(by_run.values()))
        ref = first.get("spark-gmm") or next(iter(first.values()))
        dd, k, kind = ref["d"], ref["k"], ref["covariance"]
        flops = 4.0 * n * k * dd * (dd if kind in ("full", "tied") else 1)
        row = {"n": n, "d": dd, "k": k, "covariance": kind, "flops_per_iteration": flops}
        for s in SYSTEMS:
            row[s] = spread([r[s]["median_after_two"] for r in by_run.values() if s in r])
            for what in ("predict", "sample", "scan"):
                row["%s_%s_rows_per_second" % (s, what)] = spread(
                    [r[s].get(what + "_rows_per_second") for r in by_run.values() if s in r])
        for s in ("mllib", "sklearn"):
            row["vs_" + s] = spread([r[s]["median_after_two"] / r["spark-gmm"]["median_after_two"]
                                     for r in by_run.values() if s in r and "spark-gmm" in r])
        for s in ("mllib", "sklearn"):
            row["predict_vs_" + s] = spread(
                [r["spark-gmm"]["predict_rows_per_second"] / r[s]["predict_rows_per_second"]
                 for r in by_run.values() if s in r and "spark-gmm" in r
                 and r[s].get("predict_rows_per_second") and r["spark-gmm"].get("predict_rows_per_second")])
        ours = [(i, r["spark-gmm"]["median_after_two"]) for i, r in by_run.items() if "spark-gmm" in r]
        row["gflops"] = spread([flops / t / 1e9 for _, t in ours])
        row["fraction_of_dgemm"] = spread([flops / t / 1e9 / dgemm[i]["dgemm_gflops"] for i, t in ours if i in dgemm])
        summary["rows"].append(row)
        label = "%s x %d, k = %d %s" % ("{:,}".format(n), dd, k, kind)
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
            label, fmt(row["spark-gmm"], "%.4f"), fmt(row["mllib"]), fmt(row["sklearn"]),
            fmt(row["vs_mllib"], "%.1f", "x"), fmt(row["vs_sklearn"], "%.1f", "x"), fmt(row["gflops"], "%.1f"),
            fmt(row["fraction_of_dgemm"] and {key: (v * 100 if key != "runs" else v)
                                              for key, v in row["fraction_of_dgemm"].items()}, "%.0f", "%"),
            len(by_run)))
        if row["spark-gmm_predict_rows_per_second"]:
            apply_lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label, fmt(row["spark-gmm_predict_rows_per_second"], "%.3g"),
                fmt(row["mllib_predict_rows_per_second"], "%.3g"), fmt(row["sklearn_predict_rows_per_second"], "%.3g"),
                fmt(row["predict_vs_mllib"], "%.1f", "x"), fmt(row["predict_vs_sklearn"], "%.1f", "x"),
                fmt(row["spark-gmm_sample_rows_per_second"], "%.3g"), fmt(row["sklearn_sample_rows_per_second"], "%.3g"),
                fmt(row["spark-gmm_scan_rows_per_second"], "%.3g")))
    if len(apply_lines) > 3:
        lines += apply_lines
    java_blas = "VectorBLAS" in any_run["blas"] or "F2j" in any_run["blas"] or "Java" in any_run["blas"]
    targets = []
    for row in summary["rows"]:
        shape = (row["n"], row["d"], row["k"], row["covariance"])
        if shape[3] != "full":
            continue
        goals = []
        if shape[1:3] == (4, 8) and shape[0] in (1000000, 10000000) and not java_blas:
            ml, sk = (30, 15) if shape[0] == 1000000 else (50, 25)
            goals += [("vs_mllib", ml, "x Spark MLlib per iteration"), ("vs_sklearn", sk, "x scikit-learn per iteration")]
            if shape[0] == 10000000:
                goals.append(("predict_vs_mllib", 20, "x MLlib's transform in rows per second"))
        if shape[1:3] == (32, 16) and shape[0] == 2000000:
            if java_blas:
                goals.append(("vs_sklearn", 3, "x scikit-learn with pure-Java BLAS"))
            else:
                goals.append(("fraction_of_dgemm", 0.6, " of the measured DGEMM (as a fraction)"))
        for key, goal, what in goals:
            got = row[key]
            if got is None:
                continue
            targets.append({"rows": "%d x %d, k = %d" % shape[:3], "target": goal, "what": what.strip(),
                            "median": got["median"], "min": got["min"], "max": got["max"],
                            "reached": got["median"] >= goal, "reached_in_every_run": got["min"] >= goal})
    summary["targets"] = targets
    if targets:
        lines += ["", "Targets (issue 21), on the median over the runs:", ""]
        for t in targets:
            lines.append("- %s: at least %g%s: %s, median %.3g (range %.3g-%.3g)%s" % (
                t["rows"], t["target"], t["what"] if t["what"].startswith("x") else " " + t["what"],
                "reached" if t["reached"] else "NOT reached", t["median"], t["min"], t["max"],
                "" if t["reached_in_every_run"] == t["reached"] else "; not in every run"))
    open(os.path.join(d, "summary.md"), "w").write("\n".join(lines) + "\n")
    json.dump(summary, open(os.path.join(d, "summary.json"), "w"), indent=2)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
