package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Several processes running the same pipeline on one project at the same time. */
class ConcurrentRunsScenarioTest {

  @TempDir Path tempDir;

  @Test
  void twoProcessesStartedTogetherRunTheSameTaskOnceAndBothSucceed() throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm a = ChildJvm.start(project, "a", "same-task-twice");
        ChildJvm b = ChildJvm.start(project, "b", "same-task-twice")) {
      int exitA = a.awaitExit();
      int exitB = b.awaitExit();
      String both = a.output() + b.output();

      assertThat(exitA).as(both).isZero();
      assertThat(exitB).as(both).isZero();
      // Both saw the task incomplete when they built their graphs (SlowOnce waits for that),
      // so only the cross-process lock kept the second from running it again.
      assertThat(a.stdout()).as(both).contains("graph total=1 toRun=1");
      assertThat(b.stdout()).as(both).contains("graph total=1 toRun=1");
      assertThat(Files.readAllLines(project.resolve("runs.log"))).as(both).hasSize(1);
      assertThat(project.resolve("out/slow.txt")).hasContent("slow result");

      List<ChildJvm> ran = List.of(a, b).stream().filter(c -> c.stdout().contains("* 1 ran successfully:")).toList();
      List<ChildJvm> found = List.of(a, b).stream().filter(c -> c.stdout().contains("* 1 complete already:")).toList();
      assertThat(ran).as(both).hasSize(1);
      assertThat(found).as(both).hasSize(1).doesNotContainAnyElementsOf(ran);
      assertThat(found.get(0).stdout()).as(both)
          .containsPattern("event COMPLETE SlowOnce\\(\\) completed (by another process while this run waited|meanwhile)")
          .doesNotContain("event STARTED");
    }
  }

  @Test
  void threeProcessesAllowedOneGpuEachUseItOneAtATime() throws Exception {
    Path project = ProjectFiles.create(tempDir);
    List<ChildJvm> children = new java.util.ArrayList<>();
    try {
      for (String name : List.of("a", "b", "c")) {
        children.add(ChildJvm.start(project, name, "gpu", name));
      }
      String all = "";
      for (ChildJvm child : children) {
        int exit = child.awaitExit();
        all += child.output();
        assertThat(exit).as(all).isZero();
      }

      // Each task's time on the GPU, from every process: no two may overlap.
      List<long[]> spans = Files.readAllLines(project.resolve("gpu.log")).stream()
          .map(line -> line.split(" ")).map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])})
          .sorted(java.util.Comparator.comparingLong(span -> span[0])).toList();
      assertThat(spans).as(all).hasSize(9);
      for (int i = 1; i < spans.size(); i++) {
        assertThat(spans.get(i)[0]).as("a task started on the GPU before the one before it ended\n" + all)
            .isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
      }
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }
  }

  // Under every policy: a run that finds a task built meanwhile by another must judge it by what
  // the other recorded since it started (a fingerprint, not only the outputs' presence).
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exists", "mtime", "fingerprint"})
  void fourProcessesStartedTogetherOnADiamondPipelineRunEachTaskOnceAndAllSucceed(String policy) throws Exception {
    Path project = ProjectFiles.create(tempDir);

    List<ChildJvm> children = startDiamonds(project, 4, "4", policy);
    String all = awaitAllSucceed(children);

    assertEachTaskRanOnce(project, all);
    for (ChildJvm child : children) {
      assertThat(child.stdout()).as(all).contains("graph total=" + DiamondPipeline.TASKS + " toRun=" + DiamondPipeline.TASKS);
    }
    assertThat(Files.readString(project.resolve("out/top.txt")).strip()).isEqualTo(expectedTop());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exists", "fingerprint"})
  void processesJoiningARunThatWasAloneWaitForTheTasksItHoldsAndEachTaskRunsOnce(String policy) throws Exception {
    Path project = ProjectFiles.create(tempDir);

    // The first finds no other run on the project: it holds its first tasks without the kernel's
    // locks, and they go on running until the two others have joined and planned theirs, which
    // must wait for them.
    joinTwoToOneAlone(project, "hold=3", 1, policy);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exists", "fingerprint"})
  void processesJoiningARunThatBuiltTasksAloneFindThemBuiltAndEachTaskRunsOnce(String policy) throws Exception {
    Path project = ProjectFiles.create(tempDir);

    // The first, alone, builds every task but the root (recording them as a run alone may: later,
    // many at once), then holds the root until the two others have joined and planned: these
    // find every other output in place, and must find it built as they would build it.
    joinTwoToOneAlone(project, "hold-root=3", DiamondPipeline.TASKS, policy);
  }

  /**
   * Starts one process with {@code holdOption}, two more once it has started {@code startedFirst}
   * tasks, and checks that all succeed with each task run once.
   */
  private static void joinTwoToOneAlone(Path project, String holdOption, int startedFirst, String policy)
      throws Exception {
    List<ChildJvm> children = new ArrayList<>(startDiamonds(project, 1, holdOption, policy));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (lines(project) < startedFirst && System.nanoTime() < deadline && children.get(0).isAlive()) {
      Thread.sleep(10);
    }
    children.add(ChildJvm.start(project, "p1", "diamond", "1", policy));
    children.add(ChildJvm.start(project, "p2", "diamond", "1", policy));
    String all = awaitAllSucceed(children);

    assertEachTaskRanOnce(project, all);
    assertThat(Files.readString(project.resolve("out/top.txt")).strip()).isEqualTo(expectedTop());
  }

  private static void assertEachTaskRanOnce(Path project, String all) throws Exception {
    Map<String, List<String>> runs = runsPerTask(project);
    assertThat(runs).as(all).hasSize(DiamondPipeline.TASKS);
    assertThat(runs.entrySet().stream().filter(e -> e.getValue().size() != 1).map(Map.Entry::getKey).toList())
        .as("tasks that ran more than once (each line: task pid)%n%s", all).isEmpty();
  }

  private static long lines(Path project) throws java.io.IOException {
    Path log = project.resolve(DiamondPipeline.RUNS);
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  @Test
  void forceUpstreamRebuildsTheForcedFamilyOnceAfterItsUpstreamWhileAnotherProcessRunsTheSamePipeline()
      throws Exception {
    Path project = ProjectFiles.create(tempDir);
    awaitAllSucceed(startDiamonds(project, 1, "1"));
    Files.delete(project.resolve("out/top.txt"));
    Files.delete(project.resolve(DiamondPipeline.RUNS));

    ChildJvm forced = ChildJvm.start(project, "forced", "diamond", "force-upstream=Layer");
    ChildJvm plain = ChildJvm.start(project, "plain", "diamond");
    String all = awaitAllSucceed(List.of(forced, plain));

    Map<String, List<String>> runs = runsPerTask(project);
    List<String> lines = Files.readAllLines(project.resolve(DiamondPipeline.RUNS));
    String forcedPid = Long.toString(forced.pid());
    for (int layer = 1; layer < DiamondPipeline.LAYERS; layer++) {
      for (int i = 0; i < DiamondPipeline.WIDTH; i++) {
        String task = layerId(layer, i);
        assertThat(runs.get(task)).as("%s ran once, in the forcing process%n%s", task, all).containsExactly(forcedPid);
        if (layer > 1) {
          int at = lines.indexOf(task + " " + forcedPid);
          assertThat(lines.indexOf(layerId(layer - 1, i) + " " + forcedPid)).as(all).isBetween(0, at);
          assertThat(lines.indexOf(layerId(layer - 1, (i + 1) % DiamondPipeline.WIDTH) + " " + forcedPid))
              .as(all).isBetween(0, at);
        }
      }
    }
    assertThat(runs.keySet()).as("sources are upstream of the forced family: not run again%n%s", all)
        .noneMatch(task -> task.startsWith("Source("));
    // The plain process may rebuild the root before the forced one does, from the old top layer;
    // the forcing process rebuilds it last in any case.
    assertThat(runs.get("Top()")).as(all).contains(forcedPid).hasSizeBetween(1, 2);
    assertThat(lines.get(lines.size() - 1)).as(all).isEqualTo("Top() " + forcedPid);
    assertThat(Files.readString(project.resolve("out/top.txt")).strip()).isEqualTo(expectedTop());
  }

  private static String layerId(int layer, int i) {
    return "Layer(layer=" + layer + ", i=" + i + ")";
  }

  private static List<ChildJvm> startDiamonds(Path project, int count, String option) throws Exception {
    return startDiamonds(project, count, option, "exists");
  }

  private static List<ChildJvm> startDiamonds(Path project, int count, String option, String policy) throws Exception {
    List<ChildJvm> children = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      children.add(ChildJvm.start(project, "p" + i, "diamond", option, policy));
    }
    return children;
  }

  /** Waits for every child and checks each succeeded; returns all they printed. */
  private static String awaitAllSucceed(List<ChildJvm> children) throws Exception {
    try {
      StringBuilder all = new StringBuilder();
      List<Integer> exits = new ArrayList<>();
      for (ChildJvm child : children) {
        exits.add(child.awaitExit());
      }
      children.forEach(child -> all.append(child.output()));
      assertThat(exits).as(all.toString()).allMatch(code -> code == 0);
      return all.toString();
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }
  }

  /** The pids that ran each task, in the order they did, from the lines tasks appended. */
  private static Map<String, List<String>> runsPerTask(Path project) throws Exception {
    Map<String, List<String>> runs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(project.resolve(DiamondPipeline.RUNS))) {
      int space = line.lastIndexOf(' ');
      runs.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
    }
    return runs;
  }

  /** What the root must hold: the pipeline's sums, computed here. */
  private static String expectedTop() {
    int width = DiamondPipeline.WIDTH;
    long[] values = new long[width];
    for (int i = 0; i < width; i++) {
      values[i] = i;
    }
    for (int layer = 1; layer < DiamondPipeline.LAYERS; layer++) {
      long[] next = new long[width];
      for (int i = 0; i < width; i++) {
        next[i] = i + values[i] + values[(i + 1) % width];
      }
      values = next;
    }
    long sum = 0;
    for (long value : values) {
      sum += value;
    }
    return Long.toString(sum);
  }
}
