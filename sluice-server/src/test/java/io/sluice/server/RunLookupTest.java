package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLookupTest {

  @TempDir
  Path dir;

  private Instant now = Instant.parse("2026-12-01T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void whatWasFoundIsKeptForAMomentThenAskedAgain() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    try (HistoryAccess history = new HistoryAccess(config)) {
      RunLookup runs = new RunLookup(history, Duration.ofSeconds(1), clock);
      assertThat(runs.find("late")).isEmpty();

      RecordedRuns.record(config, dir.resolve("state"), "late", "host-a", now,
          new TestTasks.Scores(dir.resolve("out").toString(), 1));
      now = now.plusMillis(900);
      assertThat(runs.find("late")).as("within the moment: what was found before").isEmpty();
      now = now.plusMillis(200);
      assertThat(runs.find("late")).as("a moment later: asked again").isPresent();
    }
  }
}
