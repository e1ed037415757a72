package io.sluice.scenarios.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.remote.PipelineProject.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What would make a remote run fail for sure stops the whole run before any task starts, with
 * exit code 2: a local task that would run before the remote one leaves no output.
 */
class RemotePreconditionsScenariosTest extends PipelineProjectScenario {

  @Test
  void aDirtyTreeStopsTheRunBeforeTheLocalTaskUpstreamRuns() throws Exception {
    project.setMarker("dirty");

    Result result = project.run("PrepareThenProduce", "--tier", "Small", "--workers", "1");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.output()).contains("uncommitted changes").contains("--snapshot-dirty");
    assertThat(file("prepared/marker.txt")).doesNotExist();
    assertThat(project.runDirectories()).isEmpty();
  }

  @Test
  void anUnknownTierStopsTheRunBeforeAnyTaskRuns() throws Exception {
    Result result = project.run("PrepareThenProduce", "--tier", "Huge", "--workers", "1");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.output()).contains("Tier 'Huge' is not defined").contains("defined: Small");
    assertThat(file("prepared/marker.txt")).doesNotExist();
  }

  @Test
  void anUnknownBackendStopsTheRunBeforeAnyTaskRuns() throws Exception {
    Result result = project.run("PrepareThenProduce", "--tier", "Small", "--workers", "1", "--backend", "nowhere");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.output()).contains("Backend 'nowhere' is unknown");
    assertThat(file("prepared/marker.txt")).doesNotExist();
  }

  @Test
  void anOutputDirectoryLinkedOutOfTheProjectStopsTheRunBeforeAnyTaskRuns() throws Exception {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    Files.createSymbolicLink(file("out"), elsewhere);

    Result result = project.run("PrepareThenProduce", "--tier", "Small", "--workers", "1");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.output()).contains("leaves the project");
    assertThat(file("prepared/marker.txt")).doesNotExist();
    try (var files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
  }
}
