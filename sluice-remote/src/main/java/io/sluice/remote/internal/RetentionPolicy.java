package io.sluice.remote.internal;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.util.Map;
import java.util.Set;

/**
 * How much of its own disk use Sluice keeps ({@code [retention]} in sluice.toml): finished run
 * directories younger than {@code keep_days}, at most {@code keep_runs} of them per backend, and
 * the snapshots and builds of the commits those runs (or runs in flight) use.
 *
 * @param keepDays finished runs older than this many days are removed
 * @param keepRuns at most this many finished runs are kept, the newest
 */
public record RetentionPolicy(int keepDays, int keepRuns) {

  /** Defaults: a week of runs, at most 20 finished ones. */
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(7, 20);

  private static final Set<String> KEYS = Set.of("keep_days", "keep_runs");

  public RetentionPolicy {
    if (keepDays < 0 || keepRuns < 0) {
      throw new SchedulingException("sluice.toml: [retention] keep_days = " + keepDays + ", keep_runs = " + keepRuns
          + ": both must be 0 or more");
    }
  }

  /** The policy of the settings' {@code [retention]} section, defaults for what it leaves out. */
  public static RetentionPolicy from(Settings settings) {
    Map<String, Object> section = settings.section("retention");
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [retention] has unknown setting '" + key
            + "' (known: keep_days, keep_runs)");
      }
    }
    return new RetentionPolicy(number(section, "keep_days", DEFAULT.keepDays),
        number(section, "keep_runs", DEFAULT.keepRuns));
  }

  private static int number(Map<String, Object> section, String key, int fallback) {
    Object value = section.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      throw new SchedulingException("sluice.toml: [retention] " + key + " = " + value + " is not a whole number");
    }
  }
}
