package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The execution summary: counts per status, families with their parameter ranges, reasons, a verdict. */
class SummaryTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  record Leaf(int i) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("leaf-" + i));
    }

    public void run(TaskContext ctx) throws Exception {
      if (i < 0) {
        throw new IllegalStateException("leaf " + i + " is negative\nsecond line of the reason");
      }
      output().writeString("leaf " + i);
    }
  }

  record Root(List<Integer> leaves) implements Task {
    public List<Leaf> requires() {
      return leaves.stream().map(Leaf::new).toList();
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("root"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("root");
    }
  }

  private static RunResult run(Task root) {
    return Sluice.builder().workers(4).stateDir(dir.resolve(".sluice")).build().run(root);
  }

  private static RunResult result(Map<TaskId, TaskStatus> statuses, Map<TaskId, String> reasons) {
    return new RunResult(statuses, reasons, Map.of(), ExitCode.of(statuses.values()), null, Duration.ofSeconds(1));
  }

  private static TaskId leaf(int i) {
    return new TaskId("Leaf", Map.of("i", i));
  }

  @Test
  void aRunsResultReadsItsTasksWithoutCopyingThemAndSaysWhyEachRan() {
    RunResult result = run(new Root(List.of(0, 1, 2)));

    // Views over the run's nodes: a million-task run's result is not two maps of a million entries, copied.
    assertThat(io.sluice.internal.RunOutcomes.isView(result.statuses())).isTrue();
    assertThat(io.sluice.internal.RunOutcomes.isView(result.reasons())).isTrue();
    assertThat(result.statuses()).containsExactly(
        Map.entry(new TaskId("Root", Map.of("leaves", List.of(0, 1, 2))), TaskStatus.DONE),
        Map.entry(leaf(0), TaskStatus.DONE), Map.entry(leaf(1), TaskStatus.DONE), Map.entry(leaf(2), TaskStatus.DONE));
    assertThat(result.reasons().get(leaf(1))).isEqualTo("output " + dir.resolve("leaf-1") + " missing");
    assertThat(result.reasons()).hasSize(4).containsKey(leaf(2)).doesNotContainKey(leaf(3));
    assertThat(result.reasons().get("not a task id")).isNull();
    assertThat(result).isEqualTo(new RunResult(new LinkedHashMap<>(result.statuses()),
        new LinkedHashMap<>(result.reasons()), Map.of(), result.exitCode(), null, result.elapsed()));
  }

  @Test
  void summaryGroupsByFamilyAndCollapsesIntRanges() {
    RunResult result = run(new Root(IntStream.range(0, 100).boxed().toList()));

    assertThat(result.summary()).isEqualTo("""
        ===== Sluice execution summary =====
        Scheduled 101 tasks of which:
        * 101 ran successfully:
            - 1 Root(leaves=[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,\
        31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,\
        66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99])
            - 100 Leaf(i=0..99)

        Success: 101 tasks ran, 0 complete already.
        """);
  }

  @Test
  void gapsSplitRangesAndCompleteTasksAreCountedApart() {
    List<Integer> leaves = List.of(0, 1, 2, 5, 7, 8);
    for (int i : List.of(7, 8)) {
      TestFiles.write(dir.resolve("leaf-" + i), "made earlier");
    }

    String summary = run(new Root(leaves)).summary();

    assertThat(summary).contains("* 5 ran successfully:\n").contains("    - 4 Leaf(i=0..2,5)\n")
        .contains("* 2 complete already:\n    - 2 Leaf(i=7..8)\n")
        .endsWith("\nSuccess: 5 tasks ran, 2 complete already.\n");
  }

  @Test
  void summaryListsEveryFailureWithItsReasonAndEndsWithAVerdict() {
    RunResult result = run(new Root(List.of(-1, 1, 2)));

    assertThat(result.summary()).isEqualTo("""
        ===== Sluice execution summary =====
        Scheduled 4 tasks of which:
        * 2 ran successfully:
            - 2 Leaf(i=1..2)
        * 1 failed:
            - Leaf(i=-1): IllegalStateException: leaf -1 is negative
                second line of the reason
        * 1 not run because upstream failed:
            - Root(leaves=[-1,1,2]): requires Leaf(i=-1), which failed

        Failed: 1 failed, 1 not run because upstream failed; 2 ran successfully (exit code 1, a task failed).
        """);
    assertThat(result.summary()).endsWith(result.verdict() + "\n");
  }

  @Test
  void longListsOfFailuresAreCut() {
    Map<TaskId, TaskStatus> statuses = new LinkedHashMap<>();
    Map<TaskId, String> reasons = new LinkedHashMap<>();
    for (int i = 0; i < 25; i++) {
      statuses.put(leaf(i), TaskStatus.FAILED);
      reasons.put(leaf(i), "boom " + i);
    }

    String summary = result(statuses, reasons).summary();

    assertThat(summary).contains("    - Leaf(i=19): boom 19\n    - ... and 5 more\n").doesNotContain("boom 20");
  }

  @Test
  void nonNumericParametersAreListedAndScatteredRangesAbbreviated() {
    Map<TaskId, TaskStatus> statuses = new LinkedHashMap<>();
    for (String model : List.of("svm", "tree", "knn", "mlp")) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("model", model);
      params.put("fold", 1);
      statuses.put(new TaskId("Fit", params), TaskStatus.DONE);
    }
    for (int i = 0; i < 20; i += 2) {
      statuses.put(leaf(i), TaskStatus.COMPLETE);
    }

    String summary = result(statuses, Map.of()).summary();

    assertThat(summary).contains("    - 4 Fit(model={svm,tree,knn,... (4 values)}, fold=1)\n")
        .contains("    - 10 Leaf(i=0,2,4,6,8,... (10 values))\n");
  }

  @Test
  void verdictsSayWhatHappened() {
    assertThat(result(Map.of(), Map.of()).verdict()).isEqualTo("Nothing to do: everything was complete already.");
    assertThat(result(Map.of(leaf(1), TaskStatus.MISSING, leaf(2), TaskStatus.UPSTREAM_FAILED), Map.of()).verdict())
        .isEqualTo("Failed: 1 missing external data, 1 not run because upstream failed; 0 ran successfully "
            + "(exit code 3, missing external data).");
    assertThat(RunResult.schedulingError("Cycle: A() -> A()").summary()).isEqualTo("""
        ===== Sluice execution summary =====
        Scheduling error, nothing ran: Cycle: A() -> A()
        """);
  }
}
