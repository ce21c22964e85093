package org.sparkgmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.testing.Gmm;
import org.sparkgmm.testing.SharedSpark;

/**
 * Every bad input gets one clear line on stderr, its exit status (2 usage, 3 data) and leaves no
 * output behind: not the output directory, not a staging directory.
 */
class BadInputIT {
  @TempDir
  Path tmp;
  Path out;
  Path good;

  @BeforeEach
  void setUp() throws Exception {
    out = tmp.resolve("result");
    good = csv("good.csv", "a,b,name", "1.0,2.0,x", "2.0,1.5,y", "3.0,4.0,z", "4.0,3.5,w", "5.5,1.0,v");
  }

  private Path csv(String name, String... lines) throws Exception {
    return Files.write(tmp.resolve(name), List.of(lines));
  }

  private Gmm.Run fit(String... args) {
    return Gmm.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("fit"),
        java.util.Arrays.stream(args)).toArray(String[]::new));
  }

  /**
   * Exit status, the one-line message (the last line on stderr, after any progress lines, and the
   * only one that starts with "gmm: "), no stack trace, and nothing written next to the output.
   */
  private void assertFails(Gmm.Run run, int status, String... messageParts) {
    assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(status);
    List<String> lines = run.err().lines().toList();
    assertThat(lines).as("stderr").isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).startsWith("gmm: ").contains(messageParts);
    assertThat(lines).as("one error line without --verbose: %s", run.err())
        .filteredOn(l -> l.startsWith("gmm: ") || l.startsWith("\tat ")).hasSize(1);
    assertThat(Files.exists(out)).as("output directory created").isFalse();
    assertThat(Gmm.listAll(tmp).stream().map(p -> p.getFileName().toString()))
        .as("staging leftovers").noneMatch(n -> n.contains("staging"));
  }

  /**
   * Paths this user may not read or write, on the local file system. The driver is a child process;
   * run by root, it gives up the capabilities that bypass file permissions (setpriv), so the kernel
   * checks them as for any user. HdfsIT does the same on HDFS.
   */
  @Test
  void pathsWithoutPermissionAreNamedAndNothingIsWritten() throws Exception {
    Path iris = org.sparkgmm.testing.Launcher.ROOT.resolve("conf/examples/iris.parquet");
    Path locked = Files.copy(iris, tmp.resolve("locked.parquet"));
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    Files.copy(iris, dir.resolve("part-0.parquet"));
    Path lockedPart = Files.copy(iris, dir.resolve("part-1.parquet"));
    Path model = tmp.resolve("model");
    fit("--input", iris.toString(), "--k", "3", "--no-report", "--output", model.toString()).ok();
    Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
    for (Path p : List.of(locked, lockedPart, model.resolve("model/model.json"))) {
      Files.setPosixFilePermissions(p, java.util.Set.of());
    }
    Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));

    assertDenied(3, "gmm: Input path " + locked + " cannot be read: permission denied", "fit", "--input",
        locked.toString(), "--k", "3", "--output", out.toString());
    assertDenied(3, "gmm: Input path " + dir + " cannot be read: permission denied (" + lockedPart
        + " (Permission denied))", "fit", "--input", dir.toString(), "--k", "3", "--output", out.toString());
    assertDenied(3, "gmm: Cannot read model " + model + ": permission denied", "predict", "--model", model.toString(),
        "--input", iris.toString(), "--output", out.toString());
    assertDenied(2, "gmm: Output " + readOnly.resolve("out") + " cannot be written: permission denied", "fit",
        "--input", iris.toString(), "--k", "3", "--output", readOnly.resolve("out").toString());
    assertThat(Gmm.listAll(readOnly)).isEmpty();
  }

  private void assertDenied(int status, String line, String... args) {
    List<String> command = new java.util.ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search",
          "--inh-caps=-dac_override,-dac_read_search", "--"));
    }
    command.add(org.sparkgmm.testing.Launcher.ROOT.resolve("submit-scripts/gmm").toString());
    command.addAll(List.of(args));
    org.sparkgmm.testing.Launcher.Result r = org.sparkgmm.testing.Launcher.run(tmp.resolve("logs"), java.util.Map.of(),
        command);
    assertThat(r.status()).as("exit status; stderr: %s", r.stderr()).isEqualTo(status);
    // (Spark's own log lines, with their stack traces, go to stderr too in a child process.)
    List<String> ours = r.stderr().lines().filter(l -> l.startsWith("gmm: ")).toList();
    assertThat(ours).as("stderr: %s", r.stderr()).hasSize(1);
    assertThat(ours.get(0)).startsWith(line);
    assertThat(out).doesNotExist();
  }

  /** One stray word makes a CSV column strings: named with --features, the error gives its row and value. */
  @Test
  void aNamedFeatureSpoiledByAStrayWordNamesItsRowAndValue() throws Exception {
    Path spoiled = csv("spoiled.csv", "a,b", "1.0,2.0", "2.0,1.5", "3.0,oops", "4.0,3.5", "5.5,1.0", "6.0,2.5");
    assertFails(fit("--input", spoiled.toString(), "--k", "2", "--features", "a,b", "--output", out.toString()), 3,
        "Column 'b' (--features) in " + spoiled + " is string, not numeric: row 3 has 'oops'");
  }

  /**
   * Without --features the spoiled column is left out, but never silently: a warning line names it
   * with its count of numbers and the stray value, and metrics record every column left out.
   */
  @Test
  void theDefaultFeatureChoiceNamesWhatItLeavesOut() throws Exception {
    Path spoiled = csv("spoiled.csv", "a,b,name", "1.0,2.0,x", "2.0,1.5,y", "3.0,oops,z", "4.0,3.5,w", "5.5,1.0,v",
        "6.0,2.5,u");
    Gmm.Run run = fit("--input", spoiled.toString(), "--k", "2", "--no-report", "--output", out.toString()).ok();
    assertThat(run.err()).contains("fit: warning: column 'b' (string: 5 of 6 values are numbers; 'oops' is not) is"
        + " left out").contains("fit: not numeric, so not features: 'name' (string, no value is a number)");
    com.fasterxml.jackson.databind.JsonNode left = Gmm.metrics(out).get("columns_left_out");
    assertThat(left).hasSize(2);
    assertThat(left.get(0).get("column").asText()).isEqualTo("b");
    assertThat(left.get(0).get("numbers").asLong()).isEqualTo(5);
    assertThat(left.get(0).get("example").asText()).isEqualTo("oops");
    assertThat(left.get(1).get("column").asText()).isEqualTo("name");
    assertThat(Gmm.model(out).features()).containsExactly("a");
  }

  private Path parquet(String name, StructType schema, List<org.apache.spark.sql.Row> rows) {
    Path dir = tmp.resolve(name);
    SharedSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  private static Path partFile(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  @Test
  void aTruncatedParquetFileIsNamed() throws Exception {
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType);
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(RowFactory.create(i * 0.5, i % 7 * 1.0));
    }
    Path dir = parquet("truncated", schema, rows);
    Path part = partFile(dir);
    byte[] bytes = Files.readAllBytes(part);
    Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertFails(fit("--input", dir.toString(), "--k", "2", "--output", out.toString()), 3, part.getFileName().toString());
  }

  /** A CSV row with fewer or more fields than the header is named, not padded with nulls or cut. */
  @Test
  void raggedCsvRowsAreNamed() throws Exception {
    Path extra = csv("extra.csv", "a,b", "1.0,2.0", "2.0,1.5", "3.0,4.0,9.0", "4.0,3.5", "5.5,1.0");
    assertFails(fit("--input", extra.toString(), "--k", "2", "--output", out.toString()), 3, extra.toString(),
        "3.0,4.0,9.0");
    Path fewer = csv("fewer.csv", "a,b", "1.0,2.0", "2.0,1.5", "3.0", "4.0,3.5", "5.5,1.0");
    assertFails(fit("--input", fewer.toString(), "--k", "2", "--output", out.toString()), 3, fewer.toString());
  }

  /** A directory whose files disagree about the columns names the files and the columns. */
  @Test
  void aDirectoryMixingSchemasIsNamed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    Path ab = parquet("ab", new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType),
        List.of(RowFactory.create(1.0, 2.0), RowFactory.create(3.0, 1.0), RowFactory.create(5.0, 4.0)));
    Path ac = parquet("ac", new StructType().add("a", DataTypes.DoubleType).add("c", DataTypes.StringType),
        List.of(RowFactory.create(1.0, "x"), RowFactory.create(3.0, "y")));
    Files.copy(partFile(ab), dir.resolve("part-0.parquet"));
    Files.copy(partFile(ac), dir.resolve("part-1.parquet"));
    assertFails(fit("--input", dir.toString(), "--k", "2", "--output", out.toString()), 3, dir.toString(),
        "part-0.parquet", "part-1.parquet");
  }

  @Test
  void anEmptyDirectoryIsNamed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("nothing"));
    assertFails(fit("--input", dir.toString(), "--k", "2", "--output", out.toString()), 3,
        "Input directory " + dir + " has no data files");
  }

  @Test
  void missingFeatureColumnNamesTheColumnsThereAre() {
    assertFails(fit("--input", good.toString(), "--k", "2", "--features", "a,c", "--output", out.toString()),
        3, "Column 'c' (--features) is not in", "its columns are: a double, b double, name string");
  }

  @Test
  void nonNumericFeatureColumn() {
    assertFails(fit("--input", good.toString(), "--k", "2", "--features", "a,name", "--output", out.toString()),
        3, "Column 'name' (--features)", "is string, not numeric");
  }

  @Test
  void nanValueGivesTheCountAndFirstRow() throws Exception {
    Path bad = csv("nan.csv", "a,b", "1,2", "2,1", "3,NaN", "4,3", "5,NaN");
    assertFails(fit("--input", bad.toString(), "--k", "2", "--output", out.toString()),
        3, "2 rows of", "the first is row 3 ('b' is NaN)", "--invalid-rows skip");
  }

  @Test
  void nullAndInfinityAreInvalidToo() throws Exception {
    Path bad = csv("null.csv", "a,b", "1,2", "2,", "3,Inf", "4,3", "5,1");
    assertFails(fit("--input", bad.toString(), "--k", "2", "--output", out.toString()),
        3, "2 rows of", "the first is row 2 ('b' is null)");
  }

  @Test
  void invalidRowsSkipDropsThemAndReportsTheCount() throws Exception {
    Path bad = csv("skip.csv", "a,b", "1,2", "2,", "3,Inf", "4,3", "5,1", "1.5,2.5", "6,-Inf");
    Gmm.run("fit", "--input", bad.toString(), "--k", "2", "--invalid-rows", "skip", "--covariance", "spherical",
        "--output", out.toString()).ok();
    assertThat(Gmm.metrics(out).get("rows_skipped").asLong()).isEqualTo(3);
    assertThat(Gmm.metrics(out).get("n_rows").asLong()).isEqualTo(4);
    assertThat(Files.exists(out.resolve("_SUCCESS"))).isTrue();
  }

  @Test
  void emptyInput() throws Exception {
    Path empty = csv("empty.csv", "a,b");
    assertFails(fit("--input", empty.toString(), "--k", "2", "--features", "a,b", "--format", "csv",
        "--output", out.toString()), 3, "has no");
  }

  @Test
  void emptyParquetInput() {
    Path empty = tmp.resolve("empty.parquet");
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType);
    SharedSpark.session().createDataFrame(List.of(), schema).write().parquet(empty.toString());
    assertFails(fit("--input", empty.toString(), "--k", "2", "--output", out.toString()), 3,
        "Input " + empty + " has no rows");
  }

  @Test
  void moreComponentsThanRows() {
    assertFails(fit("--input", good.toString(), "--k", "6", "--output", out.toString()),
        3, "Cannot fit 6 components to 5 valid rows", "k must not exceed the number of rows");
  }

  @Test
  void inputPathThatDoesNotExist() {
    assertFails(fit("--input", tmp.resolve("nope.parquet").toString(), "--k", "2", "--output", out.toString()),
        3, "Input path " + tmp.resolve("nope.parquet") + " does not exist");
  }

  @Test
  void inputThatIsNotParquet() throws Exception {
    Path text = Files.writeString(tmp.resolve("data.parquet"), "this is not parquet\n");
    assertFails(fit("--input", text.toString(), "--k", "2", "--output", out.toString()), 3, "Cannot read " + text);
  }

  @Test
  void constantFeatureWithoutRegularisation() throws Exception {
    // Accepted with reg_covar (ModelQualityIT); without it, no covariance can be positive definite.
    Path constant = csv("const.csv", "a,b", "1,7", "2,7", "3,7", "4,7");
    assertFails(fit("--input", constant.toString(), "--k", "2", "--reg-covar", "0", "--output", out.toString()),
        3, "increase reg_covar");
  }

  @Test
  void vectorOfWrongLength() {
    Path p = tmp.resolve("arrays.parquet");
    StructType schema = new StructType().add("v", DataTypes.createArrayType(DataTypes.DoubleType));
    SharedSpark.session().createDataFrame(List.of(RowFactory.create(List.of(1.0, 2.0)),
        RowFactory.create(List.of(1.0, 2.0, 3.0)), RowFactory.create(List.of(2.0, 1.0))), schema)
        .coalesce(1).write().parquet(p.toString());
    assertFails(fit("--input", p.toString(), "--features-col", "v", "--k", "2", "--output", out.toString()),
        3, "the first is row 2 ('v' has 3 values, the first row has 2)");
  }

  @Test
  void unknownModelVersion() throws Exception {
    Path model = Files.writeString(tmp.resolve("m.json"), "{\"format\": \"spark-gmm-model\", \"format_version\": 9}");
    assertFails(fit("--input", good.toString(), "--init-model", model.toString(), "--output", out.toString()),
        3, "has format_version 9, this build reads versions 1 to 2");
  }

  @Test
  void unknownFlag() {
    assertFails(fit("--input", good.toString(), "--k", "2", "--bogus", "--output", out.toString()), 2,
        "Unknown option: '--bogus'");
  }

  @Test
  void badValues() {
    assertFails(fit("--input", good.toString(), "--k", "0", "--output", out.toString()), 2,
        "--k must be >= 1");
    assertFails(fit("--input", good.toString(), "--k", "two", "--output", out.toString()), 2,
        "Invalid value for --k: 'two' is not an integer");
    assertFails(fit("--input", good.toString(), "--k", "2", "--covariance", "banana", "--output", out.toString()), 2,
        "Invalid value for --covariance: 'banana': use one of full, tied, diag, spherical");
    assertFails(fit("--input", good.toString(), "--k", "2", "--tol", "-1", "--output", out.toString()), 2,
        "--tol must be finite and >= 0, got -1.0");
    assertFails(fit("--input", good.toString(), "--output", out.toString()), 2, "--k is required");
    assertFails(fit("--k", "2", "--output", out.toString()), 2, "--input is required");
  }

  @Test
  void existingOutputIsRefusedAndKept() throws Exception {
    Gmm.run("fit", "--input", good.toString(), "--k", "2", "--output", out.toString()).ok();
    String before = Files.readString(out.resolve("model/model.json"));
    Gmm.Run again = Gmm.run("fit", "--input", good.toString(), "--k", "2", "--seed", "5", "--output", out.toString());
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err()).contains("Output " + out + " already exists: pass --overwrite");
    assertThat(Files.readString(out.resolve("model/model.json"))).isEqualTo(before);
  }

  @Test
  void failedOverwriteLeavesTheEarlierOutputWhole() throws Exception {
    Gmm.run("fit", "--input", good.toString(), "--k", "2", "--output", out.toString()).ok();
    String before = Files.readString(out.resolve("model/model.json"));
    Gmm.Run failed = Gmm.run("fit", "--input", good.toString(), "--k", "9", "--overwrite", "--output", out.toString());
    assertThat(failed.status()).isEqualTo(3);
    assertThat(Files.readString(out.resolve("model/model.json"))).isEqualTo(before);
    assertThat(Files.exists(out.resolve("_SUCCESS"))).isTrue();
    assertThat(Gmm.listAll(tmp).stream().map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.contains("staging") || n.contains(".old-"));
  }

  /**
   * The state a run killed in the middle of an overwrite's switch leaves on the local file system
   * (the old output aside, the target missing or partial without _SUCCESS): the next run writing
   * that output puts the old one back before anything else.
   */
  @Test
  void anInterruptedSwitchIsUndoneByTheNextRun() throws Exception {
    Gmm.run("fit", "--input", good.toString(), "--k", "2", "--no-report", "--output", out.toString()).ok();
    String before = Files.readString(out.resolve("model/model.json"));
    Path aside = tmp.resolve(".result.old-0b5e");
    Files.move(out, aside);
    Files.createDirectories(out.resolve("model"));
    Files.writeString(out.resolve("model/model.json"), "{\"partial\"");
    Gmm.Run refused = fit("--input", good.toString(), "--k", "2", "--output", out.toString());
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("already exists");
    assertThat(Files.readString(out.resolve("model/model.json"))).isEqualTo(before);
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(aside).doesNotExist();
  }

  @Test
  void verboseAddsTheStackTrace() {
    Gmm.Run run = fit("--input", good.toString(), "--k", "6", "--verbose", "--output", out.toString());
    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err()).contains("Cannot fit 6 components").contains("\tat org.sparkgmm.");
    SharedSpark.session().sparkContext().setLogLevel("WARN");
  }

  @Test
  void verboseFromTheConfigFileAddsTheStackTraceToo() throws Exception {
    Path config = Files.writeString(tmp.resolve("v.properties"), "gmm.verbose=true\n");
    Gmm.Run run = fit("--input", good.toString(), "--k", "6", "--config", config.toString(), "--output", out.toString());
    assertThat(run.status()).isEqualTo(3);
    assertThat(run.err()).contains("Cannot fit 6 components").contains("\tat org.sparkgmm.");
    SharedSpark.session().sparkContext().setLogLevel("WARN");
  }

  @Test
  void labelCountThatDoesNotMatchKIsAUsageError() throws Exception {
    Path labelled = csv("labelled.csv", "a,b,y", "1.0,2.0,p", "2.0,1.5,q", "3.0,4.0,", "4.0,3.5,r", "5.5,1.0,p");
    assertFails(fit("--input", labelled.toString(), "--features", "a,b", "--label-col", "y", "--k", "2",
        "--output", out.toString()), 2, "--k 2 does not match the 3 distinct labels of --label-col y (p, q, r)");
  }

  @Test
  void labelColumnThatIsMissingOrEmpty() throws Exception {
    assertFails(fit("--input", good.toString(), "--features", "a,b", "--label-col", "nope", "--output",
        out.toString()), 3, "Column 'nope' (--label-col) is not in");
    Path unlabelled = csv("unlabelled.csv", "a,b,y", "1.0,2.0,", "2.0,1.5,", "3.0,4.0,");
    assertFails(fit("--input", unlabelled.toString(), "--features", "a,b", "--label-col", "y", "--output",
        out.toString()), 3, "--label-col y of", "has no labelled row");
  }

  @Test
  void startOptionsThatContradictEachOther() {
    assertFails(fit("--input", good.toString(), "--k", "2", "--n-init", "0", "--output", out.toString()), 2,
        "--n-init must be >= 1");
    assertFails(fit("--input", good.toString(), "--init-model", good.toString(), "--n-init", "3", "--output",
        out.toString()), 2, "--n-init 3 needs random starts, but --init-model gives one fixed start");
    assertFails(fit("--input", good.toString(), "--k", "2", "--update", "wx", "--output", out.toString()), 2,
        "Invalid value for --update: 'wx': 'x' is not one of w (weights), m (means), c (covariances)");
    assertFails(fit("--input", good.toString(), "--k", "2", "--init", "kmeans", "--output", out.toString()), 2,
        "Unknown --init 'kmeans': use kmeans-parallel or kmeans++ or random or random-from-data or hc");
  }

  @Test
  void fewerDistinctRowsThanComponentsForEveryInit() throws Exception {
    Path repeated = csv("repeated.csv", "a,b", "1.0,2.0", "1.0,2.0", "3.0,4.0", "3.0,4.0", "1.0,2.0");
    for (String init : new String[] {"kmeans-parallel", "kmeans++", "random-from-data", "hc"}) {
      assertFails(fit("--input", repeated.toString(), "--k", "3", "--init", init, "--output", out.toString()), 3,
          "only 2 distinct rows with positive weight");
    }
  }

  /** A valid model of features a and b, written where the commands below read it. */
  private Path model() throws Exception {
    return Files.writeString(tmp.resolve("model.json"), "{\"format\":\"spark-gmm-model\",\"format_version\":1,"
        + "\"covariance_type\":\"spherical\",\"n_components\":2,\"n_features\":2,\"features\":[\"a\",\"b\"],"
        + "\"weights\":[0.5,0.5],\"means\":[[1,2],[4,3]],\"covariances\":[1,1]}");
  }

  /** A model file whose weights do not sum to 1, or that is cut short, is refused naming the field. */
  @Test
  void aDefectiveModelFileIsRefusedNamingTheField() throws Exception {
    String json = Files.readString(model());
    Path weights = Files.writeString(tmp.resolve("weights.json"), json.replaceFirst("\"weights\":\\[[^\\]]*\\]",
        "\"weights\":[0.5,0.1]"));
    assertFails(Gmm.run("predict", "--model", weights.toString(), "--input", good.toString(), "--output",
        out.toString()), 3, weights.toString(), "\"weights\" must sum to 1, they sum to 0.6");
    Path cut = Files.writeString(tmp.resolve("cut.json"), json.substring(0, json.length() / 2));
    assertFails(Gmm.run("score", "--model", cut.toString(), "--input", good.toString()), 3, cut.toString(),
        "is not valid JSON");
  }

  @Test
  void aModelOfAnUnknownFormatVersionIsRefusedByEveryCommand() throws Exception {
    Path future = Files.writeString(tmp.resolve("future.json"), Files.readString(model())
        .replace("\"format_version\":1", "\"format_version\":99"));
    String[][] commands = {
        {"predict", "--model", future.toString(), "--input", good.toString(), "--output", out.toString()},
        {"score", "--model", future.toString(), "--input", good.toString(), "--output", out.toString()},
        {"sample", "--model", future.toString(), "--n", "10", "--output", out.toString()},
        {"fit", "--init-model", future.toString(), "--input", good.toString(), "--features", "a,b", "--output",
            out.toString()}};
    for (String[] command : commands) {
      assertFails(Gmm.run(command), 3, "format_version 99", "this build reads versions 1 to 2");
    }
  }

  @Test
  void predictNamesMissingFeatureColumnsAndClashingKeptColumns() throws Exception {
    Path onlyA = csv("only-a.csv", "a,c", "1.0,2.0", "2.0,3.0");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", onlyA.toString(), "--output",
        out.toString()), 3, "lacks the model's feature column 'b'", "the model's features are [a, b]");
    Path clash = csv("clash.csv", "a,b,prediction", "1.0,2.0,1", "2.0,3.0,0");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", clash.toString(), "--keep-cols",
        "prediction", "--output", out.toString()), 3, "Column 'prediction' (--keep-cols)", "rename it first");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", good.toString(), "--keep-cols",
        "nope", "--output", out.toString()), 3, "Column 'nope' (--keep-cols) is not in");
  }

  @Test
  void predictAndScoreRefuseInvalidRowsLikeFit() throws Exception {
    Path bad = csv("nan.csv", "a,b", "1,2", "2,1", "3,NaN", "4,3");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", bad.toString(), "--output",
        out.toString()), 3, "1 row of", "the first is row 3 ('b' is NaN)", "--invalid-rows skip");
    assertFails(Gmm.run("score", "--model", model().toString(), "--input", bad.toString(), "--output",
        out.toString()), 3, "1 row of", "the first is row 3 ('b' is NaN)");
    Path empty = csv("empty.csv", "a,b");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", empty.toString(), "--output",
        out.toString()), 3, "has no rows");
  }

  @Test
  void modelUsersRefuseMissingModelsAndBadCounts() throws Exception {
    assertFails(Gmm.run("score", "--model", tmp.resolve("nope").toString(), "--input", good.toString()), 3,
        "Model " + tmp.resolve("nope") + " does not exist");
    assertFails(Gmm.run("sample", "--model", model().toString(), "--n", "0", "--output", out.toString()), 2,
        "--n must be >= 1");
    assertFails(Gmm.run("predict", "--model", model().toString(), "--input", good.toString()), 2,
        "--output is required");
    assertFails(Gmm.run("select", "--input", good.toString(), "--k", "0..3", "--output", out.toString()), 2,
        "every k must be >= 1");
    assertFails(Gmm.run("select", "--input", good.toString(), "--k", "2..x", "--output", out.toString()), 2,
        "Invalid value for --k: '2..x'");
    assertFails(Gmm.run("select", "--input", good.toString(), "--k", "1..3", "--covariance", "full,round",
        "--output", out.toString()), 2, "Invalid value for --covariance: 'round'");
    assertFails(Gmm.run("select", "--input", good.toString(), "--k", "1..9", "--output", out.toString()), 3,
        "Cannot fit 6 components to 5 valid rows");
  }
}
