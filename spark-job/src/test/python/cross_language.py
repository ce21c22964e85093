"""Child processes of the Python tests and of PySparkIT (Java): one Pipeline fitted, saved, loaded and
applied from Python, its results written as JSON for the other side to compare.

    cross_language.py fit-save MODEL DATA OUT [--no-sys-path]
        fit the Old Faithful Pipeline (VectorAssembler -> StandardScaler -> SparkGmm) on the Parquet
        DATA, save it to MODEL, write its predictions and summary to OUT
    cross_language.py load-transform MODEL DATA OUT
        load the Pipeline saved at MODEL (from Python, Java or Scala) without importing spark_gmm,
        apply it to DATA, write the predictions to OUT

OUT: {"rows": [[eruptions, waiting, cluster, [posterior...]], ...], "summary": {...},
"weights": [...], "stage_class": "...", "module": "<where spark_gmm was imported from>"}.
Without --no-sys-path, spark_gmm is imported from SPARK_GMM_JAR (the jar as a zip). The JVM gets
SPARK_GMM_JAR as spark.jars; under spark-submit the master and --jars come from its command line.
"""

import json
import os
import sys

from pyspark import SparkConf
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.sql import SparkSession


def faithful_pipeline():
    """The Pipeline both languages fit: PipelineIT's Java one, the same stages and params."""
    from spark_gmm import SparkGmm

    return Pipeline(stages=[
        VectorAssembler(inputCols=["eruptions", "waiting"], outputCol="raw"),
        StandardScaler(inputCol="raw", outputCol="features", withMean=True),
        SparkGmm(k=2, seed=3, nInit=2, tol=1e-6, predictionCol="cluster", probabilityCol="posterior"),
    ])


def session():
    builder = SparkSession.builder.appName("spark-gmm cross-language")
    if not SparkConf().contains("spark.master"):
        builder = builder.master("local[2]")
    if os.environ.get("SPARK_GMM_JAR"):
        builder = builder.config("spark.jars", os.environ["SPARK_GMM_JAR"])
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def rows(df):
    return [[r[0], r[1], r[2], list(r[3].toArray())]
            for r in df.select("eruptions", "waiting", "cluster", "posterior").collect()]


def main(argv):
    mode, model_dir, data, out = argv[:4]
    if "--no-sys-path" not in argv[4:] and os.environ.get("SPARK_GMM_JAR"):
        sys.path.insert(0, os.environ["SPARK_GMM_JAR"])
    spark = session()
    df = spark.read.parquet(data)
    if mode == "fit-save":
        fitted = faithful_pipeline().fit(df)
        fitted.write().overwrite().save(model_dir)
    elif mode == "load-transform":
        fitted = PipelineModel.load(model_dir)
    else:
        raise SystemExit(f"cross_language.py: unknown mode {mode!r} (fit-save or load-transform)")
    stage = fitted.stages[-1]
    import spark_gmm

    result = {"rows": rows(fitted.transform(df)), "summary": stage.summary if stage.hasSummary else None,
              "weights": list(stage.weights), "stage_class": type(stage).__module__ + "." + type(stage).__name__,
              "module": spark_gmm.__file__}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
