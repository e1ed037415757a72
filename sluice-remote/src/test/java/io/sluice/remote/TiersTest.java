package io.sluice.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TiersTest {

  /** Settings as sluice.toml gives them: tables in file order. */
  private static Settings settings(Object... tiersAndTables) {
    Map<String, Object> tiers = new LinkedHashMap<>();
    for (int i = 0; i < tiersAndTables.length; i += 2) {
      tiers.put((String) tiersAndTables[i], tiersAndTables[i + 1]);
    }
    return new Settings(Map.of("tiers", tiers));
  }

  private static Map<String, Object> table(Object... keysAndValues) {
    Map<String, Object> table = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      table.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return table;
  }

  @Test
  void readsEverySettingOfATierAndItsBackendOptions() {
    Tiers tiers = Tiers.from(settings("Large", table(
        "cpus", 8, "memory", "4g", "gpus", 1, "time_limit", "90m", "max_parallel", 3,
        "slurm", table("partition", "large", "qos", "normal"))));

    Tier large = tiers.get("Large");

    assertThat(large.name()).isEqualTo("Large");
    assertThat(large.cpus()).isEqualTo(8);
    assertThat(large.memoryMb()).isEqualTo(4096);
    assertThat(large.gpus()).isEqualTo(1);
    assertThat(large.timeLimit()).isEqualTo(Duration.ofMinutes(90));
    assertThat(large.maxParallel()).isEqualTo(3);
    assertThat(large.optionsFor("slurm")).containsExactly(Map.entry("partition", "large"), Map.entry("qos", "normal"));
    assertThat(large.optionsFor("kubernetes")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"512m, 512", "512M, 512", "4g, 4096", "4GiB, 4096", "1.5g, 1536", "1t, 1048576", "300, 300"})
  void memoryIsASizeInMebibytes(String memory, long mebibytes) {
    assertThat(Tiers.from(settings("Small", table("memory", memory))).get("Small").memoryMb()).isEqualTo(mebibytes);
  }

  @Test
  void memoryMbIsAWholeNumberOfMebibytes() {
    assertThat(Tiers.from(settings("Small", table("memory_mb", 2048))).get("Small").memoryMb()).isEqualTo(2048);
  }

  @Test
  void unsetSettingsMeanOneCpuAndNoLimits() {
    Tier tier = Tiers.from(settings("Small", table())).get("Small");

    assertThat(tier.cpus()).isEqualTo(1);
    assertThat(tier.memoryMb()).isZero();
    assertThat(tier.gpus()).isZero();
    assertThat(tier.timeLimit()).isNull();
    assertThat(tier.maxParallel()).isZero();
    assertThat(tier.backendOptions()).isEmpty();
  }

  @Test
  void anUnknownTierIsNamedWithTheDefinedOnes() {
    Tiers tiers = Tiers.from(settings("Small", table(), "Large", table(), "GPU", table("gpus", 1)));

    assertThat(tiers.names()).containsExactly("Small", "Large", "GPU");
    assertThatThrownBy(() -> tiers.get("XLarge"))
        .isInstanceOf(SchedulingException.class)
        .hasMessage("Tier 'XLarge' is not defined in sluice.toml (defined: Small, Large, GPU)");
  }

  @Test
  void withoutTiersTheMessageSaysHowToDefineOne() {
    assertThatThrownBy(() -> Tiers.from(Settings.empty()).get("Small"))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("Tier 'Small' is not defined in sluice.toml")
        .hasMessageContaining("[tiers.Small]");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("cpus", "two"),
        Arguments.of("cpus", 1.5),
        Arguments.of("cpus", 0),
        Arguments.of("gpus", -1),
        Arguments.of("max_parallel", -2),
        Arguments.of("memory", "lots"),
        Arguments.of("memory_mb", "4096MB"),
        Arguments.of("time_limit", "soon"),
        Arguments.of("time_limit", "P1X"),
        Arguments.of("time_limit", "1.2.3s"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void aBadValueIsReportedWithItsTierAndKey(String key, Object value) {
    Settings settings = settings("Small", table(), "Large", table(key, value));

    assertThatThrownBy(() -> Tiers.from(settings))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("[tiers.Large]")
        .hasMessageContaining(key);
  }

  @Test
  void anUnknownSettingIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> Tiers.from(settings("Small", table("cores", 4))))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("[tiers.Small]")
        .hasMessageContaining("'cores'")
        .hasMessageContaining("cpus");
  }

  @Test
  void aTierThatIsNotATableIsRefused() {
    assertThatThrownBy(() -> Tiers.from(settings("Small", 4)))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("tiers.Small must be a table");
  }
}
