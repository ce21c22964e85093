package org.sparkgmm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkgmm.distribution.CovarianceType;
import org.sparkgmm.errors.UsageException;

class ConfigResolverTest {
  @TempDir
  Path tmp;

  private static Map<String, String> cli(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void commandLineBeatsConfigFileBeatsDefaults() throws Exception {
    Path file = Files.writeString(tmp.resolve("job.properties"),
        "gmm.k = 4\ngmm.tol = 1e-5\ngmm.covariance = diag\nspark.executor.memory = 2g\n");
    FitConfig c = ConfigResolver.resolve(cli("input", "in.parquet", "output", "out", "k", "3"),
        List.of("spark.sql.shuffle.partitions=8"), file.toString());
    assertThat(c.k()).isEqualTo(3);
    assertThat(c.tol()).isEqualTo(1e-5);
    assertThat(c.covariance()).isEqualTo(CovarianceType.DIAG);
    assertThat(c.maxIter()).isEqualTo(100);
    assertThat(c.regCovar()).isEqualTo(1e-6);
    assertThat(c.format()).isEqualTo(InputFormat.PARQUET);
    assertThat(c.sparkConf()).containsEntry("spark.executor.memory", "2g")
        .containsEntry("spark.sql.shuffle.partitions", "8");
  }

  @Test
  void bundledConfigTemplateHoldsTheDefaults() throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(Path.of(System.getProperty("user.dir")).getParent()
        .resolve("conf/gmm.properties"))) {
      p.load(in);
    }
    for (String key : p.stringPropertyNames()) {
      assertThat(key).startsWith("gmm.");
      String flag = key.substring(4);
      assertThat(ConfigResolver.DEFAULTS).as("known key " + key).containsKey(flag);
      assertThat(p.getProperty(key)).as(key).isEqualTo(ConfigResolver.DEFAULTS.get(flag));
    }
    assertThat(p.stringPropertyNames()).as("every defaulted flag is documented")
        .containsAll(ConfigResolver.DEFAULTS.entrySet().stream().filter(e -> e.getValue() != null)
            .map(e -> "gmm." + e.getKey()).toList());
  }

  @Test
  void formatFollowsTheExtension() {
    assertThat(ConfigResolver.resolve(cli("input", "a/b.CSV", "output", "o", "k", "2"), List.of(), null).format())
        .isEqualTo(InputFormat.CSV);
  }

  @Test
  void unknownConfigKeyIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("bad.properties"), "gmm.kk = 4\n");
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o"), List.of(), file.toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("Unknown key 'gmm.kk' in " + file);
  }

  @Test
  void missingConfigFile() {
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o"), List.of(), "/nope.properties"))
        .isInstanceOf(UsageException.class).hasMessage("--config file /nope.properties does not exist");
  }

  @Test
  void covarianceComesFromTheInitModelWhenNotGiven() {
    FitConfig c = ConfigResolver.resolve(cli("input", "i", "output", "o", "init-model", "m.json"), List.of(), null);
    assertThat(c.k()).isZero();
    assertThat(c.covariance()).isNull();
  }

  @Test
  void badConfPair() {
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o", "k", "2"), List.of("novalue"),
        null)).hasMessage("--conf takes key=value, got 'novalue'");
  }

  @Test
  void unknownEnumNamesListTheChoices() {
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o", "k", "2", "invalid-rows", "drop"),
        List.of(), null)).isInstanceOf(UsageException.class)
        .hasMessage("Unknown --invalid-rows 'drop': use error or skip");
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o", "k", "2", "format", "orc"),
        List.of(), null)).hasMessage("Unknown --format 'orc': use parquet or csv");
    assertThatThrownBy(() -> ConfigResolver.resolve(cli("input", "i", "output", "o", "k", "2", "init", "kmeans"),
        List.of(), null)).hasMessage("Unknown --init 'kmeans': use kmeans-parallel or kmeans++ or random or random-from-data or hc");
  }
}
