package io.sluice.domino.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /_emulator/faults}: the {@link Faults} calls as JSON, for tests that drive the
 * emulator as a process. Fields (any number in one body, applied in this order):
 * <pre>
 * {"clear": true,
 *  "failRequests": {"status": 503, "during": "2m"},
 *  "failNextRequests": {"status": 502, "count": 3},
 *  "delayResponses": {"delay": "500ms", "during": "30s"},
 *  "hideRunFromList": {"runId": "...", "during": "10s"},
 *  "nextRunEndsIn": "Error",
 *  "rejectNextWithConflict": 2}
 * </pre>
 * A duration is a number of milliseconds, {@code 500ms}/{@code 10s}/{@code 2m}/{@code 1h}, or ISO-8601 ({@code PT2M}).
 */
final class FaultRequests {

  private static final List<String> FIELDS = List.of("clear", "failRequests", "failNextRequests", "delayResponses",
      "hideRunFromList", "nextRunEndsIn", "rejectNextWithConflict");

  private final Faults faults;

  FaultRequests(Faults faults) {
    this.faults = faults;
  }

  /** Applies the body's faults; answers which were applied. */
  Map<String, Object> apply(byte[] body) {
    JsonNode json = Json.object(body, "POST /_emulator/faults");
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new ApiException(400, "Unknown fault '" + name + "' (known: " + String.join(", ", FIELDS) + ")");
      }
    }
    List<String> applied = new ArrayList<>();
    for (String name : FIELDS) {
      JsonNode value = json.get(name);
      if (value == null) {
        continue;
      }
      switch (name) {
        case "clear" -> {
          if (value.asBoolean()) {
            faults.clear();
          }
        }
        case "failRequests" -> faults.failRequests(integer(value, "status", name), duration(value, "during", name));
        case "failNextRequests" -> faults.failNextRequests(integer(value, "status", name), integer(value, "count", name));
        case "delayResponses" -> faults.delayResponses(duration(value, "delay", name), duration(value, "during", name));
        case "hideRunFromList" -> faults.hideRunFromList(string(value, "runId", name), duration(value, "during", name));
        case "nextRunEndsIn" -> faults.nextRunEndsIn(value.asText());
        case "rejectNextWithConflict" -> {
          if (!value.canConvertToInt()) {
            throw new ApiException(400, "'rejectNextWithConflict' must be a count, e.g. 2; found " + value);
          }
          faults.rejectNextWithConflict(value.asInt());
        }
        default -> throw new IllegalStateException(name);
      }
      applied.add(name);
    }
    return Map.of("applied", applied);
  }

  private static int integer(JsonNode fault, String field, String name) {
    JsonNode value = fault.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new ApiException(400, "'" + name + "' needs an integer '" + field + "'; found " + fault);
    }
    return value.asInt();
  }

  private static String string(JsonNode fault, String field, String name) {
    JsonNode value = fault.get(field);
    if (value == null || !value.isTextual()) {
      throw new ApiException(400, "'" + name + "' needs a string '" + field + "'; found " + fault);
    }
    return value.asText();
  }

  private static Duration duration(JsonNode fault, String field, String name) {
    JsonNode value = fault.get(field);
    if (value != null && value.canConvertToLong() && value.isNumber()) {
      return Duration.ofMillis(value.asLong());
    }
    if (value != null && value.isTextual()) {
      try {
        return parseDuration(value.asText());
      } catch (IllegalArgumentException | DateTimeParseException e) {
        // answered below
      }
    }
    throw new ApiException(400, "'" + name + "' needs a duration '" + field
        + "' (milliseconds, or e.g. \"500ms\", \"10s\", \"2m\", \"PT2M\"); found " + fault);
  }

  static Duration parseDuration(String text) {
    String s = text.trim();
    if (s.length() < 2) {
      throw new IllegalArgumentException("no duration in '" + text + "'");
    }
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    long amount = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("unknown unit in " + text);
    };
  }
}
