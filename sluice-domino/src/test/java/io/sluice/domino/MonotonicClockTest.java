package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {

  @Test
  void startsAtTheWallTimeAndNeverGoesBack() {
    Instant before = Instant.now();
    MonotonicClock clock = MonotonicClock.startingNow();
    Instant first = clock.instant();

    assertThat(Duration.between(before, first).abs()).isLessThan(Duration.ofSeconds(1));
    for (int i = 0; i < 1000; i++) {
      Instant next = clock.instant();
      assertThat(next).isAfterOrEqualTo(first);
      first = next;
    }
  }
}
