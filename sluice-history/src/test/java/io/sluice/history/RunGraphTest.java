package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Sluice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's shape by family, recorded when its graph is built, and the timeline of its families. */
class RunGraphTest {

  @TempDir
  Path dir;

  private void record(HistoryConfig config, String runId, io.sluice.Task root) {
    List<String> warnings = new ArrayList<>();
    try (HistoryRecorder history = HistoryRecorder.builder(config, HistoryRecorderTest.runInfo(runId, "Mixed"))
        .logDir(dir.resolve("state/logs")).warnings(warnings::add).start()) {
      Sluice.builder().workers(2).stateDir(dir.resolve("state")).listener(history).build().run(root);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aRunsGraphIsRecordedAsTasksPerFamilyAndLinksBetweenFamiliesPendingTasksIncluded() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    record(config, "r1", new Pipelines.Mixed(dir.toString()));

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      RunGraph graph = history.runGraph("r1");
      assertThat(graph.families()).containsExactly(Map.entry("Mixed", 1), Map.entry("Write", 1),
          Map.entry("AfterFail", 1), Map.entry("Flaky", 1), Map.entry("Fail", 1));
      assertThat(graph.links()).containsExactlyInAnyOrder(new RunGraph.Link("Mixed", "Write", 1),
          new RunGraph.Link("Mixed", "AfterFail", 1), new RunGraph.Link("Mixed", "Flaky", 1),
          new RunGraph.Link("AfterFail", "Fail", 1));
      assertThat(history.runGraph("no-such-run")).isEqualTo(RunGraph.NONE);
    }
  }

  @Test
  void linksBetweenTwoFamiliesAreCountedNotListed() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    record(config, "many", new Pipelines.Many(dir.toString(), 50));

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      assertThat(history.runGraph("many").links()).containsExactly(new RunGraph.Link("Many", "Write", 50));
    }
  }

  @Test
  void eachFamilysSpanCountsItsStartsPerSliceOfTheRunsTime() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    record(config, "many", new Pipelines.Many(dir.toString(), 50));

    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      RunRecord run = history.run("many").orElseThrow();
      List<FamilySpan> spans = history.familySpans("many", run.info().startedAt(), run.endedAt(), 10);
      assertThat(spans).extracting(FamilySpan::family).contains("Write");
      FamilySpan writes = spans.stream().filter(s -> s.family().equals("Write")).findFirst().orElseThrow();
      assertThat(writes.started()).isEqualTo(50);
      assertThat(writes.startsPerSlice()).hasSize(10);
      assertThat(writes.startsPerSlice().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
      assertThat(writes.first()).isBeforeOrEqualTo(writes.last());
      assertThat(history.familySpans("no-such-run", run.info().startedAt(), run.endedAt(), 10)).isEmpty();
    }
  }

  @Test
  void removingOldRunsRemovesTheirGraphs() throws Exception {
    HistoryConfig config = HistoryConfig.sqlite(dir);
    record(config, "r1", new Pipelines.Mixed(dir.toString()));
    try (HistoryDatabase history = HistoryDatabase.open(config)) {
      history.deleteRunsBefore(java.time.Instant.parse("2030-01-01T00:00:00Z"));
      assertThat(history.runGraph("r1")).isEqualTo(RunGraph.NONE);
    }
  }
}
