package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparkgmm.testing.Tolerances.SUMMATION_ORDER;
import static org.sparkgmm.testing.Tolerances.assertRelClose;
import static org.sparkgmm.testing.Tolerances.flat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.model.Mixture;
import org.sparkgmm.model.ModelJson;
import org.sparkgmm.testing.CommitKills;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.HadoopFiles;
import org.sparkgmm.testing.Launcher;
import org.sparkgmm.testing.SharedSpark;

/** Real HDFS (a MiniDFSCluster on loopback): fit reads Parquet from hdfs:// and writes its whole output there; predict reads the model from there. */
class HdfsIT {
  @TempDir
  static Path tmp;

  private static MiniDFSCluster hdfs;
  private static FileSystem fs;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    fs = hdfs.getFileSystem();
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Launcher.ROOT.resolve("conf/examples/iris.parquet").toUri()),
        new org.apache.hadoop.fs.Path(root + "/warehouse/iris/part-0.parquet"));
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  /** A path the user may not read (HDFS checks permissions even when root runs the test). */
  @Test
  void aPathWithoutReadPermissionIsNamedAndNothingIsWritten() throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root + "/private");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Launcher.ROOT.resolve("conf/examples/iris.parquet").toUri()),
        new org.apache.hadoop.fs.Path(dir, "iris/part-0.parquet"));
    fs.setPermission(dir, new org.apache.hadoop.fs.permission.FsPermission((short) 0700));
    String input = root + "/private/iris";
    Path out = tmp.resolve("denied");
    Launcher.Result r = Launcher.gmm(tmp.resolve("logs"), java.util.Map.of("HADOOP_USER_NAME", "gmm-reader"), "fit",
        "--input", input, "--k", "2", "--output", out.toString());
    assertThat(r.status()).as("stderr: %s", r.stderr()).isEqualTo(3);
    assertThat(r.stderr().lines().filter(l -> l.startsWith("gmm: ")).toList())
        .containsExactly("gmm: Input path " + input + " cannot be read: permission denied");
    assertThat(out).doesNotExist();
  }

  @Test
  void fitAndPredictReadAndWriteHdfs() throws IOException {
    String input = root + "/warehouse/iris";
    String output = root + "/models/iris";
    Gmm.run("fit", "--input", input, "--k", "3", "--seed", "2", "--output", output).ok();

    List<String> written = names(output);
    assertThat(written).contains("_SUCCESS", "metrics.json", "model", "report");
    assertThat(names(output + "/model")).containsExactly("model.json");
    assertThat(names(output + "/report")).contains("index.html");
    Mixture onHdfs = ModelJson.read(read(output + "/model/model.json"), output);

    Path local = tmp.resolve("local");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--seed", "2", "--output", local.toString()).ok();
    Mixture expected = Gmm.model(local);
    assertRelClose(onHdfs.weights(), expected.weights(), SUMMATION_ORDER, "weights");
    assertRelClose(flat(onHdfs.means()), flat(expected.means()), SUMMATION_ORDER, "means");
    assertRelClose(onHdfs.asGaussian().orElseThrow().covarianceValues(), expected.asGaussian().orElseThrow().covarianceValues(), SUMMATION_ORDER,
        "covariances");

    String predictions = root + "/scored/iris";
    Gmm.run("predict", "--model", output, "--input", input, "--output", predictions).ok();
    assertThat(names(predictions)).contains("_SUCCESS", "metrics.json", "predictions");
    Dataset<Row> rows = SharedSpark.session().read().parquet(predictions + "/predictions");
    assertThat(rows.count()).isEqualTo(150);
    assertThat(rows.columns()).contains("prediction", "probability", "log_likelihood");

    // A rerun replaces the output and leaves no staging or old copy beside it.
    Gmm.run("fit", "--input", input, "--k", "3", "--seed", "2", "--output", output, "--overwrite").ok();
    assertThat(names(root + "/models")).containsExactly("iris");
  }

  /** Killed at each moment of the commit on HDFS (see {@link CommitKills}). */
  @Test
  void aRunKilledAtAnyMomentOfTheCommitLeavesOneWholeOutput() throws Exception {
    Path model = tmp.resolve("commit-model");
    Gmm.run("fit", "--input", Launcher.ROOT.resolve("conf/examples/iris.parquet").toString(), "--k", "3",
        "--no-report", "--output", model.toString()).ok();
    CommitKills.check(fs, root + "/samples/iris", model, tmp.resolve("logs"));
  }

  @Test
  void aFailedFitLeavesNothingOnHdfs() throws IOException {
    String output = root + "/models/failed";
    Gmm.Run run = Gmm.run("fit", "--input", root + "/warehouse/iris", "--k", "151", "--output", output);
    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err()).contains("gmm: Cannot fit 151 components");
    assertThat(names(root + "/models")).noneMatch(n -> n.contains("failed"));

    Gmm.Run missing = Gmm.run("fit", "--input", root + "/warehouse/nothing", "--k", "2", "--output", output);
    assertThat(missing.status()).isEqualTo(3);
    assertThat(missing.err()).contains(root + "/warehouse/nothing");
  }

  private static List<String> names(String dir) throws IOException {
    return HadoopFiles.names(fs, dir);
  }

  private static String read(String file) throws IOException {
    return HadoopFiles.read(fs, file);
  }
}
