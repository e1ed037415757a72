package io.sluice.server;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads a request's query parameters, refusing bad values with a message that names them. */
final class QueryParams {

  private QueryParams() {}

  /** The parameter, or null when absent or blank. */
  static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** An integer in [min, max], or {@code fallback} when absent. */
  static int integer(Context ctx, String name, int fallback, int min, int max) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw new ApiException(400, "Query parameter " + name + "=" + value + " is not a whole number from " + min
        + " to " + max);
  }

  /**
   * An instant: ISO-8601 ({@code 2026-11-30T10:00:00Z}) or a date ({@code 2026-11-30}, its start in UTC);
   * null when absent.
   */
  static Instant instant(Context ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "Query parameter " + name + "=" + value
          + " is neither a date (2026-11-30) nor an instant (2026-11-30T10:00:00Z)");
    }
  }
}
