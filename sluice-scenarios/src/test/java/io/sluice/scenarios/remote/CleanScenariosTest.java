package io.sluice.scenarios.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.remote.PipelineProject.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** {@code sluice clean} shows, then removes, what the retention policy lets go. */
class CleanScenariosTest extends PipelineProjectScenario {

  @Test
  void cleanDryRunListsWhatThePolicyLetsGoAndCleanRemovesIt() throws Exception {
    Result run = project.run("Consume");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(project.runDirectories()).hasSize(1);
    Path run1 = project.runDirectories().get(0);
    Files.writeString(project.home().resolve("sluice.toml"), "\n[retention]\nkeep_runs = 0\n", StandardOpenOption.APPEND);

    Result dryRun = project.run("clean", "--dry-run");

    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
    assertThat(dryRun.output()).contains("would remove " + run1).contains(".sluice/snapshots/")
        .contains("Would remove 3 entries");
    assertThat(project.runDirectories()).containsExactly(run1);

    Result clean = project.run("clean");

    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(clean.output()).contains("removed " + run1).contains("Removed 3 entries");
    assertThat(project.runDirectories()).isEmpty();
    assertThat(project.home().resolve("out/consumed.txt")).exists();
  }
}
