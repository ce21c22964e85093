"""The DAGs' plain-Python helpers (submit-scripts/airflow/gmm_commands.py), without Airflow."""

import json
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "submit-scripts", "airflow"))
import gmm_commands as gmm  # noqa: E402


def test_settings_defaults_and_overrides():
    s = gmm.settings({})
    assert (s["k"], s["covariance"], s["fit_options"], s["retry_delay"]) == ("8", "full", [], 600.0)
    s = gmm.settings({"GMM_K": "3", "GMM_FIT_OPTIONS": "--n-init 4 --features 'a b,c'", "GMM_RETRY_DELAY": "5",
                      "GMM_OUTPUT_ROOT": "hdfs:///gmm/"})
    assert s["fit_options"] == ["--n-init", "4", "--features", "a b,c"]
    assert s["retry_delay"] == 5.0
    args = gmm.fit_args(s)
    assert args[:2] == ["fit", "--input"]
    assert args[args.index("--k") + 1] == "3"
    assert args[-3:] == ["--output", "hdfs:///gmm/ds={{ ds }}/fit", "--overwrite"]
    assert "--n-init" in gmm.update_args(s)
    assert gmm.update_args(s)[gmm.update_args(s).index("--model") + 1] == "hdfs:///gmm/ds={{ macros.ds_add(ds, -1) }}/fit"


def write_output(path, metrics, complete=True):
    os.makedirs(path)
    with open(os.path.join(path, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f)
    if complete:
        open(os.path.join(path, "_SUCCESS"), "w").close()


def test_publish_metrics_trims_and_refuses_incomplete_outputs(tmp_path):
    fit = {"command": "fit", "n_rows": 10, "bic": 1.5, "update": "wmc", "log_likelihood_history": [1, 2]}
    write_output(str(tmp_path / "fit"), fit)
    write_output(str(tmp_path / "predict"), {"n_rows": 10, "rows_skipped": 0, "extra": 1})
    published = gmm.publish_metrics(str(tmp_path / "fit"), str(tmp_path / "predict"))
    # A fit's "update" is its --update setting, not gmm update's object: not passed on.
    assert published == {"fit": {"command": "fit", "n_rows": 10, "bic": 1.5},
                         "predict": {"n_rows": 10, "rows_skipped": 0}}
    write_output(str(tmp_path / "updated"), {"command": "update", "n_rows": 10, "update": {"decay": 0.5}})
    assert gmm.publish_metrics(str(tmp_path / "updated"), str(tmp_path / "predict"))["fit"]["update"] == {"decay": 0.5}
    write_output(str(tmp_path / "failed"), fit, complete=False)
    with pytest.raises(RuntimeError, match="not a complete gmm output"):
        gmm.read_metrics(str(tmp_path / "failed"))
    assert gmm.start_task(str(tmp_path / "failed")) == "fit"
    assert gmm.start_task(str(tmp_path / "fit")) == "update"
