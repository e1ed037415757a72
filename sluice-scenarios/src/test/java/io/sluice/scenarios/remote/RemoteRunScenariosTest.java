package io.sluice.scenarios.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.remote.PipelineProject.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Remote runs end to end: a single-file pipeline in a real git repository, run as a real
 * {@code java Pipeline.java TASK} process whose remote runs go to the local backend (more real
 * processes, in snapshot workspaces).
 */
class RemoteRunScenariosTest extends PipelineProjectScenario {

  @Test
  void aRemoteRunProducesItsOutputAndASecondRunDoesNothing() throws Exception {
    Result first = project.run("Consume");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(file("out/produced.txt")).hasContent("produced by one");
    assertThat(file("out/consumed.txt")).hasContent("produced by one\nconsumed by one");
    assertThat(first.output()).contains("[Produce@local:").contains("succeeded (local run");
    assertThat(project.runDirectories()).hasSize(1);
    String head = project.git().getRepository().resolve("HEAD").name();
    assertThat(file(".sluice/snapshots/" + head + "/Pipeline.java")).exists();

    Result second = project.run("Consume");

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.output()).contains("Nothing to do");
    assertThat(project.runDirectories()).hasSize(1);
  }

  @Test
  void aRunAtACommitRunsThatCommitsCodeNotTheWorkingCopys() throws Exception {
    String first = project.git().log().call().iterator().next().name();
    project.setMarker("two");
    project.commit("Marker two");

    Result result = project.run("ProduceAt", "--commit", first);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(file("out/produced.txt")).hasContent("produced by one");
    assertThat(result.output()).contains("commit " + first.substring(0, 12));
  }

  @Test
  void aPipelineInASubdirectoryRunsRemotelyFromTheSameSubdirectory() throws Exception {
    project.close();
    project = PipelineProject.create(temp.resolve("nested"), "pipelines", "nested");

    Result result = project.run("Consume");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(file("out/consumed.txt")).hasContent("produced by nested\nconsumed by nested");
    assertThat(project.runDirectories()).singleElement()
        .satisfies(run -> assertThat(run.resolve("workspace/pipelines/out/produced.txt")).exists());
  }

  @Test
  void aDirtyWorkingTreeIsRefusedUnlessSnapshotDirtyIsGiven() throws Exception {
    String head = project.git().getRepository().resolve("HEAD").name();
    project.setMarker("dirty");

    Result refused = project.run("Consume");

    assertThat(refused.exitCode()).as(refused.toString()).isIn(1, 2);
    assertThat(refused.output()).contains("uncommitted changes").contains("Pipeline.java")
        .contains("--snapshot-dirty");
    assertThat(file("out")).doesNotExist();
    assertThat(project.runDirectories()).isEmpty();

    Result snapshotted = project.run("Consume", "--snapshot-dirty");

    assertThat(snapshotted.exitCode()).as(snapshotted.toString()).isZero();
    assertThat(file("out/produced.txt")).hasContent("produced by dirty");
    assertThat(file("out/consumed.txt")).hasContent("produced by dirty\nconsumed by dirty");
    // the snapshot is a commit on no branch: the user's repository is as it was
    assertThat(project.git().getRepository().resolve("HEAD").name()).isEqualTo(head);
    assertThat(project.git().getRepository().resolve("main").name()).isEqualTo(head);
    assertThat(project.git().status().call().getModified()).containsExactly("Pipeline.java");
  }

  @Test
  void aFailingRemoteCommandFailsTheRunWithItsExitCodeAndLastLines() throws Exception {
    Result result = project.run("Fail");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output()).contains("exit code 7").contains("preparing").contains("disk on fire");
    assertThat(file("out/never.txt")).doesNotExist();
  }

  @Test
  void anOutputThatLeavesTheProjectIsASchedulingErrorAndNothingRuns() throws Exception {
    Result result = project.run("Escape");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.output()).contains("would leave the project");
    assertThat(temp.resolve("outside.txt")).doesNotExist();
    assertThat(project.runDirectories()).isEmpty();
  }

  @Test
  void sigtermStopsTheRemoteProcessAndTheRunExitsInterrupted() throws Exception {
    Path log = temp.resolve("sleep.log");
    Process pipeline = project.start(log, "Sleep");
    try {
      long sleeper = awaitSleeperPid(pipeline, log);
      assertThat(ProcessHandle.of(sleeper)).isPresent();

      pipeline.destroy(); // SIGTERM

      assertThat(pipeline.waitFor(30, TimeUnit.SECONDS)).as("the pipeline ends after SIGTERM").isTrue();
      assertThat(pipeline.exitValue()).as(Files.readString(log)).isEqualTo(130);
      assertThat(Files.readString(log)).contains("interrupted");
      awaitGone(sleeper, Duration.ofSeconds(5));
      assertThat(file("out/slept.txt")).doesNotExist();
    } finally {
      pipeline.descendants().forEach(ProcessHandle::destroyForcibly);
      pipeline.destroyForcibly();
    }
  }

  /** The pid the remote command wrote into its workspace, once it is there. */
  private long awaitSleeperPid(Process pipeline, Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      Optional<String> pid = sleeperPid();
      if (pid.isPresent()) {
        return Long.parseLong(pid.get());
      }
      assertThat(pipeline.isAlive()).as("the pipeline still runs: %s", Files.readString(log)).isTrue();
      assertThat(Instant.now()).as("the remote command started: %s", Files.readString(log)).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private Optional<String> sleeperPid() throws IOException {
    for (Path run : project.runDirectories()) {
      Path file = run.resolve("workspace/sleeper.pid");
      if (Files.exists(file)) {
        String text = Files.readString(file);
        if (text.endsWith("\n")) {
          return Optional.of(text.trim());
        }
      }
    }
    return Optional.empty();
  }

  private static void awaitGone(long pid, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(Instant.now()).as("remote process %d is still alive", pid).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
