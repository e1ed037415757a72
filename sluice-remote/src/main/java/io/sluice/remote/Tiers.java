package io.sluice.remote;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.internal.ParamConverter;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The hardware tiers of a project, from {@code [tiers.NAME]} sections of sluice.toml:
 *
 * <pre>
 * [tiers.Large]
 * cpus = 2
 * memory = "4g"        # or memory_mb = 4096
 * gpus = 0
 * time_limit = "1h"
 * max_parallel = 1     # runs of this tier at once
 * [tiers.Large.slurm]  # options of one backend
 * partition = "large"
 * </pre>
 */
public final class Tiers {

  private static final Set<String> KEYS = Set.of("cpus", "memory", "memory_mb", "gpus", "time_limit", "max_parallel");

  private final Map<String, Tier> tiers;

  private Tiers(Map<String, Tier> tiers) {
    this.tiers = tiers;
  }

  /**
   * Reads the tiers.
   *
   * @throws SchedulingException naming the tier and the setting that is wrong
   */
  public static Tiers from(Settings settings) {
    Map<String, Tier> tiers = new LinkedHashMap<>();
    settings.section("tiers").forEach((name, raw) -> {
      if (!(raw instanceof Map<?, ?> table)) {
        throw new SchedulingException("sluice.toml: tiers." + name + " must be a table such as [tiers." + name + "]");
      }
      tiers.put(name, tier(name, table));
    });
    return new Tiers(tiers);
  }

  private static Tier tier(String name, Map<?, ?> table) {
    Map<String, Map<String, Object>> backendOptions = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : table.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (entry.getValue() instanceof Map<?, ?> options) {
        Map<String, Object> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> copy.put(String.valueOf(k), v));
        backendOptions.put(key, copy);
      } else if (!KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [tiers." + name + "] has unknown setting '" + key
            + "' (known: cpus, memory, memory_mb, gpus, time_limit, max_parallel, and a [tiers." + name
            + ".BACKEND] table)");
      }
    }
    try {
      long memoryMb = table.containsKey("memory_mb") ? whole(name, "memory_mb", table.get("memory_mb"))
          : table.containsKey("memory") ? memoryMb(name, String.valueOf(table.get("memory"))) : 0;
      Duration timeLimit = table.containsKey("time_limit") ? duration("time_limit", table.get("time_limit")) : null;
      return new Tier(name,
          (int) (table.containsKey("cpus") ? whole(name, "cpus", table.get("cpus")) : 1),
          memoryMb,
          (int) (table.containsKey("gpus") ? whole(name, "gpus", table.get("gpus")) : 0),
          timeLimit,
          (int) (table.containsKey("max_parallel") ? whole(name, "max_parallel", table.get("max_parallel")) : 0),
          backendOptions);
    } catch (IllegalArgumentException e) {
      throw new SchedulingException("sluice.toml: [tiers." + name + "]: " + e.getMessage());
    }
  }

  private static long whole(String tier, String key, Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException(key + " = " + value + " is not a whole number");
  }

  private static Duration duration(String key, Object value) {
    try {
      return ParamConverter.parseDuration(String.valueOf(value));
    } catch (IllegalArgumentException | DateTimeException e) {
      // the parser's own words ("multiple points") would not say which setting is wrong
      throw new IllegalArgumentException(key + " = \"" + value
          + "\" is not a duration such as \"90s\", \"30m\" or \"4h\"");
    }
  }

  private static long memoryMb(String tier, String text) {
    String value = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    try {
      if (value.endsWith("t")) {
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1024 * 1024);
      }
      if (value.endsWith("g")) {
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1024);
      }
      if (value.endsWith("m")) {
        return Math.round(Double.parseDouble(value.substring(0, value.length() - 1)));
      }
      return Math.round(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("memory = \"" + text + "\" is not a size such as \"512m\" or \"4g\"");
    }
  }

  /**
   * The tier of that name.
   *
   * @throws SchedulingException listing the defined tiers
   */
  public Tier get(String name) {
    Tier tier = tiers.get(name);
    if (tier == null) {
      throw new SchedulingException("Tier '" + name + "' is not defined in sluice.toml ("
          + (tiers.isEmpty() ? "no tiers are defined: add a [tiers." + name + "] section"
              : "defined: " + String.join(", ", tiers.keySet())) + ")");
    }
    return tier;
  }

  public Set<String> names() {
    return tiers.keySet();
  }
}
