package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [slurm] section of sluice.toml. */
class SlurmConfigTest {

  private static final Path PROJECT = Path.of("/work/project");
  private static final Path STATE = PROJECT.resolve(".sluice");

  @Test
  void runsGoUnderTheProjectsStateDirectoryUnlessToldOtherwise() {
    SlurmConfig config = SlurmConfig.from(PROJECT, STATE, Settings.empty());

    assertThat(config).isEqualTo(new SlurmConfig(Path.of("/work/project/.sluice/slurm-runs"), Duration.ofMillis(250),
        Duration.ofSeconds(60)));
  }

  @Test
  void aRelativeSharedDirectoryIsTakenFromTheProjectRoot() {
    Settings settings = new Settings(Map.of("slurm", Map.of("shared_dir", "../shared/runs", "query_interval", "1s",
        "command_timeout", "2m")));

    assertThat(SlurmConfig.from(PROJECT, STATE, settings)).isEqualTo(new SlurmConfig(Path.of("/work/shared/runs"),
        Duration.ofSeconds(1), Duration.ofMinutes(2)));
  }

  @Test
  void anUnknownSettingIsNamedWithTheKnownOnes() {
    Settings settings = new Settings(Map.of("slurm", Map.of("shared", "/x")));

    assertThatThrownBy(() -> SlurmConfig.from(PROJECT, STATE, settings)).isInstanceOf(SchedulingException.class)
        .hasMessage("sluice.toml: [slurm] has unknown setting 'shared' (known: shared_dir, query_interval, command_timeout)");
  }

  @Test
  void aDurationThatIsNotOneSaysWhatIsExpected() {
    Settings settings = new Settings(Map.of("slurm", Map.of("query_interval", "often")));

    assertThatThrownBy(() -> SlurmConfig.from(PROJECT, STATE, settings)).isInstanceOf(SchedulingException.class)
        .hasMessage("sluice.toml: [slurm] query_interval = \"often\" is not a duration such as \"500ms\", \"30s\" or \"2m\"");
  }
}
