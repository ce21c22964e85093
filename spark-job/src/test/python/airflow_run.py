"""For AirflowIT, in the Airflow environment: what `airflow dags test DAG DS` left in the metadata
database, as JSON on stdout: the run's state, each task's state, try number and earlier tries'
states, and the XCom publish_metrics returned.

    airflow_run.py DAG_ID DS
"""

import json
import sys

from airflow.models.dagrun import DagRun
from airflow.models.taskinstance import TaskInstance
from airflow.models.taskinstancehistory import TaskInstanceHistory
from airflow.models.xcom import XComModel
from airflow.utils.session import create_session


def main(dag_id, ds):
    with create_session() as s:
        runs = [r for r in s.query(DagRun).filter(DagRun.dag_id == dag_id)
                if r.logical_date.date().isoformat() == ds]
        if not runs:
            raise SystemExit(f"airflow_run.py: no run of {dag_id} for {ds}")
        run = max(runs, key=lambda r: r.start_date)
        out = {"run_id": run.run_id, "state": str(run.state), "tasks": {}}
        for ti in s.query(TaskInstance).filter(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run.run_id):
            earlier = (s.query(TaskInstanceHistory)
                       .filter(TaskInstanceHistory.dag_id == dag_id, TaskInstanceHistory.run_id == run.run_id,
                               TaskInstanceHistory.task_id == ti.task_id)
                       .order_by(TaskInstanceHistory.try_number))
            out["tasks"][ti.task_id] = {"state": str(ti.state), "try_number": ti.try_number,
                                        "earlier_tries": [str(h.state) for h in earlier]}
        xcom = s.scalars(XComModel.get_many(run_id=run.run_id, key="return_value", task_ids="publish_metrics",
                                            dag_ids=dag_id)).first()
        out["publish_metrics"] = XComModel.deserialize_value(xcom) if xcom is not None else None
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:3])
