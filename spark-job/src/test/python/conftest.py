"""pytest for spark-gmm's Python API (spark_gmm), run by PythonIT inside `mvn verify`.

Environment (PythonIT sets it): SPARK_GMM_JAR, the application jar (which also carries spark_gmm);
SPARK_GMM_WHEEL, the wheel `mvn package` built; SPARK_GMM_ROOT, the project root. The session is a
real local[2] SparkSession of the pip-installed pyspark, with the jar in the JVM. spark_gmm is
imported from the jar itself (a jar is a zip), as a user with only the jar gets it.
"""

import os
import sys

import pytest

JAR = os.environ["SPARK_GMM_JAR"]
ROOT = os.environ["SPARK_GMM_ROOT"]
sys.path.insert(0, JAR)


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("spark-gmm pytest")
               .config("spark.jars", JAR).config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def faithful(spark):
    return spark.read.parquet(os.path.join(ROOT, "conf/examples/faithful.parquet"))


@pytest.fixture(scope="session")
def iris(spark):
    return spark.read.parquet(os.path.join(ROOT, "conf/examples/iris.parquet"))


def python_env():
    """What a child Python process needs to find the jar and Spark the same way."""
    env = dict(os.environ)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env
