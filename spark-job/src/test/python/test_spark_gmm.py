"""spark_gmm from PySpark: params as the Java stage's, a Pipeline round trip through a new process,
the fitted values as Python values, clear errors, and both ways of shipping it (the jar, the wheel)."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from pyspark.ml.feature import VectorAssembler
from pyspark.errors import IllegalArgumentException

import spark_gmm
from spark_gmm import SparkGmm, SparkGmmModel
from conftest import JAR, ROOT, python_env

HERE = os.path.dirname(os.path.abspath(__file__))
IRIS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


from cross_language import faithful_pipeline, rows as predictions


def test_imported_from_the_jar():
    assert spark_gmm.__file__.startswith(JAR + os.sep)


def test_params_have_the_java_stages_names_and_defaults(spark):
    java = spark._jvm.org.sparkgmm.ml.SparkGmm()
    py = SparkGmm()
    java_defaults = {p.name(): java.getDefault(p).get() for p in java.params()}
    assert {p.name for p in py.params} == set(java_defaults)
    for p in py.params:
        assert py.getOrDefault(p) == java_defaults[p.name], p.name
    # After a fit the Python model has exactly the Java model's params, with the estimator's values.
    model = SparkGmm(k=2, missing="marginalize", predictionCol="c").fit(
        VectorAssembler(inputCols=["eruptions", "waiting"], outputCol="features").transform(
            spark.read.parquet(os.path.join(ROOT, "conf/examples/faithful.parquet"))))
    assert {p.name for p in model.params} == {p.name() for p in model._java_obj.params()}
    assert model.getMissing() == "marginalize"
    assert model.getPredictionCol() == "c"
    assert model._java_obj.getOrDefault(model._java_obj.predictionCol()) == "c"


def test_params_set_from_python_reach_the_java_stage(spark, faithful):
    gmm = SparkGmm(k=3, covarianceType="diag", maxIter=7, tol=0.0, regCovar=1e-4, initMode="kmeans++",
                   nInit=2, seed=12345678901)
    df = VectorAssembler(inputCols=["eruptions", "waiting"], outputCol="features").transform(faithful)
    model = gmm.fit(df)
    assert model.covarianceType == "diag"
    assert model.weights.shape == (3,)
    s = model.summary
    assert s["n_iter"] == 7 and s["n_init"] == 2 and not s["converged"]
    # The same params on the Java stage directly: the same model.
    java = (spark._jvm.org.sparkgmm.ml.SparkGmm().setK(3).setCovarianceType("diag").setMaxIter(7).setTol(0.0)
            .setRegCovar(1e-4).setInitMode("kmeans++").setNInit(2).setSeed(12345678901))
    assert json.loads(java.fit(df._jdf).modelJson()) == model.model


def test_pipeline_fits_transforms_saves_and_loads_in_a_new_process(faithful, tmp_path):
    fitted = faithful_pipeline().fit(faithful)
    before = predictions(fitted.transform(faithful))
    assert len(before) == 272
    for _, _, cluster, posterior in before:
        assert math.isclose(sum(posterior), 1.0, abs_tol=1e-12)
        assert cluster == int(np.argmax(posterior))
    stage = fitted.stages[-1]
    assert isinstance(stage, SparkGmmModel)
    assert 0.3 < min(stage.weights) < 0.4  # Old Faithful's short eruptions

    saved = str(tmp_path / "pipeline")
    fitted.write().save(saved)
    out = tmp_path / "after.json"
    # A new Python process that never imports spark_gmm itself: PySpark finds the stage's class.
    subprocess.run([sys.executable, os.path.join(HERE, "cross_language.py"), "load-transform", saved,
                    os.path.join(ROOT, "conf/examples/faithful.parquet"), str(out)],
                   check=True, env=python_env())
    after = json.loads(out.read_text())
    assert after["stage_class"] == "spark_gmm.SparkGmmModel"
    assert after["rows"] == before
    assert after["summary"] == stage.summary
    assert after["weights"] == list(stage.weights)


@pytest.mark.parametrize("covariance, shape", [
    ("full", (3, 4, 4)), ("tied", (4, 4)), ("diag", (3, 4)), ("spherical", (3,))])
def test_fitted_values_are_python_values(iris, covariance, shape):
    df = VectorAssembler(inputCols=IRIS, outputCol="features").transform(iris)
    model = SparkGmm(k=3, covarianceType=covariance, seed=1).fit(df)
    assert isinstance(model.weights, np.ndarray) and model.weights.shape == (3,)
    assert math.isclose(model.weights.sum(), 1.0, rel_tol=1e-12)
    assert model.means.shape == (3, 4)
    assert model.covariances.shape == shape
    assert model.covarianceType == covariance
    assert model.features == [f"features[{j}]" for j in range(4)]
    s = model.summary
    assert s["n_rows"] == 150
    assert model.log_likelihood == s["log_likelihood"]
    assert math.isclose(model.log_likelihood, 150 * s["mean_log_likelihood"], rel_tol=1e-12)
    # scikit-learn's definitions, from the values themselves.
    assert math.isclose(model.bic, -2 * model.log_likelihood + s["n_parameters"] * math.log(150), rel_tol=1e-12)
    assert math.isclose(model.aic, -2 * model.log_likelihood + 2 * s["n_parameters"], rel_tol=1e-12)
    assert len(model.components) == 3
    # Each row's posteriors follow from the Python values (full only: the density by hand).
    if covariance == "full":
        x = np.array(df.select("features").head().features.toArray())
        dens = []
        for w, mu, cov in zip(model.weights, model.means, model.covariances):
            diff = x - mu
            dens.append(w * math.exp(-0.5 * diff @ np.linalg.solve(cov, diff))
                        / math.sqrt((2 * math.pi) ** 4 * np.linalg.det(cov)))
        got = model.transform(df).head().probability.toArray()
        np.testing.assert_allclose(got, np.array(dens) / sum(dens), rtol=1e-9, atol=1e-12)


def test_one_vector_at_a_time_agrees_with_transform(faithful):
    from pyspark.ml.linalg import Vectors

    df = VectorAssembler(inputCols=["eruptions", "waiting"], outputCol="features").transform(faithful)
    model = SparkGmm(k=2, seed=4).fit(df)
    for row in model.transform(df).limit(20).collect():
        assert model.predict(row.features) == row.prediction
        # One row is evaluated apart from transform's blocks: the same to rounding.
        np.testing.assert_allclose(model.predictProbability(row.features).toArray(), row.probability.toArray(),
                                   rtol=1e-12, atol=1e-300)
    # A missing value is left out: the posterior given the other feature alone.
    half = model.predictProbability(Vectors.dense([float("nan"), 80.0])).toArray()
    assert math.isclose(half.sum(), 1.0, rel_tol=1e-12)
    with pytest.raises(IllegalArgumentException, match="has 3 values, expected 2"):
        model.predict(Vectors.dense([1.0, 2.0, 3.0]))
    with pytest.raises(IllegalArgumentException, match="is not finite"):
        model.predict(Vectors.dense([float("inf"), 2.0]))


def test_a_general_mixture_has_components(spark):
    rng = np.random.default_rng(5)
    rows = [(float(a), float(b)) for a, b in zip(
        np.concatenate([rng.normal(0, 1, 300), rng.normal(6, 1, 300)]),
        np.concatenate([rng.exponential(1.0, 300), rng.exponential(8.0, 300)]))]
    df = VectorAssembler(inputCols=["x", "y"], outputCol="features").transform(spark.createDataFrame(rows, ["x", "y"]))
    model = SparkGmm(k=2, distributions="x:normal,y:exponential", seed=2).fit(df)
    assert model.covarianceType is None
    assert len(model.components) == 2
    with pytest.raises(AttributeError, match="Gaussian mixtures"):
        model.means
    assert sorted(np.round(model.weights, 1)) == [0.5, 0.5]
    assert model.summary["n_rows"] == 600


def test_bad_input_says_what_and_where(spark, faithful):
    with pytest.raises(IllegalArgumentException, match="Features column 'features' is not in the input"):
        SparkGmm().fit(faithful)
    df = VectorAssembler(inputCols=["eruptions", "waiting"], outputCol="features").transform(faithful)
    with pytest.raises(IllegalArgumentException, match="k given invalid value 0"):
        SparkGmm(k=0).fit(df)
    with pytest.raises(IllegalArgumentException, match="covarianceType given invalid value"):
        SparkGmm(covarianceType="triangular").fit(df)
    with pytest.raises(Exception, match="Cannot fit 300 components to 272"):
        SparkGmm(k=300).fit(df)


def test_spark_submit_with_only_the_jar(tmp_path):
    """A user with nothing but our jar: --jars puts it in the JVM, --py-files on the Python path."""
    import pyspark

    submit = os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
    out = tmp_path / "submitted.json"
    env = python_env()
    env.pop("PYTHONPATH", None)
    env["PYSPARK_PYTHON"] = sys.executable  # this environment's Python (with NumPy), as a venv user sets it
    quiet = "-Dlog4j2.configurationFile=" + os.path.join(ROOT, "conf/log4j2.properties")
    subprocess.run([submit, "--master", "local[2]", "--conf", "spark.driver.extraJavaOptions=" + quiet,
                    "--jars", JAR, "--py-files", JAR,
                    os.path.join(HERE, "cross_language.py"), "fit-save", str(tmp_path / "model"),
                    os.path.join(ROOT, "conf/examples/faithful.parquet"), str(out), "--no-sys-path"],
                   check=True, env=env)
    result = json.loads(out.read_text())
    assert result["module"].startswith(os.path.abspath(JAR)) or result["module"].endswith(
        os.path.basename(JAR) + "/spark_gmm/__init__.py")
    assert len(result["rows"]) == 272


def test_spark_submit_with_packages_from_a_repository(tmp_path):
    """--packages: spark-submit resolves the jar from a Maven repository and puts it on the Python
    path too (a file repository here, with Ivy told to look nowhere else, so nothing leaves the machine)."""
    import pyspark

    version_dir = tmp_path / "repo" / "org" / "sparkgmm" / "spark-gmm" / "0.1.0"
    version_dir.mkdir(parents=True)
    with open(JAR, "rb") as src, open(version_dir / "spark-gmm-0.1.0.jar", "wb") as dst:
        dst.write(src.read())
    (version_dir / "spark-gmm-0.1.0.pom").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">'
        "<modelVersion>4.0.0</modelVersion><groupId>org.sparkgmm</groupId><artifactId>spark-gmm</artifactId>"
        "<version>0.1.0</version><packaging>jar</packaging></project>\n")
    settings = tmp_path / "ivysettings.xml"
    settings.write_text(
        '<ivysettings><settings defaultResolver="repo"/>'
        f'<caches defaultCacheDir="{tmp_path / "ivy-cache"}"/>'
        f'<resolvers><ibiblio name="repo" m2compatible="true" root="{(tmp_path / "repo").as_uri()}"/></resolvers>'
        "</ivysettings>\n")
    submit = os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit")
    out = tmp_path / "packages.json"
    env = python_env()
    env.pop("SPARK_GMM_JAR")  # the JVM gets the jar from --packages only
    env["PYSPARK_PYTHON"] = sys.executable
    quiet = "-Dlog4j2.configurationFile=" + os.path.join(ROOT, "conf/log4j2.properties")
    subprocess.run([submit, "--master", "local[2]", "--conf", "spark.driver.extraJavaOptions=" + quiet,
                    "--conf", f"spark.jars.ivySettings={settings}", "--conf", f"spark.jars.ivy={tmp_path / 'ivy'}",
                    "--packages", "org.sparkgmm:spark-gmm:0.1.0",
                    os.path.join(HERE, "cross_language.py"), "fit-save", str(tmp_path / "model"),
                    os.path.join(ROOT, "conf/examples/faithful.parquet"), str(out), "--no-sys-path"],
                   check=True, env=env)
    result = json.loads(out.read_text())
    assert result["module"].endswith("org.sparkgmm_spark-gmm-0.1.0.jar/spark_gmm/__init__.py")
    assert len(result["rows"]) == 272


def test_the_estimator_saves_and_loads_with_its_params(spark, tmp_path):
    gmm = SparkGmm(k=4, covarianceType="tied", nInit=3, seed=9, missing="marginalize")
    gmm.save(str(tmp_path / "estimator"))
    back = SparkGmm.load(str(tmp_path / "estimator"))
    assert isinstance(back, SparkGmm)
    assert back.uid == gmm.uid
    assert (back.getK(), back.getCovarianceType(), back.getNInit(), back.getSeed(), back.getMissing()) == (
        4, "tied", 3, 9, "marginalize")
    assert back.getTol() == 1e-3 and not back.isSet(back.tol)


def test_the_wheel_installs_and_imports(tmp_path):
    wheel = os.environ["SPARK_GMM_WHEEL"]
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                    "--target", str(site), wheel], check=True)
    out = tmp_path / "wheel.json"
    env = python_env()
    env["PYTHONPATH"] = str(site)
    subprocess.run([sys.executable, os.path.join(HERE, "cross_language.py"), "fit-save", str(tmp_path / "model"),
                    os.path.join(ROOT, "conf/examples/faithful.parquet"), str(out), "--no-sys-path"],
                   check=True, env=env)
    result = json.loads(out.read_text())
    assert result["module"] == str(site / "spark_gmm" / "__init__.py")
    assert len(result["rows"]) == 272
    # Loading finds the stage's Python class through the wheel's org.sparkgmm.ml too.
    loaded = tmp_path / "wheel-loaded.json"
    subprocess.run([sys.executable, os.path.join(HERE, "cross_language.py"), "load-transform",
                    str(tmp_path / "model"), os.path.join(ROOT, "conf/examples/faithful.parquet"), str(loaded),
                    "--no-sys-path"], check=True, env=env)
    again = json.loads(loaded.read_text())
    assert again["stage_class"] == "spark_gmm.SparkGmmModel"
    assert again["module"] == result["module"]
    assert again["rows"] == result["rows"]
