package io.sluice.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;

/** Run ids that sort by start time and do not collide across processes: {@code 20261130-181502-3fa9c1}. */
public final class RunIds {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** A new id for a run started at {@code start}; 24 random bits keep same-second runs apart. */
  public static String next(Instant start, Random random) {
    byte[] bytes = new byte[3];
    random.nextBytes(bytes);
    return STAMP.format(start) + "-" + HexFormat.of().formatHex(bytes);
  }
}
