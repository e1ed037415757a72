package io.sluice.server.schedule;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code [schedules.NAME]} tables of {@code sluice.toml} into {@link Schedule}s, and says which
 * schedule and which key is wrong when one is.
 *
 * <pre>
 * [schedules.nightly]
 * cron = "0 3 * * *"
 * task = "ScoreReport"
 * args = ["--workers", "3"]
 * time_zone = "Europe/Paris"   # default UTC
 * overlap = "skip"             # or "queue"
 * catch_up = "none"            # or "last"
 * </pre>
 */
public final class ScheduleSettings {

  private static final Set<String> KEYS = new TreeSet<>(Set.of("cron", "task", "args", "time_zone", "overlap",
      "catch_up"));

  private ScheduleSettings() {}

  /**
   * The schedules of a {@code [schedules]} section (the TOML value of key {@code schedules}), in their order.
   *
   * @param where the file, for messages
   * @throws IllegalArgumentException naming the schedule and the key when one is wrong
   */
  public static List<Schedule> parse(Map<String, Object> section, String where) {
    List<Schedule> schedules = new ArrayList<>();
    section.forEach((name, table) -> {
      String at = where + ": [schedules." + name + "] ";
      if (!(table instanceof Map<?, ?> values)) {
        throw new IllegalArgumentException(at.trim() + " is a plain value; write it as a table:"
            + " [schedules." + name + "] with cron = \"0 3 * * *\" and task = \"TaskName\"");
      }
      schedules.add(parse(name, values, at));
    });
    return schedules;
  }

  private static Schedule parse(String name, Map<?, ?> values, String at) {
    for (Object key : values.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(at + "has an unknown key '" + key + "'; the keys are " + String.join(", ",
            KEYS));
      }
    }
    String cron = text(values, "cron", at, null);
    if (cron == null) {
      throw new IllegalArgumentException(at + "has no cron; give one such as cron = \"0 3 * * *\" (03:00 every day)");
    }
    String task = text(values, "task", at, null);
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException(at + "has no task; give the task to run, such as task = \"ScoreReport\"");
    }
    ZoneId zone;
    String zoneName = text(values, "time_zone", at, "UTC");
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(at + "time_zone = \"" + zoneName + "\" is not a time zone; give one such as"
          + " \"UTC\" or \"Europe/Paris\"");
    }
    try {
      CronTimes.parse(cron, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
    Schedule.Overlap overlap = choice(Schedule.Overlap.class, text(values, "overlap", at, "skip"), "overlap", at);
    Schedule.CatchUp catchUp = choice(Schedule.CatchUp.class, text(values, "catch_up", at, "none"), "catch_up", at);
    return new Schedule(name, cron, task, arguments(values.get("args"), at), zone, overlap, catchUp);
  }

  private static String text(Map<?, ?> values, String key, String at, String otherwise) {
    Object value = values.get(key);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(at + key + " = " + value + " is not a string; write it in quotes");
    }
    return text;
  }

  private static List<String> arguments(Object value, String at) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException(at + "args = " + value + " is not a list of strings; write it as"
          + " args = [\"--workers\", \"3\"]");
    }
    return list.stream().map(String.class::cast).toList();
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String text, String key, String at) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add("\"" + constant.name().toLowerCase(Locale.ROOT) + "\"");
      }
      throw new IllegalArgumentException(at + key + " = \"" + text + "\" is not one of " + String.join(", ", allowed));
    }
  }
}
