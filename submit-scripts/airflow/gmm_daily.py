"""Airflow DAGs: each day, model that day's partition with a Gaussian mixture, then label the rows.

gmm_daily refits every day:

    fit  ->  predict  ->  publish_metrics

gmm_daily_update carries the model from day to day, updating yesterday's model with the day's rows
(its evidence decayed by GMM_HALF_LIFE days) instead of refitting:

    start  ->  update | fit  ->  predict  ->  publish_metrics

- start branches to update when yesterday's model is complete, else to fit (the first day, or
  after a day whose run failed); the task log says which.
- fit, update and predict are SparkSubmitOperator tasks on the `spark_default` connection (its
  host is the master: yarn, spark://HOST with the port, or k8s://https://HOST:PORT). The
  provider runs `spark-submit` from the worker's PATH (it no longer takes a spark-home extra).
  update writes where fit would, so predict and the next day read the same place.
- All are safe to retry: --overwrite replaces the day's output atomically, and an attempt that
  fails leaves no _SUCCESS (an earlier complete output stays as it was).
- publish_metrics reads both metrics.json files and returns them, so downstream tasks pull them
  from XCom (task_ids="publish_metrics").
Paths, the jar, k, more fit options, the half-life and the retry delay come from the environment:
see gmm_commands.py. Copy both files into the dags folder. The tests (AirflowIT) run both DAGs
with `airflow dags test` against a standalone cluster.
"""

from datetime import datetime, timedelta

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.python import BranchPythonOperator, PythonOperator
from airflow.sdk import DAG

import gmm_commands as gmm

s = gmm.settings()


def daily_dag(dag_id, description, updating):
    """One DAG: fit (or, when updating, update from yesterday's model), predict, publish."""
    with DAG(
        dag_id=dag_id,
        description=description,
        schedule="@daily",
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args={
            "owner": "data-engineering",
            "retries": 2,
            "retry_delay": timedelta(seconds=s["retry_delay"]),
            "retry_exponential_backoff": 2.0,
            "execution_timeout": timedelta(hours=4),
        },
        tags=["spark-gmm"],
    ) as dag:
        def gmm_task(task, args, **kwargs):
            """gmm TASK on the spark_default connection (its host is the master)."""
            return SparkSubmitOperator(
                task_id=task,
                conn_id="spark_default",
                application=s["jar"],
                java_class=gmm.MAIN_CLASS,
                name=f"gmm-{task}-{{{{ ds }}}}",
                conf=gmm.SPARK_CONF,
                deploy_mode=s["deploy_mode"],
                application_args=args,
                **kwargs,
            )

        fit = gmm_task("fit", gmm.fit_args(s))
        # After a branch, predict runs when whichever of fit and update was taken succeeded.
        predict = gmm_task("predict", gmm.predict_args(s),
                           **({"trigger_rule": "none_failed_min_one_success"} if updating else {}))
        publish = PythonOperator(
            task_id="publish_metrics",
            python_callable=gmm.publish_metrics,
            op_kwargs={"fit_dir": gmm.fit_output(s), "predict_dir": gmm.predict_output(s)},
        )
        if updating:
            start = BranchPythonOperator(
                task_id="start",
                python_callable=gmm.start_task,
                op_kwargs={"yesterday_dir": gmm.yesterday_output(s)},
            )
            update = gmm_task("update", gmm.update_args(s))
            start >> [fit, update] >> predict
        else:
            fit >> predict
        predict >> publish
    return dag


gmm_daily = daily_dag("gmm_daily", "Daily Gaussian mixture fit and predictions (spark-gmm)", updating=False)
gmm_daily_update = daily_dag("gmm_daily_update",
                             "Daily Gaussian mixture update of yesterday's model, and predictions (spark-gmm)",
                             updating=True)
