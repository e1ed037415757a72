package io.sluice.scenarios.leases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once-only across machines through leases in a shared PostgreSQL history, with real processes:
 * each {@link LeaseProcess} has a state directory (and so file locks) of its own, as another host
 * would; only the project's outputs and the database are shared.
 */
class LeaseScenariosTest {

  private static final int FLEET = 500;

  @TempDir
  Path tempDir;

  private Path project(String url) throws IOException {
    Path project = Files.createDirectories(tempDir.resolve("project"));
    Files.writeString(project.resolve("sluice.toml"), """
        [history]
        url = "%s"
        lease_expiry = "3s"
        lease_heartbeat = "500ms"

        [tasks]
        packages = ["io.sluice.scenarios.leases"]
        """.formatted(url));
    return project;
  }

  @Test
  void twoMachinesRunningTheSamePipelineIntoOneOutputDirectoryRunEachTaskOnce() throws Exception {
    Path project = project(LeaseDatabase.fresh());

    try (LeaseProcess a = LeaseProcess.start(project, "a", FLEET, 4, 20);
        LeaseProcess b = LeaseProcess.start(project, "b", FLEET, 4, 20)) {
      int exitA = a.awaitExit();
      int exitB = b.awaitExit();
      String both = a.output() + b.output();

      assertThat(exitA).as(both).isZero();
      assertThat(exitB).as(both).isZero();
      Map<Integer, List<Long>> runs = runs(project);
      assertThat(runs).as(both).hasSize(FLEET);
      assertThat(runs.entrySet().stream().filter(e -> e.getValue().size() != 1).map(Map.Entry::getKey).toList())
          .as("units whose run() executed more than once%n%s", both).isEmpty();
      // The leases, not luck of timing, kept them apart: both did part of the work, or the one
      // that started late (a loaded machine starts JVMs seconds apart) and so trailed the other
      // through the same task order waited on the other's leases rather than skipping ahead.
      List<Long> workers = runs.values().stream().map(pids -> pids.get(0)).distinct().toList();
      if (workers.size() == 1) {
        LeaseProcess idle = workers.get(0) == a.pid() ? b : a;
        assertThat(idle.output()).as(both).contains("completed by another process while this run waited");
      } else {
        assertThat(workers).as(both).containsExactlyInAnyOrder(a.pid(), b.pid());
      }
    }
  }

  @Test
  void whenOneMachineIsKilledTheOtherTakesOverItsTasksAfterTheExpiryAndTheRestartedOneFindsTheWorkDone()
      throws Exception {
    Path project = project(LeaseDatabase.fresh());

    try (LeaseProcess a = LeaseProcess.start(project, "a", FLEET, 4, 20);
        LeaseProcess b = LeaseProcess.start(project, "b", FLEET, 2, 20)) {
      awaitRuns(project, a.pid(), 40, a);
      a.signal("KILL");
      a.awaitExit();
      int exitB = b.awaitExit();
      String both = a.output() + b.output();

      assertThat(exitB).as(both).isZero();
      Map<Integer, List<Long>> runs = runs(project);
      assertThat(runs).as(both).hasSize(FLEET);
      for (int i = 0; i < FLEET; i++) {
        assertThat(project.resolve("out/unit-" + i + ".txt")).as(both).exists();
      }
      // Only the tasks the killed process was running when it died ran again, in the survivor.
      List<Integer> twice = runs.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
      assertThat(twice).as(both).hasSizeLessThanOrEqualTo(4);
      for (int unit : twice) {
        assertThat(runs.get(unit)).as(both).containsExactlyInAnyOrder(a.pid(), b.pid());
        assertThat(project.resolve("out/unit-" + unit + ".txt")).as(both).hasContent(Long.toString(b.pid()));
      }

      try (LeaseProcess restarted = LeaseProcess.start(project, "a-restarted", FLEET, 4, 20)) {
        int exit = restarted.awaitExit();
        assertThat(exit).as(restarted.output()).isZero();
        assertThat(runs(project)).as(restarted.output()).isEqualTo(runs);
      }
    }
  }

