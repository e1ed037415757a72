package io.sluice.slurm;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm cluster the tests run against: the one {@code scripts/slurm-local.sh up} starts, or
 * any cluster this machine can submit to. Without one the tests are skipped, saying how to start
 * it; in CI ({@code CI=true}) they fail instead, since a skipped test proves nothing.
 */
final class SlurmCluster {

  static final String HOW_TO_START = "start one with 'sudo scripts/slurm-local.sh up'";
  private static final Path CONTROLLER_PID = Path.of("/run/slurmctld.pid");
  private static boolean told;

  private SlurmCluster() {}

  /** Skips the calling test (fails it in CI) when no cluster answers. */
  static void require() {
    if (answers()) {
      return;
    }
    String message = "No Slurm cluster answers 'scontrol ping': " + HOW_TO_START + " to run the Slurm tests";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true, so the Slurm tests must run, but: " + message + " (.ci/run starts it before the tests)");
    }
    synchronized (SlurmCluster.class) {
      if (!told) {
        System.err.println("[sluice-slurm] SKIPPING tests that need Slurm. " + message);
        told = true;
      }
    }
    assumeTrue(false, message);
  }

  /** Whether the controller answers {@code scontrol ping}. */
  static boolean answers() {
    try {
      CommandRunner.Result ping = CommandRunner.system(Duration.ofSeconds(30)).run(List.of("scontrol", "ping"));
      return ping.ok() && ping.stdout().contains("is UP");
    } catch (IOException e) {
      return false;
    }
  }

  /** What {@code scontrol show config} says of a setting, e.g. {@code JobAcctGatherParams}. */
  static String config(String name) throws IOException {
    CommandRunner.Result config = CommandRunner.system(Duration.ofSeconds(30)).run(List.of("scontrol", "show", "config"));
    return config.stdout().lines().filter(line -> line.startsWith(name + " "))
        .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst().orElse("");
  }

  /** Skips the calling test unless this process may stop and start slurmctld (root, pid file). */
  static void assumeControllerCanBeRestarted() {
    assumeTrue(System.getProperty("user.name").equals("root") && Files.isReadable(CONTROLLER_PID)
        && Files.isExecutable(Path.of("/usr/sbin/slurmctld")),
        "restarting slurmctld needs root and the pid file " + CONTROLLER_PID + " of a local cluster");
  }

  /** Stops slurmctld the way an administrator restarting it does: SIGTERM, wait until it is gone. */
  static void stopController() throws IOException, InterruptedException {
    Optional<ProcessHandle> controller = ProcessHandle.of(Long.parseLong(Files.readString(CONTROLLER_PID).strip()));
    if (controller.isPresent()) {
      controller.get().destroy();
      try {
        controller.get().onExit().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("slurmctld (pid " + controller.get().pid() + ") did not stop within 60 s", e);
      }
    }
  }

  /** Starts slurmctld again (it recovers its jobs from its state directory) and waits until it answers. */
  static void startController() throws IOException, InterruptedException {
    // The daemon keeps no pipe of ours open: its output goes nowhere, like under an init system.
    Process start = new ProcessBuilder("/usr/sbin/slurmctld").redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (start.waitFor() != 0) {
      throw new IOException("/usr/sbin/slurmctld exited with " + start.exitValue() + ": see /var/log/slurm/slurmctld.log");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!answers()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("slurmctld does not answer 60 s after its start: see /var/log/slurm/slurmctld.log");
      }
      Thread.sleep(200);
    }
  }

  /** The job ids squeue lists as pending or running (not finished). */
  static List<String> unfinishedJobs(String jobId) throws IOException {
    CommandRunner.Result squeue = CommandRunner.system(Duration.ofSeconds(30))
        .run(List.of("squeue", "-h", "-j", jobId, "-o", "%i"));
    return squeue.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }
}
