package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pace of listings, step by step on exact instants. */
class PollCadenceTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /** The offsets (ms from T0) of the listings made by a caller asking every millisecond until {@code endMs}. */
  static List<Long> listings(PollCadence cadence, long endMs) {
    List<Long> listed = new ArrayList<>();
    for (long ms = 0; ms <= endMs; ms++) {
      if (cadence.due(at(ms))) {
        cadence.listed(at(ms));
        listed.add(ms);
      }
    }
    return listed;
  }

  @Test
  void nothingKnownYetIsListedAtOnce() {
    assertThat(new PollCadence(Duration.ofSeconds(1)).due(T0)).isTrue();
  }

  @Test
  void aSubmissionIsFollowedByListingsEvery25msThatSlowToAQuarterOfTheStillTimeAndThenToTheInterval() {
    PollCadence cadence = new PollCadence(Duration.ofSeconds(1));
    cadence.activity(T0);

    List<Long> listed = listings(cadence, 10_000);

    assertThat(listed).startsWith(25L, 50L, 75L, 100L, 125L, 157L, 197L, 247L);
    for (int i = 1; i < listed.size(); i++) {
      long gap = listed.get(i) - listed.get(i - 1);
      long expected = Math.min(1000, Math.max(25, listed.get(i - 1) / 4));
      assertThat(gap).as("gap after the listing at %d ms", listed.get(i - 1)).isBetween(expected, expected + 1);
    }
    // Still for 4 s: from then on, once per interval.
    assertThat(listed.stream().filter(ms -> ms >= 5_000)).hasSizeBetween(5, 6);
    assertThat(listed).hasSizeLessThan(35);
  }

  @Test
  void aChangeSeenByAListingBringsTheFastPaceBack() {
    PollCadence cadence = new PollCadence(Duration.ofSeconds(1));
    cadence.activity(T0);
    listings(cadence, 20_000);
    assertThat(cadence.next()).isAfter(at(20_000));

    cadence.listed(at(20_500));
    cadence.activity(at(20_500));

    assertThat(cadence.next()).isEqualTo(at(20_525));
  }

  @Test
  void aSubmissionWhileTheRunsAreStillIsListed25msLaterNotAtTheIntervalsPace() {
    PollCadence cadence = new PollCadence(Duration.ofSeconds(1));
    cadence.activity(T0);
    listings(cadence, 20_000);

    cadence.activity(at(20_100));

    assertThat(cadence.next()).isEqualTo(at(20_125));
  }

  @Test
  void aSubmissionNeverPutsOffAListingPlannedSooner() {
    PollCadence cadence = new PollCadence(Duration.ofSeconds(1));
    cadence.activity(T0);
    cadence.listed(at(25));

    cadence.activity(at(40));

    assertThat(cadence.next()).isEqualTo(at(50));
  }

  @Test
  void anIntervalShorterThanTheFloorIsKeptAsItIs() {
    PollCadence cadence = new PollCadence(Duration.ofMillis(10));
    cadence.activity(T0);

    assertThat(listings(cadence, 100)).containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
  }

  @Test
  void aZeroIntervalListsAtEveryAsk() {
    PollCadence cadence = new PollCadence(Duration.ZERO);
    cadence.activity(T0);

    assertThat(listings(cadence, 3)).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void listingsWithoutAnyActivityComeOncePerInterval() {
    PollCadence cadence = new PollCadence(Duration.ofSeconds(1));

    assertThat(listings(cadence, 3_000)).containsExactly(0L, 1_000L, 2_000L, 3_000L);
  }

  @Test
  void aNegativeIntervalIsRefusedNamingIt() {
    assertThatThrownBy(() -> new PollCadence(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
  }
}
