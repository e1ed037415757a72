package io.sluice.history;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;

/** Run ids that sort by start time and do not collide across processes: {@code 20261130-181502-3fa9c1}. */
public final class RunIds {

  /**
   * The variable through which a process that starts {@code sluice run} (the server's schedules) gives
   * the run its id, so that it can link to the run before the run has recorded anything.
   */
  public static final String VARIABLE = "SLUICE_RUN_ID";

  /**
   * The pid of the process that gave {@link #VARIABLE}: a run takes the id only from its parent, so
   * that a {@code sluice run} started further down (which inherits the environment) gets its own.
   */
  public static final String STARTER_VARIABLE = "SLUICE_RUN_ID_STARTER";

  private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");

  private RunIds() {}

  /** Whether {@code id} has the form of {@link #next}'s ids. */
  public static boolean valid(String id) {
    return id != null && FORM.matcher(id).matches();
  }

  /** A new id for a run started at {@code start}; 24 random bits keep same-second runs apart. */
  public static String next(Instant start, Random random) {
    byte[] bytes = new byte[3];
    random.nextBytes(bytes);
    return stamp(start) + "-" + HexFormat.of().formatHex(bytes);
  }

  /**
   * {@code yyyyMMdd-HHmmss} in UTC, by hand: a {@code DateTimeFormatter} loads the JDK's locale
   * data on first use, a few milliseconds of every recorded run's start.
   */
  static String stamp(Instant at) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(15);
    digits(text, utc.getYear(), 4);
    digits(text, utc.getMonthValue(), 2);
    digits(text, utc.getDayOfMonth(), 2);
    text.append('-');
    digits(text, utc.getHour(), 2);
    digits(text, utc.getMinute(), 2);
    digits(text, utc.getSecond(), 2);
    return text.toString();
  }

  private static void digits(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    text.append(digits);
  }
}
