package io.sluice.server.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** The due times of a Unix cron expression in a time zone, by cron-utils. */
public final class CronTimes {

  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime times;
  private final ZoneId zone;

  private CronTimes(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /**
   * Parses five Unix cron fields (minute hour day-of-month month day-of-week).
   *
   * @throws IllegalArgumentException when the expression is not one; the message says why
   */
  public static CronTimes parse(String expression, ZoneId zone) {
    try {
      return new CronTimes(ExecutionTime.forCron(PARSER.parse(expression).validate()), zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cron = \"" + expression + "\" is not a Unix cron expression of five fields"
          + " (minute hour day-of-month month day-of-week, such as \"0 3 * * *\"): " + e.getMessage(), e);
    }
  }

  /** The first due time strictly after {@code time}, if any. */
  public Optional<Instant> next(Instant time) {
    return times.nextExecution(ZonedDateTime.ofInstant(time, zone)).map(ZonedDateTime::toInstant);
  }

  /** The last due time at or before {@code time}, if any. */
  public Optional<Instant> last(Instant time) {
    ZonedDateTime at = ZonedDateTime.ofInstant(time, zone);
    if (at.getSecond() == 0 && at.getNano() == 0 && times.isMatch(at)) {
      return Optional.of(time);
    }
    return times.lastExecution(at).map(ZonedDateTime::toInstant);
  }
}
