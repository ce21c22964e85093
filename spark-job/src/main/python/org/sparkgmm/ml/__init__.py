"""Where PySpark looks for the Python class of a Java stage it loads: it maps org.sparkgmm.ml.X to
this module's X (as it maps org.apache.spark.ml.X to pyspark.ml.X), so a Pipeline saved from Java or
Scala loads in Python without importing spark_gmm first. org and org.sparkgmm are namespace
packages (no __init__.py), so other projects' org.* Python packages are unaffected."""

from spark_gmm import SparkGmm, SparkGmmModel

__all__ = ["SparkGmm", "SparkGmmModel"]
