import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** Writes a CSV (header, inferred types) as one Parquet file. Used by make-examples.sh only. */
public class CsvToParquet {
  public static void main(String[] args) throws IOException {
    Path csv = Path.of(args[0]);
    Path target = Path.of(args[1]);
    Path tmp = Files.createTempDirectory("csv2parquet").resolve("out");
    SparkSession spark = SparkSession.builder().master("local[1]").appName("csv2parquet").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString())
        .coalesce(1).write().parquet(tmp.toString());
    spark.stop();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "part-*.parquet")) {
      for (Path p : parts) {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (Stream<Path> walk = Files.walk(tmp.getParent())) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
