"""What the gmm_daily and gmm_daily_update DAGs run, as plain Python (no Airflow import): the
settings, each Spark task's arguments, the branch, and what publish_metrics returns. The DAGs
(gmm_daily.py) hand the arguments to SparkSubmitOperator, which builds and runs the spark-submit
command itself.

Settings come from the environment of the Airflow scheduler and workers (defaults in brackets):
    GMM_INPUT        daily input, with {{ ds }}  [s3a://warehouse/events/ds={{ ds }}]
    GMM_OUTPUT_ROOT  where each day's outputs go [s3a://warehouse/gmm]
    GMM_JAR          the application jar, readable by spark-submit [/opt/spark-gmm/spark-gmm.jar]
    GMM_K            number of components [8]
    GMM_COVARIANCE   full, tied, diag or spherical [full]
    GMM_FIT_OPTIONS  more options for gmm fit (and update), shell-quoted, e.g. "--n-init 4" [none]
    GMM_DEPLOY_MODE  client or cluster [client]
    GMM_HALF_LIFE    gmm_daily_update: days until yesterday's evidence weighs half [30]
    GMM_RETRY_DELAY  seconds before a failed Spark task's first retry (then doubling) [600]
Credentials never go on the command line: put fs.s3a.* settings in the Spark connection's
spark-defaults (or the cluster's core-site.xml), where the job reads them.
"""

import json
import os
import shlex
import subprocess
import sys

MAIN_CLASS = "org.sparkgmm.cli.Main"

# Applied to every job: one BLAS thread per task, on executors and on a cluster-mode driver.
SPARK_CONF = {
    "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
    "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS": "1",
    "spark.kubernetes.driverEnv.OPENBLAS_NUM_THREADS": "1",
}


def settings(env=None):
    """The DAG's settings from the environment, with defaults."""
    env = os.environ if env is None else env
    return {
        "input": env.get("GMM_INPUT", "s3a://warehouse/events/ds={{ ds }}"),
        "output_root": env.get("GMM_OUTPUT_ROOT", "s3a://warehouse/gmm").rstrip("/"),
        "jar": env.get("GMM_JAR", "/opt/spark-gmm/spark-gmm.jar"),
        "k": env.get("GMM_K", "8"),
        "covariance": env.get("GMM_COVARIANCE", "full"),
        "deploy_mode": env.get("GMM_DEPLOY_MODE", "client"),
        "half_life": env.get("GMM_HALF_LIFE", "30"),
        "fit_options": shlex.split(env.get("GMM_FIT_OPTIONS", "")),
        "retry_delay": float(env.get("GMM_RETRY_DELAY", "600")),
    }

YESTERDAY = "{{ macros.ds_add(ds, -1) }}"


def fit_output(s, day="{{ ds }}"):
    """The day's model directory (model.json, metrics.json, _SUCCESS), written by fit or update."""
    return s["output_root"] + f"/ds={day}/fit"


def yesterday_output(s):
    """The day before's model directory: what gmm_daily_update's update starts from."""
    return fit_output(s, YESTERDAY)


def predict_output(s):
    """The day's predictions directory (predictions/, metrics.json, _SUCCESS)."""
    return s["output_root"] + "/ds={{ ds }}/predict"


def fit_args(s):
    """gmm fit for one day. --overwrite makes a retry or a re-run replace that day's output
    atomically; a failed attempt leaves no _SUCCESS."""
    return ["fit", "--input", s["input"], "--k", s["k"], "--covariance", s["covariance"],
            "--seed", "0", *s["fit_options"], "--output", fit_output(s), "--overwrite"]


def update_args(s):
    """gmm update for one day: yesterday's model, its evidence decayed by the half-life, updated with
    the day's rows, written where that day's fit would be (so predict and tomorrow's update read it)."""
    return ["update", "--model", yesterday_output(s), "--input", s["input"], "--half-life", s["half_life"],
            *s["fit_options"], "--output", fit_output(s), "--overwrite"]


def predict_args(s):
    """gmm predict for one day, with the model that day's fit wrote."""
    return ["predict", "--model", fit_output(s), "--input", s["input"],
            "--output", predict_output(s), "--overwrite"]


def _read(path, s3_conn_id="aws_default"):
    """A small file's text (local, file://, s3a:// or hdfs://)."""
    if path.startswith(("s3a://", "s3://")):
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook  # only on Airflow workers
        bucket, _, key = path.split("://", 1)[1].partition("/")
        hook = S3Hook(aws_conn_id=s3_conn_id)
        if not hook.check_for_key(key, bucket):
            raise FileNotFoundError(path)
        return hook.read_key(key, bucket)
    if path.startswith("hdfs://"):
        return subprocess.run(["hdfs", "dfs", "-cat", path], check=True, capture_output=True,
                              text=True).stdout
    with open(path.removeprefix("file://"), encoding="utf-8") as f:
        return f.read()


def is_complete(output_dir):
    """Whether a gmm output directory is complete (has _SUCCESS)."""
    try:
        _read(output_dir + "/_SUCCESS")
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


def read_metrics(output_dir):
    """metrics.json of a finished output directory, as a dict.

    Refuses a directory without _SUCCESS, so a downstream task never reads a failed attempt."""
    if not is_complete(output_dir):
        raise RuntimeError(f"{output_dir} is not a complete gmm output (no _SUCCESS)")
    return json.loads(_read(output_dir + "/metrics.json"))


def start_task(yesterday_dir):
    """gmm_daily_update's branch: 'update' when the day before left a complete model, else 'fit'
    (the first day, or after a day whose run failed), printed so the task log says which."""
    task = "update" if is_complete(yesterday_dir) else "fit"
    print(f"gmm_daily_update: {task}" + (f" from {yesterday_dir}" if task == "update"
                                          else f" (no complete model in {yesterday_dir})"), file=sys.stderr)
    return task


def publish_metrics(fit_dir, predict_dir):
    """What the DAG pushes to XCom for downstream tasks: the day's fit and predict metrics."""
    fit = read_metrics(fit_dir)
    predict = read_metrics(predict_dir)
    keep = ("command", "n_rows", "rows_skipped", "n_components", "covariance_type", "n_iter", "converged",
            "log_likelihood", "mean_log_likelihood", "bic", "aic", "resumed_from_iteration")
    published = {k: fit[k] for k in keep if k in fit}
    if isinstance(fit.get("update"), dict):  # gmm update's object; a fit's "update" is its --update setting
        published["update"] = fit["update"]
    return {"fit": published,
            "predict": {k: predict[k] for k in ("n_rows", "rows_skipped", "mean_log_likelihood")
                        if k in predict}}

