package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.RunInfo;
import io.sluice.history.RunRecord;
import io.sluice.history.StartedBy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FinishedRunViewsTest {

  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  private static RunRecord run(String id, Instant end) {
    return new RunRecord(new RunInfo(id, "Report", "sluice run Report", "alice", "host-a", 1, "/p", null,
        StartedBy.TERMINAL, START), end, end == null ? null : 0);
  }

  @Test
  void aFinishedRunsViewIsComputedOnceAndARunningRunsEveryTime() throws Exception {
    FinishedRunViews views = new FinishedRunViews(10);
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      views.get(run("done", START.plusSeconds(5)), "graph", computed::incrementAndGet);
    }
    assertThat(computed).hasValue(1);
    for (int i = 0; i < 3; i++) {
      views.get(run("going", null), "graph", computed::incrementAndGet);
    }
    assertThat(computed).hasValue(4);
  }

  @Test
  void theLeastRecentlyUsedViewIsDroppedBeyondTheCapacity() throws Exception {
    FinishedRunViews views = new FinishedRunViews(2);
    AtomicInteger computed = new AtomicInteger();
    views.get(run("a", START), "graph", computed::incrementAndGet);
    views.get(run("b", START), "graph", computed::incrementAndGet);
    views.get(run("a", START), "graph", computed::incrementAndGet); // a is now the most recent
    views.get(run("c", START), "graph", computed::incrementAndGet); // drops b
    assertThat(computed).hasValue(3);
    views.get(run("a", START), "graph", computed::incrementAndGet);
    assertThat(computed).hasValue(3);
    views.get(run("b", START), "graph", computed::incrementAndGet);
    assertThat(computed).hasValue(4);
  }
}
