"""spark-gmm's Spark ML stage for PySpark: mixture models fitted by EM on a vector column.

    from pyspark.ml import Pipeline
    from pyspark.ml.feature import VectorAssembler
    from spark_gmm import SparkGmm

    gmm = SparkGmm(k=3, covarianceType="full", seed=1)
    model = Pipeline(stages=[VectorAssembler(inputCols=["a", "b"], outputCol="features"), gmm]).fit(df)
    model.stages[-1].weights, model.stages[-1].bic

SparkGmm and SparkGmmModel wrap the Java stage org.sparkgmm.ml.SparkGmm / SparkGmmModel, the way
pyspark.ml wraps Spark's own estimators: the same params with the same names and defaults, fit and
transform run in the JVM, and save/load write the Java stage's format, so a stage or Pipeline saved
from Python loads in Java and Scala and the reverse. The JVM needs spark-gmm's jar (--jars, or
spark.jars); this package is inside that jar too, so `--py-files` with the same jar (or the jar on
sys.path) imports it without installing anything.
"""

import json

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaEstimator, JavaModel

__all__ = ["SparkGmm", "SparkGmmModel"]
__version__ = "0.1.0.dev0"

_JAVA_PACKAGE = "org.sparkgmm.ml"


def _param(name, doc, converter):
    return Param(Params._dummy(), name, doc, typeConverter=converter)


class _ColumnParams(Params):
    """The params the estimator and the fitted model share (the Java model's params)."""

    featuresCol = _param("featuresCol", "features column (vector or array<double>)", TypeConverters.toString)
    predictionCol = _param("predictionCol", "output column of the most probable component",
                           TypeConverters.toString)
    probabilityCol = _param("probabilityCol", "output column of the posterior probabilities",
                            TypeConverters.toString)
    missing = _param("missing", "what a null or NaN feature is: invalid (the fit fails; transform gives nulls)"
                     " or marginalize (a missing value)", TypeConverters.toString)

    def __init__(self, *args):
        super().__init__(*args)
        self._setDefault(featuresCol="features", predictionCol="prediction", probabilityCol="probability",
                         missing="invalid")

    def getFeaturesCol(self):
        return self.getOrDefault(self.featuresCol)

    def getPredictionCol(self):
        return self.getOrDefault(self.predictionCol)

    def getProbabilityCol(self):
        return self.getOrDefault(self.probabilityCol)

    def getMissing(self):
        return self.getOrDefault(self.missing)

    def setFeaturesCol(self, value):
        return self._set(featuresCol=value)

    def setPredictionCol(self, value):
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value):
        return self._set(probabilityCol=value)

    def setMissing(self, value):
        return self._set(missing=value)


class _Reader(JavaMLReader):
    """Finds the Java class in org.sparkgmm.ml (pyspark's reader assumes org.apache.spark)."""

    @classmethod
    def _java_loader_class(cls, clazz):
        return _JAVA_PACKAGE + "." + clazz.__name__


class _Readable(JavaMLReadable):
    @classmethod
    def read(cls):
        return _Reader(cls)


