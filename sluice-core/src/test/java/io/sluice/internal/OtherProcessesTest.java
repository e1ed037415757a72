package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run may skip looking at a task's outputs again only while no other run can have worked on
 * the project since it joined: another run of this JVM or another process, already there when it
 * joined or come since.
 */
class OtherProcessesTest {

  @TempDir
  Path dir;

  @Test
  void aRunAloneOnTheProjectIsToldSoUntilItEnds() {
    OtherProcesses run = OtherProcesses.join(dir.resolve("runs"));

    assertThat(run.noneSinceJoining()).isTrue();
    run.close();
    assertThat(run.noneSinceJoining()).isFalse();
  }

  @Test
  void aRunThatJoinsLaterMakesTheFirstLookAgainForTheRestOfItsRun() {
    try (OtherProcesses first = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(first.noneSinceJoining()).isTrue();
      try (OtherProcesses second = OtherProcesses.join(dir.resolve("runs"))) {
        assertThat(second.noneSinceJoining()).as("the first is still there").isFalse();
        assertThat(first.noneSinceJoining()).isFalse();
      }
      assertThat(first.noneSinceJoining()).as("the second may have committed before it ended").isFalse();
    }
  }

  @Test
  void aRunThatEndedBeforeAnotherJoinedDoesNotCount() {
    OtherProcesses.join(dir.resolve("runs")).close();

    try (OtherProcesses later = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(later.noneSinceJoining()).isTrue();
    }
  }

  @Test
  void aRunOfAnotherProcessIsSeenWhetherItWasThereFirstOrCameLater() throws Exception {
    Process before = holder();
    try (OtherProcesses run = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(run.noneSinceJoining()).isFalse();
    } finally {
      stop(before);
    }
    try (OtherProcesses run = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(run.noneSinceJoining()).as("the other process has ended").isTrue();
      Process after = holder();
      try {
        assertThat(run.noneSinceJoining()).isFalse();
      } finally {
        stop(after);
      }
    }
  }

  @Test
  void aRunOfAProcessThatDiedLeavesNoSlotTaken() throws Exception {
    Process killed = holder();
    killed.destroyForcibly().waitFor(20, TimeUnit.SECONDS);

    try (OtherProcesses run = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(run.noneSinceJoining()).isTrue();
    }
  }

  @Test
  void aRunWithoutAFreeSlotNeverClaimsToBeAlone() {
    List<OtherProcesses> all = new ArrayList<>();
    try {
      for (int i = 0; i < OtherProcesses.SLOTS; i++) {
        all.add(OtherProcesses.join(dir.resolve("runs")));
      }
      try (OtherProcesses extra = OtherProcesses.join(dir.resolve("runs"))) {
        assertThat(extra.noneSinceJoining()).isFalse();
      }
    } finally {
      all.forEach(OtherProcesses::close);
    }
  }

  /** A JVM that joins the project and stays until its standard input closes; returns once it joined. */
  private Process holder() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        OtherProcessesHolder.class.getName(), dir.resolve("runs").toString()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("joined");
    return process;
  }

  private static void stop(Process process) throws Exception {
    process.getOutputStream().close();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aRunJoiningLateIsAloneOnlyIfNoRunCountedItselfBefore() {
    try (OtherProcesses first = OtherProcesses.joinFirst(dir.resolve("runs"))) {
      assertThat(first.noneSinceJoining()).isTrue();
    }
    try (OtherProcesses late = OtherProcesses.joinFirst(dir.resolve("runs"))) {
      assertThat(late.noneSinceJoining()).as("a run joined (and may have worked) before").isFalse();
    }
  }

  @Test
  void aRunAloneMayKeepRecordsAndARunJoiningLaterWaitsUntilTheyAreWritten() throws Exception {
    try (OtherProcesses first = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(first.keepRecords()).isTrue();
      try (OtherProcesses second = OtherProcesses.join(dir.resolve("runs"))) {
        assertThat(second.awaitRecordsOfOthers(java.time.Duration.ofMillis(50)))
            .as("the first still keeps them").isFalse();
        assertThat(first.keepRecords()).as("no longer alone: write them now").isFalse();

        assertThat(second.awaitRecordsOfOthers(java.time.Duration.ofMillis(50))).isTrue();
      }
    }
  }

  @Test
  void recordsKeptByARunThatEndedAreNotWaitedFor() throws Exception {
    OtherProcesses first = OtherProcesses.join(dir.resolve("runs"));
    assertThat(first.keepRecords()).isTrue();
    first.close();

    try (OtherProcesses second = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(second.awaitRecordsOfOthers(java.time.Duration.ofMillis(50))).isTrue();
    }
  }

  @Test
  void aRunThatIsNotAloneNeverKeepsRecords() {
    try (OtherProcesses first = OtherProcesses.join(dir.resolve("runs"));
        OtherProcesses second = OtherProcesses.join(dir.resolve("runs"))) {
      assertThat(second.keepRecords()).isFalse();
      assertThat(first.keepRecords()).isFalse();
    }
  }

  @Test
  void aStateDirectoryThatCannotBeMadeIsNamedWithTheOptionToChooseAnother() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("a-file"), "where a directory should be");

    try (OtherProcesses run = OtherProcesses.join(dir.resolve("a-file").resolve("state").resolve("runs"))) {
      assertThat(run.failure()).startsWith("cannot use the state directory " + dir.resolve("a-file").resolve("state"))
          .contains("--state-dir").doesNotContain("remove that file");
    }
  }
}
