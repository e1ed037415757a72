package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static io.sluice.domino.emulator.ApiEndpointsTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each final status a run can end in, and the way there. */
class RunStatusTest {

  @TempDir Path temp;
  DominoEmulator emulator;
  ApiClient api;
  String p;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("data")));
    api = new ApiClient(emulator);
    p = project(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void commandThatExitsZeroSucceeds() {
    JsonNode run = api.awaitCompleted(emulator, api.startRun(emulator, List.of("true"), "Small", null));

    assertThat(run.get("status").asText()).isEqualTo("Succeeded");
    assertThat(run.get("exitCode").asInt()).isZero();
  }

  @Test
  void commandThatExitsNonZeroFailsWithItsExitCodeAndStillHasAnOutputCommit() {
    String runId = api.startRun(emulator, List.of("sh", "-c", "echo partial > part.txt; exit 3"), "Small", null);
    JsonNode run = api.awaitCompleted(emulator, runId);

    assertThat(run.get("status").asText()).isEqualTo("Failed");
    assertThat(run.get("exitCode").asInt()).isEqualTo(3);
    assertThat(api.get(p + "/files/" + run.get("outputCommitId").asText() + "/part.txt").status()).isEqualTo(200);
  }

  @Test
  void programThatDoesNotExistFailsWithExitCode127AndSaysWhy() {
    String runId = api.startRun(emulator, List.of("no-such-program-here", "x"), "Small", null);
    JsonNode run = api.awaitCompleted(emulator, runId);

    assertThat(run.get("status").asText()).isEqualTo("Failed");
    assertThat(run.get("exitCode").asInt()).isEqualTo(127);
    assertThat(api.get(p + "/run/" + runId + "/stdout").json().get("stdout").asText())
        .contains("no-such-program-here");
  }

  @Test
  void projectFileWithoutAnExecutableBitFailsSayingHowToRunIt() {
    api.put(p + "/bin/tool", "echo tool".getBytes());
    String runId = api.startRun(emulator, List.of("bin/tool"), "Small", null);

    assertThat(api.awaitCompleted(emulator, runId).get("exitCode").asInt()).isEqualTo(127);
    assertThat(api.get(p + "/run/" + runId + "/stdout").json().get("stdout").asText())
        .contains("not executable").contains("[\"sh\", \"bin/tool\"]");
  }

  @Test
  void runEndsInErrorWhenTheSystemFailsAsAFaultSays() {
    emulator.faults().nextRunEndsIn("Error");

    JsonNode failed = api.awaitCompleted(emulator, api.startRun(emulator, List.of("true"), "Small", null));
    JsonNode next = api.awaitCompleted(emulator, api.startRun(emulator, List.of("true"), "Small", null));

    assertThat(failed.get("status").asText()).isEqualTo("Error");
    assertThat(failed.get("outputCommitId").isNull()).isFalse();
    assertThat(next.get("status").asText()).isEqualTo("Succeeded");
  }

  @Test
  void stopEndsTheRunAndEveryProcessItStarted() throws Exception {
    Path pids = temp.resolve("pids");
    String runId = api.startRun(emulator, List.of("sh", "-c",
        "sleep 300 & echo $! > '" + pids + ".tmp'; echo $$ >> '" + pids + ".tmp'; mv '" + pids + ".tmp' '" + pids
            + "'; touch made-before-stop.txt; wait"), "Small", null);
    awaitFile(pids);
    api.awaitStatus(emulator, runId, "Running");

    JsonNode answer = api.post("/v4/jobs/stop",
        Map.of("projectId", emulator.projectId(), "jobId", runId, "commitResults", false)).json();
    JsonNode run = api.awaitCompleted(emulator, runId);

    assertThat(answer.get("status").asText()).isEqualTo("StopRequested");
    assertThat(run.get("status").asText()).isEqualTo("Stopped");
    assertThat(emulator.filesAt(run.get("outputCommitId").asText())).containsKey("made-before-stop.txt");
    for (String pid : Files.readAllLines(pids)) {
      assertThat(running(Long.parseLong(pid.trim()))).as("process " + pid + " of the stopped run").isFalse();
    }
  }

  @Test
  void runWhoseCommandIgnoresTheStopSignalIsStoppingUntilItIsKilled() throws Exception {
    Path ready = temp.resolve("ready");
    String runId = api.startRun(emulator, List.of("sh", "-c",
        "trap '' TERM; touch '" + ready + "'; while true; do sleep 0.05; done"), "Small", null);
    awaitFile(ready);

    api.post("/v4/jobs/stop", Map.of("projectId", emulator.projectId(), "jobId", runId, "commitResults", false));

    api.awaitStatus(emulator, runId, "Stopping");
    assertThat(api.awaitCompleted(emulator, runId).get("status").asText()).isEqualTo("Stopped");
  }

  @Test
  void stoppedQueuedRunNeverStarts() throws Exception {
    Path release = temp.resolve("release");
    String busy = api.startRun(emulator, waitFor(release), "Large", null);
    api.awaitStatus(emulator, busy, "Running");
    Path marker = temp.resolve("ran");
    String queued = api.startRun(emulator, List.of("touch", marker.toString()), "Large", null);
    api.awaitStatus(emulator, queued, "Queued");

    api.post("/v4/jobs/stop", Map.of("projectId", emulator.projectId(), "jobId", queued, "commitResults", false));
    JsonNode run = api.awaitCompleted(emulator, queued);
    Files.writeString(release, "go");
    api.awaitCompleted(emulator, busy);

    assertThat(run.get("status").asText()).isEqualTo("Stopped");
    assertThat(run.get("started").isNull()).isTrue();
    assertThat(run.get("exitCode").isNull()).isTrue();
    assertThat(run.get("outputCommitId").asText()).isEqualTo(run.get("commitId").asText());
    assertThat(marker).doesNotExist();
  }

  @Test
  void stopOfAFinishedRunLeavesItAsItEnded() {
    String runId = api.startRun(emulator, List.of("true"), "Small", null);
    api.awaitCompleted(emulator, runId);

    ApiClient.Answer answer = api.post("/v4/jobs/stop",
        Map.of("projectId", emulator.projectId(), "jobId", runId, "commitResults", false));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(api.get(p + "/runs/" + runId).json().get("status").asText()).isEqualTo("Succeeded");
  }

  @Test
  void stopOfAnUnknownRunOrProjectIs404() {
    String runId = api.startRun(emulator, List.of("true"), "Small", null);

    assertThat(api.post("/v4/jobs/stop", Map.of("projectId", emulator.projectId(), "jobId", "f".repeat(24)))
        .status()).isEqualTo(404);
    assertThat(api.post("/v4/jobs/stop", Map.of("projectId", "0".repeat(24), "jobId", runId)).status())
        .isEqualTo(404);
  }

  @Test
  void scriptsRunByTheirInterpreterWithoutAnExecutableBit() throws Exception {
    api.put(p + "/job.sh", "echo from sh \"$1\"".getBytes());
    String shell = api.startRun(emulator, List.of("job.sh", "arg"), "Small", null);

    assertThat(api.awaitCompleted(emulator, shell).get("status").asText()).isEqualTo("Succeeded");
    assertThat(api.get(p + "/run/" + shell + "/stdout").json().get("stdout").asText()).isEqualTo("from sh arg\n");

    assumeTrue(onPath("python3"), "python3 is not installed");
    api.put(p + "/job.py", "import sys\nprint('from python', sys.argv[1])\n".getBytes());
    String python = api.startRun(emulator, List.of("job.py", "arg"), "Small", null);
    assertThat(api.awaitCompleted(emulator, python).get("status").asText()).isEqualTo("Succeeded");
    assertThat(api.get(p + "/run/" + python + "/stdout").json().get("stdout").asText()).isEqualTo("from python arg\n");
  }

  /** Whether the process runs: a zombie has ended, whoever has yet to reap it (in a container, maybe no one). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException gone) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !Files.isDirectory(Path.of("/proc"));
    }
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, program))) {
        return true;
      }
    }
    return false;
  }

  static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear in 30 s");
      }
      Thread.sleep(20);
    }
  }
}
