package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.ScenarioPipeline.HalfWrittenOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed with SIGKILL while a task writes its output. */
class KillDuringWriteScenarioTest {

  @TempDir Path tempDir;

  @Test
  void processKilledMidWriteLeavesNoOutputAndTheRerunWritesItWhole() throws Exception {
    Path project = ProjectFiles.create(tempDir);
    Path target = project.resolve("out/data.txt");

    try (ChildJvm first = ChildJvm.start(project, "killed", "kill-during-write", "block")) {
      first.awaitFile(project.resolve("markers/writing"));
      first.kill();

      assertThat(target).as(first.output()).doesNotExist();
      // The half written so far sits in a hidden temporary file, never at the target path.
      List<String> leftovers = ProjectFiles.under(project.resolve("out"));
      assertThat(leftovers).singleElement().asString().matches("\\.data\\.txt\\.sluice-" + first.pid() + "-[0-9a-f]{8}-[0-9a-f]{16}\\.tmp");
      assertThat(Files.readString(project.resolve("out").resolve(leftovers.get(0))))
          .startsWith(HalfWrittenOutput.line(0)).contains(HalfWrittenOutput.line(HalfWrittenOutput.LINES / 2 - 1))
          .doesNotContain(HalfWrittenOutput.line(HalfWrittenOutput.LINES / 2));
    }

    try (ChildJvm rerun = ChildJvm.start(project, "rerun", "kill-during-write", "finish")) {
      assertThat(rerun.awaitExit()).as(rerun.output()).isZero();
      assertThat(rerun.stdout()).contains("* 1 ran successfully:", "HalfWrittenOutput()");
      assertThat(Files.readString(target)).isEqualTo(wholeOutput());
      assertThat(ProjectFiles.under(project.resolve("out"))).as("the killed process's temporary file is gone")
          .containsExactly("data.txt");
    }
  }

  @Test
  void processKilledWhileHoldingATaskDoesNotKeepAnotherProcessFromRunningIt() throws Exception {
    Path project = ProjectFiles.create(tempDir);
    Path target = project.resolve("out/data.txt");

    try (ChildJvm holder = ChildJvm.start(project, "holder", "kill-during-write", "block")) {
      holder.awaitFile(project.resolve("markers/writing"));

      try (ChildJvm waiter = ChildJvm.start(project, "waiter", "kill-during-write", "finish")) {
        waiter.awaitFile(project.resolve("markers/planned-" + waiter.pid()));
        assertThat(waiter.stdout()).as(waiter.output()).contains("graph total=1 toRun=1");
        holder.kill();
        // Until now the holder had the task's lock: the waiter cannot have started it.
        assertThat(waiter.stdout()).as(waiter.output()).doesNotContain("event STARTED");

        // The kernel dropped the dead holder's lock: the waiter runs the task, long before the
        // lock timeout (24 h by default) would let it give up.
        assertThat(waiter.awaitExit()).as(waiter.output()).isZero();
        assertThat(waiter.stdout()).contains("* 1 ran successfully:");
        assertThat(Files.readString(target)).isEqualTo(wholeOutput());
      }
    }
  }

  private static String wholeOutput() {
    return IntStream.range(0, HalfWrittenOutput.LINES).mapToObj(HalfWrittenOutput::line).reduce("", String::concat);
  }

  @Test
  void underTheFingerprintPolicyTasksBuiltBeforeAKillAreNotBuiltAgain() throws Exception {
    Path project = ProjectFiles.create(tempDir);
    Path runs = project.resolve("runs.log");
    List<String> builtBeforeTheKill;

    try (ChildJvm first = ChildJvm.start(project, "killed", "slow-chain", "40", "fingerprint")) {
      long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
      while ((!Files.exists(runs) || Files.readAllLines(runs).size() < 8) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // What was in place a while before the kill: its records had all the time they need.
      builtBeforeTheKill = ProjectFiles.under(project.resolve("out")).stream().filter(f -> f.startsWith("slow-")).toList();
      Thread.sleep(300);
      first.kill();
    }
    assertThat(builtBeforeTheKill).hasSizeGreaterThanOrEqualTo(5);

    try (ChildJvm rerun = ChildJvm.start(project, "rerun", "slow-chain", "40", "fingerprint")) {
      assertThat(rerun.awaitExit()).as(rerun.output()).isZero();
      List<String> lines = Files.readAllLines(runs);
      for (String built : builtBeforeTheKill) {
        String id = "SlowLink(n=" + built.substring("slow-".length()) + ")";
        assertThat(lines.stream().filter(id::equals).count()).as("%s ran once%n%s", id, rerun.output()).isEqualTo(1);
      }
      assertThat(Files.readString(project.resolve("out/slow-39"))).isEqualTo("39\n");
    }
  }
}
