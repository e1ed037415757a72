package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** SIGTERM and SIGINT (Ctrl-C) to a process in the middle of a run. */
class InterruptScenarioTest {

  @TempDir Path tempDir;

  @ParameterizedTest(name = "SIG{0}")
  @ValueSource(strings = {"TERM", "INT"})
  void signalStopsTheRunStartsNothingNewLeavesNoPartialOutputAndExits130(String signal) throws Exception {
    if (signal.equals("INT")) {
      assumeThat(sigintReachesChildren()).as("SIGINT is ignored by this test JVM, so by its children too").isTrue();
    }
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "interrupted", "interrupt")) {
      child.awaitFile(project.resolve("markers/blocking"));
      if (signal.equals("TERM")) {
        child.terminate();
      } else {
        child.signal("INT");
      }
      int exit = child.awaitExit();
      String stdout = child.stdout();

      assertThat(exit).as(child.output()).isEqualTo(130);
      assertThat(project.resolve("markers/blocker-interrupted")).as(child.output()).exists();
      // Neither the interrupted task's output, nor its temporary file, nor anything after it.
      assertThat(ProjectFiles.under(project.resolve("out"))).as(child.output()).isEmpty();
      assertThat(stdout).as(child.output())
          .contains("===== Sluice execution summary =====", "interrupted:", "Blocker()", "AfterBlocker()",
              "Independent()", "Interrupted: ", "exit code 130, interrupted")
          .contains("event STARTED Blocker()")
          .doesNotContain("event STARTED Independent()", "event STARTED AfterBlocker()", "ran successfully:");
    }
  }

  @Test
  void secondSignalEndsARunWhoseTaskIgnoresTheInterrupt() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "stubborn", "stubborn")) {
      child.awaitFile(project.resolve("markers/blocking"));
      long first = System.nanoTime();
      child.terminate();
      child.awaitFile(project.resolve("markers/ignored-interrupt"));
      // A repeat within half a second is the same event told twice (as timeout sends it): ask again later.
      Thread.sleep(Math.max(0, Duration.ofMillis(600).toMillis() - (System.nanoTime() - first) / 1_000_000));
      child.terminate();

      // The JVM's own SIGTERM handling: exit at once with 128 + 15.
      assertThat(child.awaitExit()).as(child.output()).isEqualTo(143);
      assertThat(project.resolve("out/stubborn.txt")).as(child.output()).doesNotExist();
      assertThat(child.stdout()).doesNotContain("execution summary");
    }
  }

  @Test
  void taskThatStopsEarlyWhenTheRunIsCancelledLeavesNoPartialOutput() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, "cooperative", "cooperative")) {
      child.awaitFile(project.resolve("markers/writing"));
      child.terminate();

      assertThat(child.awaitExit()).as(child.output()).isEqualTo(130);
      // Half the lines at the target would make the next run take the task for complete.
      assertThat(project.resolve("out/cooperative.txt")).as(child.output()).doesNotExist();
      assertThat(child.stdout()).as(child.output()).contains("* 1 interrupted:", "Cooperative()");
    }
  }

  /** Whether SIGINT is handled here; a JVM started with SIGINT ignored passes that on to children. */
  private static boolean sigintReachesChildren() {
    Signal sigint = new Signal("INT");
    SignalHandler previous = Signal.handle(sigint, SignalHandler.SIG_DFL);
    Signal.handle(sigint, previous);
    return previous != SignalHandler.SIG_IGN;
  }
}
