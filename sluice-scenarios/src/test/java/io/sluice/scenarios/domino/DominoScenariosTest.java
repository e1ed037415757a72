package io.sluice.scenarios.domino;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domino.emulator.EmulatedRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's examples and the Domino backend's promises, end to end: {@code bin/sluice} from
 * a fresh clone of this repository against the emulator, with the repository's sluice.toml.
 */
class DominoScenariosTest {

  @TempDir Path dir;
  DominoProject project;

  @BeforeEach
  void start() throws Exception {
    project = DominoProject.create(dir);
  }

  @AfterEach
  void stop() {
    if (project != null) {
      project.close();
    }
  }

  @Test
  void helloWorldRunsItsRemoteRunAsADominoRunFromTheRepositoryRoot() throws Exception {
    Process sluice = project.sluice("hello", "run", "HelloWorld", "--backend", "domino");
    String output = project.finish(sluice, "hello", Duration.ofMinutes(3));

    assertThat(sluice.exitValue()).as(output).isZero();
    assertThat(project.root.resolve("hello_world_pipeline/hello_world.txt")).hasContent("hello\nworld");
    assertThat(output).contains("submitted (domino run").contains("[Hello@domino:");
    List<EmulatedRun> runs = project.emulator.runs();
    assertThat(runs).singleElement().satisfies(run -> {
      assertThat(run.status()).isEqualTo("Succeeded");
      assertThat(run.tier()).isEqualTo("Small");
    });

    // Again, after the output is deleted: the same git commit, nothing uploaded again.
    String head = project.emulator.headCommit();
    java.nio.file.Files.delete(project.root.resolve("hello_world_pipeline/hello.txt"));
    java.nio.file.Files.delete(project.root.resolve("hello_world_pipeline/hello_world.txt"));
    Process again = project.sluice("again", "run", "HelloWorld", "--backend", "domino");
    assertThat(again.waitFor() == 0 ? project.output("again") : project.output("again")).doesNotContain("uploaded");
    assertThat(again.exitValue()).isZero();
    assertThat(project.emulator.headCommit()).isEqualTo(head);
    assertThat(project.emulator.runs()).hasSize(2).allSatisfy(run -> assertThat(run.commitId())
        .isEqualTo(runs.get(0).commitId()));
  }

  @Test
  void scoreReportTrainsItsThreeModelsAsDominoRunsOnTheirTiers() throws Exception {
    Process sluice = project.sluice("score", "run", "ScoreReport", "--workers", "3", "--backend", "domino");
    String output = project.finish(sluice, "score", Duration.ofMinutes(10));

    assertThat(sluice.exitValue()).as(output).isZero();
    assertThat(output).contains("Success:");
    assertThat(project.emulator.runs()).hasSize(3)
        .allSatisfy(run -> assertThat(run.status()).isEqualTo("Succeeded"))
        .extracting(EmulatedRun::tier).containsExactlyInAnyOrder("Small", "Large", "GPU (K80)");
  }

  @Test
  void ctrlCStopsTheActiveDominoRunAndTheRunEndsInterrupted() throws Exception {
    Process sluice = project.pipeline("nap", "Nap", "--backend", "domino");
    project.awaitOutput(sluice, "nap", "] napping", Duration.ofMinutes(2));

    DominoProject.interrupt(sluice);
    String output = project.finish(sluice, "nap", Duration.ofMinutes(1));

    assertThat(sluice.exitValue()).as(output).isEqualTo(130);
    EmulatedRun run = project.emulator.runs().get(0);
    assertThat(project.emulator.awaitCompleted(run.id(), Duration.ofSeconds(30)).status()).isEqualTo("Stopped");
    assertThat(project.root.resolve("nap.txt")).doesNotExist();
  }

  @Test
  void aFailedOrErroredDominoRunFailsTheRunNamingItsStatusExitCodeAndLastLines() throws Exception {
    Process failed = project.pipeline("fail", "Fail", "--backend", "domino");
    String output = project.finish(failed, "fail", Duration.ofMinutes(3));

    assertThat(failed.exitValue()).as(output).isNotZero();
    assertThat(output).contains("Domino status Failed").contains("exit code 7").contains("disk on fire");

    project.emulator.faults().nextRunEndsIn("Error");
    Process errored = project.pipeline("error", "Fail", "--backend", "domino");
    String error = project.finish(errored, "error", Duration.ofMinutes(3));

    assertThat(errored.exitValue()).as(error).isNotZero();
    assertThat(error).contains("Domino status Error").contains("system error");
  }

  @Test
  void thePipelineRunsAsADominoRunWhoseRemoteRunsAreSiblingsAtItsInputCommit() throws Exception {
    Process sluice = project.pipeline("inside", "HelloWorldInDomino", "--backend", "domino");
    String output = project.finish(sluice, "inside", Duration.ofMinutes(4));

    assertThat(sluice.exitValue()).as(output).isZero();
    assertThat(project.root.resolve("hello_world_pipeline/hello_world.txt")).hasContent("hello\nworld");
    List<EmulatedRun> runs = project.emulator.runs();
    assertThat(runs).hasSize(2).allSatisfy(run -> assertThat(run.status()).isEqualTo("Succeeded"));
    EmulatedRun sibling = runs.get(0);
    EmulatedRun driver = runs.get(1);
    assertThat(driver.command()).contains("HelloWorld");
    assertThat(sibling.command()).contains("Hello");
    assertThat(sibling.commitId()).isEqualTo(driver.commitId());
    assertThat(output).contains("[HelloWorld@domino:");
  }

  @Test
  void thePipelineFinishesCorrectlyThroughATwoMinuteBurstOf503() throws Exception {
    Process sluice = project.pipeline("burst", "HelloWorldInDomino", "--backend", "domino");
    project.awaitOutput(sluice, "burst", "submitted (domino run", Duration.ofMinutes(2));

    project.emulator.faults().failRequests(503, Duration.ofMinutes(2));
    String output = project.finish(sluice, "burst", Duration.ofMinutes(8));

    assertThat(sluice.exitValue()).as(output).isZero();
    assertThat(output).contains("retrying for up to");
    assertThat(project.root.resolve("hello_world_pipeline/hello_world.txt")).hasContent("hello\nworld");
    assertThat(project.emulator.runs()).allSatisfy(run -> assertThat(run.status()).isEqualTo("Succeeded"));
  }
}
