package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.remote.Tier;
import io.sluice.remote.Tiers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a hardware tier of sluice.toml becomes sbatch options (no cluster needed). */
class SbatchOptionsTest {

  private static final Tiers TIERS = TestRuns.PROJECT_TIERS;

  @Test
  void smallTierAsksForItsPartitionCpusMemoryAndTime() {
    assertThat(SbatchOptions.of(TIERS.get("Small"), null))
        .containsExactly("--partition=small", "--cpus-per-task=1", "--mem=1024", "--time=01:00:00");
  }

  @Test
  void largeTierAsksForTwoCpusAndFourGigabytesOnTheLargePartition() {
    assertThat(SbatchOptions.of(TIERS.get("Large"), null))
        .containsExactly("--partition=large", "--cpus-per-task=2", "--mem=4096", "--time=04:00:00");
  }

  @Test
  void accountAndExtraOptionsComeLastAsTheyAre() {
    Tier tier = new Tier("Shared", 4, 0, 0, null, 0, Map.of("slurm",
        Map.of("account", "ml", "options", List.of("--qos=normal", "--exclusive"))));

    assertThat(SbatchOptions.of(tier, null))
        .containsExactly("--cpus-per-task=4", "--account=ml", "--qos=normal", "--exclusive");
  }

  @Test
  void aGresOfTheTierWinsOverItsGpuCount() {
    assertThat(SbatchOptions.of(TIERS.get("GPU"), null))
        .contains("--gres=gpu:fake:1")
        .noneMatch(option -> option.startsWith("--gpus"));
  }

  @Test
  void gpusWithoutGresAskForThatManyGpusAndNothingIsAskedThatTheTierDoesNotSay() {
    Tier tier = new Tier("Bare", 1, 0, 2, null, 0, Map.of());

    assertThat(SbatchOptions.of(tier, null)).containsExactly("--cpus-per-task=1", "--gpus=2");
  }

  @Test
  void theRunsOwnTimeLimitReplacesTheTiers() {
    assertThat(SbatchOptions.of(TIERS.get("Small"), Duration.ofSeconds(90))).contains("--time=00:01:30")
        .doesNotContain("--time=01:00:00");
  }

  @ParameterizedTest
  @CsvSource({"PT5S, 00:00:05", "PT1.2S, 00:00:02", "PT0S, 00:00:01", "PT1H, 01:00:00", "PT59M59S, 00:59:59",
      "PT36H, 1-12:00:00", "P3DT0H0M7S, 3-00:00:07"})
  void timeLimitsAreWrittenAsSlurmTimesRoundedUpToTheSecond(Duration limit, String slurmTime) {
    assertThat(SbatchOptions.time(limit)).isEqualTo(slurmTime);
  }

  @Test
  void anUnknownSettingIsNamedWithTheKnownOnes() {
    Tier tier = new Tier("Small", 1, 0, 0, null, 0, Map.of("slurm", Map.of("partiton", "small")));

    assertThatThrownBy(() -> SbatchOptions.of(tier, null)).isInstanceOf(SchedulingException.class)
        .hasMessage("sluice.toml: [tiers.Small.slurm] has unknown setting 'partiton'"
            + " (known: partition, gres, account, options)");
  }

  @Test
  void optionsMustBeAListOfOptions() {
    Tier tier = new Tier("Small", 1, 0, 0, null, 0, Map.of("slurm", Map.of("options", "--qos=high")));

    assertThatThrownBy(() -> SbatchOptions.of(tier, null)).isInstanceOf(SchedulingException.class)
        .hasMessageContaining("[tiers.Small.slurm] options = --qos=high must be a list of sbatch options");
  }

  @Test
  void aPartitionIsOneWord() {
    Tier tier = new Tier("Small", 1, 0, 0, null, 0, Map.of("slurm", Map.of("partition", "small large")));

    assertThatThrownBy(() -> SbatchOptions.of(tier, null)).isInstanceOf(SchedulingException.class)
        .hasMessageContaining("[tiers.Small.slurm] partition = small large must be a word in quotes");
  }

  @Test
  void otherBackendsTablesAreNotRead() {
    Tier tier = new Tier("Small", 1, 0, 0, null, 0, Map.of("kubernetes", Map.of("node_selector", "x")));

    assertThat(SbatchOptions.of(tier, null)).containsExactly("--cpus-per-task=1");
  }
}