class SparkGmm(JavaEstimator, _ColumnParams, JavaMLWritable, _Readable):
    """Fits a mixture by EM: a Gaussian mixture of ``covarianceType``, or with ``distributions`` any
    structure the CLI's --distributions takes. Params and defaults are the Java stage's."""

    k = _param("k", "number of components (>= 1)", TypeConverters.toInt)
    covarianceType = _param("covarianceType", "full, tied, diag or spherical", TypeConverters.toString)
    distributions = _param("distributions", "every feature of the features vector with its family, in order, as"
                           " the CLI's --distributions (e.g. \"a:normal,b:poisson,(c,d):full\"); empty for one"
                           " Gaussian of covarianceType", TypeConverters.toString)
    maxIter = _param("maxIter", "maximum EM iterations (>= 1)", TypeConverters.toInt)
    tol = _param("tol", "stop when the mean log-likelihood changes less than this (>= 0)", TypeConverters.toFloat)
    regCovar = _param("regCovar", "added to covariance diagonals (>= 0)", TypeConverters.toFloat)
    regCovarScale = _param("regCovarScale", "what regCovar is relative to: data (each feature's variance, so that the"
                           " fit does not depend on the features' units) or absolute (scikit-learn's reg_covar)",
                           TypeConverters.toString)
    initMode = _param("initMode", "kmeans-parallel, kmeans++, random, random-from-data or hc", TypeConverters.toString)
    nInit = _param("nInit", "independent starts sharing every pass, run as small-EM; the best log-likelihood wins"
                   " (>= 1)", TypeConverters.toInt)
    smallEmIter = _param("smallEmIter", "small-EM: the EM iterations every start runs before only the best"
                         " smallEmKeep go on to convergence (>= 0)", TypeConverters.toInt)
    smallEmKeep = _param("smallEmKeep", "the starts that go on after small-EM's short runs (>= 1)",
                         TypeConverters.toInt)
    seed = _param("seed", "random seed", TypeConverters.toInt)
    weightCol = _param("weightCol", "non-negative row weights; empty for 1 per row", TypeConverters.toString)

    @keyword_only
    def __init__(self, *, k=2, covarianceType="full", distributions="", maxIter=100, tol=1e-3, regCovar=1e-6,
                 regCovarScale="data", initMode="kmeans-parallel", nInit=10, smallEmIter=10, smallEmKeep=1,
                 seed=0, weightCol="", missing="invalid",
                 featuresCol="features", predictionCol="prediction", probabilityCol="probability"):
        super().__init__()
        self._java_obj = self._new_java_obj(_JAVA_PACKAGE + ".SparkGmm", self.uid)
        self._setDefault(k=2, covarianceType="full", distributions="", maxIter=100, tol=1e-3, regCovar=1e-6,
                         regCovarScale="data", initMode="kmeans-parallel", nInit=10, smallEmIter=10,
                         smallEmKeep=1, seed=0, weightCol="")
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(self, *, k=2, covarianceType="full", distributions="", maxIter=100, tol=1e-3, regCovar=1e-6,
                  regCovarScale="data", initMode="kmeans-parallel", nInit=10, smallEmIter=10, smallEmKeep=1,
                  seed=0, weightCol="", missing="invalid",
                  featuresCol="features", predictionCol="prediction", probabilityCol="probability"):
        """Sets the params given by keyword (the others keep their values)."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model):
        return SparkGmmModel(java_model)

    def setK(self, value):
        return self._set(k=value)

    def setCovarianceType(self, value):
        return self._set(covarianceType=value)

    def setDistributions(self, value):
        return self._set(distributions=value)

    def setMaxIter(self, value):
        return self._set(maxIter=value)

    def setTol(self, value):
        return self._set(tol=value)

    def setRegCovar(self, value):
        return self._set(regCovar=value)

    def setSmallEmIter(self, value):
        return self._set(smallEmIter=value)

    def setSmallEmKeep(self, value):
        return self._set(smallEmKeep=value)

    def setRegCovarScale(self, value):
        return self._set(regCovarScale=value)

    def setInitMode(self, value):
        return self._set(initMode=value)

    def setNInit(self, value):
        return self._set(nInit=value)

    def setSeed(self, value):
        return self._set(seed=value)

    def setWeightCol(self, value):
        return self._set(weightCol=value)

    def getK(self):
        return self.getOrDefault(self.k)

    def getCovarianceType(self):
        return self.getOrDefault(self.covarianceType)

    def getDistributions(self):
        return self.getOrDefault(self.distributions)

    def getMaxIter(self):
        return self.getOrDefault(self.maxIter)

    def getTol(self):
        return self.getOrDefault(self.tol)

    def getRegCovar(self):
        return self.getOrDefault(self.regCovar)

    def getSmallEmIter(self):
        return self.getOrDefault(self.smallEmIter)

    def getSmallEmKeep(self):
        return self.getOrDefault(self.smallEmKeep)

    def getRegCovarScale(self):
        return self.getOrDefault(self.regCovarScale)

    def getInitMode(self):
        return self.getOrDefault(self.initMode)

    def getNInit(self):
        return self.getOrDefault(self.nInit)

    def getSeed(self):
        return self.getOrDefault(self.seed)

    def getWeightCol(self):
        return self.getOrDefault(self.weightCol)


class SparkGmmModel(JavaModel, _ColumnParams, JavaMLWritable, _Readable):
    """A fitted mixture. ``transform`` appends predictionCol (int, the most probable component) and
    probabilityCol (a vector of posteriors). The fitted values are Python values: ``weights``,
    ``means`` and ``covariances`` (NumPy arrays in scikit-learn's shapes for the covariance type)
    for a Gaussian mixture, ``components`` for a general one, ``model`` (the whole model.json as a
    dict), and ``bic``, ``aic``, ``log_likelihood`` and ``summary`` (a dict with metrics.json's
    names) from the fit; a saved model keeps its summary."""

    def predict(self, value):
        """The most probable component of one feature vector (a pyspark.ml.linalg Vector); NaN
        entries are missing values. Raises IllegalArgumentException for a vector of another length
        or a value outside the model's support."""
        return self._call_java("predict", value)

    def predictProbability(self, value):
        """The posterior probability of every component for one feature vector, as a DenseVector."""
        return self._call_java("predictProbability", value)

    def _model(self):
        if getattr(self, "_model_cache", None) is None:
            self._model_cache = json.loads(self._call_java("modelJson"))
        return self._model_cache

    @property
    def model(self):
        """The fitted model as model.json's dict (what `gmm predict --model` reads)."""
        return self._model()

    @property
    def features(self):
        """The model's feature names, in vector order."""
        return list(self._model()["features"])

    @property
    def weights(self):
        """Mixing weights, shape (k,)."""
        import numpy as np

        return np.asarray(self._model()["weights"], dtype=float)

    def _gaussian(self, field):
        import numpy as np

        m = self._model()
        if field not in m:
            raise AttributeError(f"'{field}' is for Gaussian mixtures; this model's components are"
                                 f" {m.get('distributions', 'general')}: see .components")
        return np.asarray(m[field], dtype=float)

    @property
    def means(self):
        """Component means, shape (k, d); Gaussian mixtures only."""
        return self._gaussian("means")

    @property
    def covariances(self):
        """Covariances in scikit-learn's shapes: full (k, d, d), tied (d, d), diag (k, d),
        spherical (k,); Gaussian mixtures only."""
        return self._gaussian("covariances")

    @property
    def covarianceType(self):
        """full, tied, diag or spherical; None for a general mixture."""
        return self._model().get("covariance_type")

    @property
    def components(self):
        """Each component's factors as model.json gives them (a general mixture), or for a Gaussian
        mixture a dict per component with its weight, mean and covariance."""
        m = self._model()
        if "components" in m:
            return m["components"]
        tied = m["covariance_type"] == "tied"
        return [{"weight": w, "mean": mu, "covariance": m["covariances"] if tied else m["covariances"][c]}
                for c, (w, mu) in enumerate(zip(m["weights"], m["means"]))]

    @property
    def hasSummary(self):
        """Whether ``summary`` is there (after a fit, and after loading what a fit saved)."""
        return bool(self._call_java("hasSummary"))

    @property
    def summary(self):
        """What the fit reached, with metrics.json's names: n_rows, weight_sum, n_iter, converged,
        log_likelihood, mean_log_likelihood, n_parameters, bic, aic, log_likelihood_history, n_init."""
        if not self.hasSummary:
            raise RuntimeError("This SparkGmmModel has no summary (it was saved without one)")
        return json.loads(self._java_obj.summary().toJson())

    @property
    def bic(self):
        """Bayesian information criterion of the fit (lower is better)."""
        return self.summary["bic"]

    @property
    def aic(self):
        """Akaike information criterion of the fit (lower is better)."""
        return self.summary["aic"]

    @property
    def log_likelihood(self):
        """Total (weighted) log-likelihood of the fitted rows."""
        return self.summary["log_likelihood"]
