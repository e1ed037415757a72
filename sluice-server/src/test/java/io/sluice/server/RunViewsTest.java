package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.RunInfo;
import io.sluice.history.RunRecord;
import io.sluice.history.StartedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunViewsTest {

  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  private Instant now = START.plusSeconds(60);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private static RunRecord run(String id, Instant end) {
    return new RunRecord(new RunInfo(id, "Report", "sluice run Report", "alice", "host-a", 1, "/p", null,
        StartedBy.TERMINAL, START), end, end == null ? null : 0);
  }

  @Test
  void aFinishedRunsViewIsComputedOnce() throws Exception {
    RunViews views = new RunViews(10, Duration.ofSeconds(1), clock);
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      views.get(run("done", START.plusSeconds(5)), "graph", computed::incrementAndGet);
      now = now.plusSeconds(3600);
    }
    assertThat(computed).hasValue(1);
  }

  @Test
  void aRunningRunsViewIsKeptForAMomentAndOnceComputedAfterTheRunsEndForGood() throws Exception {
    RunViews views = new RunViews(10, Duration.ofSeconds(1), clock);
    AtomicInteger computed = new AtomicInteger();
    views.get(run("going", null), "graph", computed::incrementAndGet);
    now = now.plusMillis(500);
    views.get(run("going", null), "graph", computed::incrementAndGet);
    assertThat(computed).as("within a second: kept").hasValue(1);
    now = now.plusMillis(600);
    views.get(run("going", null), "graph", computed::incrementAndGet);
    assertThat(computed).as("a second later: computed again").hasValue(2);
    RunRecord ended = run("going", now.plusMillis(1));
    now = now.plusMillis(1100);
    views.get(ended, "graph", computed::incrementAndGet);
    assertThat(computed).as("it ended since the view was computed").hasValue(3);
    now = now.plusSeconds(3600);
    views.get(ended, "graph", computed::incrementAndGet);
    assertThat(computed).as("computed after its end: kept").hasValue(3);
  }

  @Test
  void viewersWhoFindAViewStaleTogetherComputeItOnce() throws Exception {
    RunViews views = new RunViews(10, Duration.ofSeconds(1), clock);
    AtomicInteger computed = new AtomicInteger();
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread first = new Thread(() -> {
      try {
        views.get(run("going", null), "graph", () -> {
          inside.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return computed.incrementAndGet();
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    first.start();
    inside.await();
    Thread second = new Thread(() -> {
      try {
        views.get(run("going", null), "graph", computed::incrementAndGet);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    second.start();
    // The second viewer waits for the first one's computation (there is no event to await a blocked thread by).
    while (second.getState() != Thread.State.BLOCKED) {
      Thread.onSpinWait();
    }
    release.countDown();
    first.join();
    second.join();
    assertThat(computed).hasValue(1);
  }

  @Test
  void theLeastRecentlyUsedViewIsDroppedBeyondTheCapacity() throws Exception {
    RunViews views = new RunViews(2, Duration.ZERO, clock);
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
