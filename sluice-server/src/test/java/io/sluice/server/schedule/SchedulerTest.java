package io.sluice.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.server.schedule.Schedule.CatchUp;
import io.sluice.server.schedule.Schedule.Overlap;
import io.sluice.server.schedule.Scheduler.Decision;
import io.sluice.server.schedule.Scheduler.Outcome;
import io.sluice.server.schedule.Scheduler.Reason;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions, driven instant by instant. */
class SchedulerTest {

  private static final Instant START = Instant.parse("2026-11-30T10:00:30Z");

  private static Schedule every(String cron, Overlap overlap, CatchUp catchUp) {
    return new Schedule("nightly", cron, "ScoreReport", List.of("--workers", "3"), ZoneOffset.UTC, overlap, catchUp);
  }

  @Test
  void aDueTimeStartsOneRunAndTheNextDueTimeFollowsTheCron() {
    Scheduler scheduler = new Scheduler(List.of(every("*/5 * * * *", Overlap.SKIP, CatchUp.NONE)), START, Map.of());
    assertThat(scheduler.next("nightly")).contains(Instant.parse("2026-11-30T10:05:00Z"));

    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:04:59Z"))).isEmpty();
    List<Decision> due = scheduler.tick(Instant.parse("2026-11-30T10:05:01Z"));

    assertThat(due).singleElement().satisfies(d -> {
      assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-11-30T10:05:00Z"));
      assertThat(d.reason()).isEqualTo(Reason.CRON);
      assertThat(d.outcome()).isEqualTo(Outcome.START);
    });
    assertThat(scheduler.running("nightly")).isTrue();
    assertThat(scheduler.next("nightly")).contains(Instant.parse("2026-11-30T10:10:00Z"));
    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:05:02Z"))).isEmpty();
  }

  @Test
  void severalDueTimesPassedBetweenTwoTicksStartOneRunForTheLatest() {
    Scheduler scheduler = new Scheduler(List.of(every("* * * * *", Overlap.SKIP, CatchUp.NONE)), START, Map.of());

    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:07:10Z"))).singleElement()
        .satisfies(d -> assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-11-30T10:07:00Z")));
  }

  @Test
  void aDueTimeWhileTheScheduledRunIsStillGoingIsSkippedWithOverlapSkip() {
    Scheduler scheduler = new Scheduler(List.of(every("* * * * *", Overlap.SKIP, CatchUp.NONE)), START, Map.of());
    scheduler.tick(Instant.parse("2026-11-30T10:01:00Z"));

    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:02:00Z"))).extracting(Decision::outcome)
        .containsExactly(Outcome.SKIP);
    assertThat(scheduler.ended("nightly")).isEmpty();
    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:03:00Z"))).extracting(Decision::outcome)
        .containsExactly(Outcome.START);
  }

  @Test
  void aDueTimeWhileTheScheduledRunIsStillGoingStartsWhenItEndsWithOverlapQueue() {
    Scheduler scheduler = new Scheduler(List.of(every("* * * * *", Overlap.QUEUE, CatchUp.NONE)), START, Map.of());
    scheduler.tick(Instant.parse("2026-11-30T10:01:00Z"));

    assertThat(scheduler.tick(Instant.parse("2026-11-30T10:02:00Z"))).extracting(Decision::outcome)
        .containsExactly(Outcome.QUEUE);
    assertThat(scheduler.queued("nightly")).isEqualTo(1);

    assertThat(scheduler.ended("nightly")).hasValueSatisfying(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.START);
      assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-11-30T10:02:00Z"));
    });
    assertThat(scheduler.running("nightly")).isTrue();
    assertThat(scheduler.queued("nightly")).isZero();
  }

  @Test
  void catchUpLastRunsTheLastDueTimeMissedWhileTheServerWasDownOnceAtTheFirstTick() {
    Instant lastFired = Instant.parse("2026-11-27T03:00:00Z");
    Scheduler scheduler = new Scheduler(List.of(every("0 3 * * *", Overlap.SKIP, CatchUp.LAST)), START,
        Map.of("nightly", lastFired));

    assertThat(scheduler.tick(START)).singleElement().satisfies(d -> {
      assertThat(d.reason()).isEqualTo(Reason.CATCH_UP);
      assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
      assertThat(d.outcome()).isEqualTo(Outcome.START);
    });
    assertThat(scheduler.tick(START.plusSeconds(1))).isEmpty();
  }

  @Test
  void catchUpNoneOrNothingMissedRunsNothingAtStart() {
    Instant lastFired = Instant.parse("2026-11-27T03:00:00Z");
    assertThat(new Scheduler(List.of(every("0 3 * * *", Overlap.SKIP, CatchUp.NONE)), START,
        Map.of("nightly", lastFired)).tick(START)).isEmpty();
    assertThat(new Scheduler(List.of(every("0 3 * * *", Overlap.SKIP, CatchUp.LAST)), START,
        Map.of("nightly", Instant.parse("2026-11-30T03:00:00Z"))).tick(START)).isEmpty();
  }

  @Test
  void cronFieldsAreReadInTheSchedulesTimeZone() {
    Schedule paris = new Schedule("nightly", "0 3 * * *", "ScoreReport", List.of(), ZoneId.of("Europe/Paris"),
        Overlap.SKIP, CatchUp.NONE);

    Scheduler scheduler = new Scheduler(List.of(paris), START, Map.of());

    assertThat(scheduler.next("nightly")).contains(Instant.parse("2026-12-01T02:00:00Z"));
  }

  @Test
  void aRunByHandFollowsTheOverlapRuleAndAnUnknownScheduleIsNamed() {
    Scheduler scheduler = new Scheduler(List.of(every("0 3 * * *", Overlap.SKIP, CatchUp.NONE)), START, Map.of());

    assertThat(scheduler.manual("nightly", START).outcome()).isEqualTo(Outcome.START);
    assertThat(scheduler.manual("nightly", START).outcome()).isEqualTo(Outcome.SKIP);
    assertThatThrownBy(() -> scheduler.manual("nighty", START)).hasMessage(
        "No schedule 'nighty'; the schedules are nightly");
  }
}
