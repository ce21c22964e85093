"""Airflow DAG: each day, fit a Gaussian mixture to that day's partition, then label the rows.

    fit  ->  predict  ->  publish_metrics

- fit and predict are SparkSubmitOperator tasks on the `spark_default` connection (its host is the
  master: yarn, spark://HOST:PORT or k8s://https://HOST:PORT; its extra may set spark-home).
- Both are safe to retry: --overwrite replaces the day's output atomically, and an attempt that
  fails leaves no _SUCCESS (an earlier complete output stays as it was).
- publish_metrics reads both metrics.json files and returns them, so downstream tasks pull them
  from XCom (task_ids="publish_metrics").
Paths, the jar and k come from the environment: see gmm_commands.py. Copy both files into the
dags folder.
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import gmm_commands as gmm

s = gmm.settings()

with DAG(
    dag_id="gmm_daily",
    description="Daily Gaussian mixture fit and predictions (spark-gmm)",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "data-engineering",
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=4),
    },
    tags=["spark-gmm"],
) as dag:
    def gmm_task(task, args):
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
        )

    fit = gmm_task("fit", gmm.fit_args(s))
    predict = gmm_task("predict", gmm.predict_args(s))

    publish = PythonOperator(
        task_id="publish_metrics",
        python_callable=gmm.publish_metrics,
        op_kwargs={"fit_dir": gmm.fit_output(s), "predict_dir": gmm.predict_output(s)},
    )

    fit >> predict >> publish