  @Test
  void aMachinePausedPastItsLeaseCannotCommitOverTheNewOwnersOutput() throws Exception {
    Path project = project(LeaseDatabase.fresh());
    Files.createDirectories(project.resolve("markers"));
    Files.writeString(project.resolve("markers").resolve(LeasePipeline.HOLD), "");

    try (LeaseProcess a = LeaseProcess.start(project, "a", 3, 1, 0)) {
      awaitFile(project.resolve("markers/holding-" + a.pid()), a);
      a.signal("STOP");
      try (LeaseProcess b = LeaseProcess.start(project, "b", 3, 2, 0)) {
        int exitB = b.awaitExit();
        assertThat(exitB).as(b.output()).isZero();
        assertThat(project.resolve("out/unit-0.txt")).hasContent(Long.toString(b.pid()));

        a.signal("CONT");
        int exitA = a.awaitExit();
        String both = a.output() + b.output();

        assertThat(exitA).as(both).isNotZero();
        assertThat(a.stdout()).as(both).contains("the lease on Unit(i=0) was taken over by run")
            .contains("its outputs are not committed");
        assertThat(project.resolve("out/unit-0.txt")).as(both).hasContent(Long.toString(b.pid()));
      }
    }
  }

  @Test
  void aDatabaseRestartMidRunDelaysTheRunWhichFinishesWithEveryTaskRunOnceAndRecorded() throws Exception {
    try (LeaseDatabase.OwnCluster cluster = LeaseDatabase.OwnCluster.start()) {
      Path project = project(cluster.url());
      // Long enough that leases outlive the restart: a restart is a delay, not a takeover.
      Files.writeString(project.resolve("sluice.toml"), Files.readString(project.resolve("sluice.toml"))
          .replace("lease_expiry = \"3s\"", "lease_expiry = \"60s\"").replace("\"500ms\"", "\"2s\""));

      try (LeaseProcess a = LeaseProcess.start(project, "a", FLEET, 2, 30);
          LeaseProcess b = LeaseProcess.start(project, "b", FLEET, 2, 30)) {
        // Either may be the one running: the other trails it through the same task order.
        awaitRunsByEither(project, 50, a, b);
        cluster.restart();
        int exitA = a.awaitExit();
        int exitB = b.awaitExit();
        String both = a.output() + b.output();

        assertThat(exitA).as(both).isZero();
        assertThat(exitB).as(both).isZero();
        Map<Integer, List<Long>> runs = runs(project);
        assertThat(runs).as(both).hasSize(FLEET);
        assertThat(runs.entrySet().stream().filter(e -> e.getValue().size() != 1).map(Map.Entry::getKey).toList())
            .as("units whose run() executed more than once%n%s", both).isEmpty();
        assertThat(both).as("the restart was felt mid-run").contains("answers again");
        // The history has both runs, ended, and every unit once as run (DONE) by one of them.
        assertThat(LeaseDatabase.count(cluster.url(), "SELECT count(*) FROM runs WHERE exit_code = 0")).as(both)
            .isEqualTo(2);
        assertThat(LeaseDatabase.count(cluster.url(), "SELECT count(*) FROM tasks WHERE family = 'Unit'"
            + " AND status = 'DONE'")).as(both).isEqualTo(FLEET);
        assertThat(LeaseDatabase.count(cluster.url(), "SELECT count(*) FROM tasks WHERE family = 'Unit'")).as(both)
            .isEqualTo(2L * FLEET);
      }
    }
  }

  /** The pids whose run() of each unit executed, in no particular order, from the markers. */
  private static Map<Integer, List<Long>> runs(Path project) throws IOException {
    Map<Integer, List<Long>> runs = new TreeMap<>();
    Path markers = project.resolve("markers");
    if (!Files.isDirectory(markers)) {
      return runs;
    }
    try (Stream<Path> files = Files.list(markers)) {
      for (Path file : files.toList()) {
        String[] parts = file.getFileName().toString().split("-");
        if (parts[0].equals("run")) {
          runs.computeIfAbsent(Integer.parseInt(parts[1]), k -> new ArrayList<>()).add(Long.parseLong(parts[2]));
        }
      }
    }
    runs.values().forEach(pids -> pids.sort(null));
    return runs;
  }

  private static void awaitRuns(Path project, long pid, int count, LeaseProcess process) throws Exception {
    long deadline = System.nanoTime() + LeaseProcess.DEADLINE.toNanos();
    while (runs(project).values().stream().flatMap(List::stream).filter(p -> p == pid).count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + count + " runs by " + pid + "\n" + process.output());
      }
      Thread.sleep(20);
    }
  }

  private static void awaitRunsByEither(Path project, int count, LeaseProcess a, LeaseProcess b) throws Exception {
    long deadline = System.nanoTime() + LeaseProcess.DEADLINE.toNanos();
    while (runs(project).values().stream().mapToLong(List::size).sum() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + count + " runs in all\n" + a.output() + b.output());
      }
      Thread.sleep(20);
    }
  }

  private static void awaitFile(Path file, LeaseProcess process) throws Exception {
    long deadline = System.nanoTime() + LeaseProcess.DEADLINE.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear\n" + process.output());
      }
      Thread.sleep(20);
    }
  }
}
