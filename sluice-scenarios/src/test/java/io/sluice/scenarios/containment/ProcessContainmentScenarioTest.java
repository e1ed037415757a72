package io.sluice.scenarios.containment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing a run starts outlives it: whichever way {@code sluice run} ends (Ctrl-C, SIGTERM or
 * SIGHUP to its process group, {@code timeout}, kill -9), within 5 s no process it started is
 * left, whether it was running a program, a local remote run or a snapshot build, and whatever
 * those started in the background or detached.
 */
class ProcessContainmentScenarioTest {

  /** The bound: within this time of the signal, no process of the run remains. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  @TempDir Path temp;

  /** What the run is doing when it is ended. */
  enum Work {
    PROGRAM_TASK("HoldingProgram"),
    LOCAL_REMOTE_RUN("HoldingRemoteRun"),
    SNAPSHOT_BUILD("BuiltRemoteRun");

    final String task;

    Work(String task) {
      this.task = task;
    }
  }

  /** How the run is ended, and how it exits then. */
  enum Ending {
    CTRL_C(130),
    SIGTERM_TO_GROUP(130),
    SIGHUP(130),
    TIMEOUT(124),
    KILL_9(137);

    final int exitCode;

    Ending(int exitCode) {
      this.exitCode = exitCode;
    }

    boolean catchable() {
      return this != KILL_9;
    }

    void sendTo(SluiceProcess run) throws Exception {
      switch (this) {
        case CTRL_C -> run.signalGroup("INT");
        case SIGTERM_TO_GROUP -> run.signalGroup("TERM");
        case SIGHUP -> run.signalGroup("HUP");
        // What timeout's own timer sends it: it then sends SIGTERM to the run and its group.
        case TIMEOUT -> run.signal("ALRM");
        case KILL_9 -> run.signal("KILL");
      }
    }
  }

  static Stream<Arguments> everyEndingOfEveryWork() {
    return Arrays.stream(Work.values())
        .flatMap(work -> Arrays.stream(Ending.values()).map(ending -> Arguments.of(work, ending)));
  }

  @ParameterizedTest(name = "{1} during a {0}")
  @MethodSource("everyEndingOfEveryWork")
  void noProcessTheRunStartedIsLeftFiveSecondsAfterItIsEnded(Work work, Ending ending) throws Exception {
    ContainmentProject project = ContainmentProject.create(temp.resolve("project"));

    try (SluiceProcess run = SluiceProcess.start(project, work.task, ending == Ending.TIMEOUT)) {
      run.awaitFile(project.file("markers/started"));
      List<String> started = run.processes().await(found -> found.stream().anyMatch(p -> p.endsWith(" sleep 300"))
          && found.stream().anyMatch(p -> p.endsWith(" sleep 301")), SluiceProcess.DEADLINE);

      long sent = System.nanoTime();
      ending.sendTo(run);
      List<String> left = run.processes().awaitNone(sent, BOUND);
      System.out.printf("%s during a %s: %d processes, none left after %d ms%n", ending, work, started.size(),
          Duration.ofNanos(System.nanoTime() - sent).toMillis());

      assertThat(left).as("processes left %s after %s; before it:\n%s\n%s", BOUND, ending,
          String.join("\n", started), run.output()).isEmpty();
      assertThat(run.awaitExit()).as(run.output()).isEqualTo(ending.exitCode);
      if (ending.catchable()) {
        assertThat(run.stdout()).as(run.output())
            .contains("===== Sluice execution summary =====", "exit code 130, interrupted");
      }
      if (ending.catchable() && work == Work.SNAPSHOT_BUILD) {
        assertThat(project.unfinishedBuilds()).as("build directories left").isEmpty();
      }
    }
  }

  @Test
  void aBuildLeftByAKilledRunIsRemovedAndDoneAgainByTheNextRun() throws Exception {
    ContainmentProject project = ContainmentProject.create(temp.resolve("project"));
    try (SluiceProcess killed = SluiceProcess.start(project, Work.SNAPSHOT_BUILD.task, false)) {
      killed.awaitFile(project.file("markers/started"));
      long sent = System.nanoTime();
      killed.signal("KILL");
      assertThat(killed.processes().awaitNone(sent, BOUND)).isEmpty();
    }
    assertThat(project.unfinishedBuilds()).as("what the killed build left").hasSize(1);
    project.releaseBuild();

    try (SluiceProcess next = SluiceProcess.start(project, Work.SNAPSHOT_BUILD.task, false)) {
      assertThat(next.awaitExit()).as(next.output()).isZero();
      assertThat(project.unfinishedBuilds()).isEmpty();
      assertThat(project.buildStarts()).isEqualTo(2);
      assertThat(project.file("out/produced.txt")).hasContent("produced");
    }
  }
}
