// spark-shell -i cross_language.scala, for PySparkIT: loads the Pipeline Python saved (PY_MODEL),
// applies it to DATA, writes the predictions as Parquet (OUT), and saves the stage it loaded again
// from Scala (SCALA_MODEL), for Python to load back.
import org.apache.spark.ml.PipelineModel
import org.sparkgmm.ml.SparkGmmModel

val loaded = PipelineModel.load(sys.env("PY_MODEL"))
val stage = loaded.stages.last.asInstanceOf[SparkGmmModel]
println(s"scala: loaded ${stage.uid} with ${stage.mixture.components} components, BIC ${stage.summary.bic}")
loaded.transform(spark.read.parquet(sys.env("DATA"))).select("eruptions", "waiting", "cluster", "posterior")
  .coalesce(1).write.parquet(sys.env("OUT"))
loaded.write.save(sys.env("SCALA_MODEL"))
System.exit(0)
