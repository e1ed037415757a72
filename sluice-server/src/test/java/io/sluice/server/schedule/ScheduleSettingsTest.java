package io.sluice.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code [schedules.NAME]} tables, and the errors that name what is wrong. */
class ScheduleSettingsTest {

  @Test
  void aScheduleTableIsReadWithItsDefaults() {
    List<Schedule> schedules = ScheduleSettings.parse(Map.of("nightly", Map.of("cron", "0 3 * * *", "task",
        "ScoreReport", "args", List.of("--workers", "3"), "time_zone", "Europe/Paris", "overlap", "queue")),
        "sluice.toml");

    assertThat(schedules).containsExactly(new Schedule("nightly", "0 3 * * *", "ScoreReport",
        List.of("--workers", "3"), ZoneId.of("Europe/Paris"), Schedule.Overlap.QUEUE, Schedule.CatchUp.NONE));
  }

  @Test
  void aBadCronExpressionIsAnErrorNamingTheSchedule() {
    assertThatThrownBy(() -> ScheduleSettings.parse(Map.of("nightly", Map.of("cron", "0 25 * * *", "task", "Report")),
        "sluice.toml")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sluice.toml: [schedules.nightly] cron = \"0 25 * * *\" is not a Unix cron expression");
  }

  @Test
  void anUnknownKeyIsAnErrorNamingTheScheduleAndTheKey() {
    assertThatThrownBy(() -> ScheduleSettings.parse(Map.of("nightly", Map.of("cron", "0 3 * * *", "task", "Report",
        "timezone", "UTC")), "sluice.toml")).hasMessage("sluice.toml: [schedules.nightly] has an unknown key"
        + " 'timezone'; the keys are args, catch_up, cron, overlap, task, time_zone");
  }

  @Test
  void aWrongOverlapOrTimeZoneOrMissingTaskIsNamed() {
    assertThatThrownBy(() -> ScheduleSettings.parse(Map.of("n", Map.of("cron", "0 3 * * *", "task", "R",
        "overlap", "wait")), "f")).hasMessage("f: [schedules.n] overlap = \"wait\" is not one of \"skip\", \"queue\"");
    assertThatThrownBy(() -> ScheduleSettings.parse(Map.of("n", Map.of("cron", "0 3 * * *", "task", "R",
        "time_zone", "Mars/Olympus")), "f")).hasMessageContaining("time_zone = \"Mars/Olympus\" is not a time zone");
    assertThatThrownBy(() -> ScheduleSettings.parse(Map.of("n", Map.of("cron", "0 3 * * *")), "f"))
        .hasMessageContaining("[schedules.n] has no task");
  }
}
