package io.sluice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's settings by section, as read from sluice.toml (and overridden on the command
 * line), for the parts of a pipeline that need them, such as remote runs and their backends.
 *
 * @param sections values by section name, then key
 */
public record Settings(Map<String, Map<String, Object>> sections) {

  private static final Settings EMPTY = new Settings(Map.of());

  public Settings {
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    sections.forEach((name, values) -> copy.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
    sections = Collections.unmodifiableMap(copy);
  }

  public static Settings empty() {
    return EMPTY;
  }

  /** One section; empty when absent. */
  public Map<String, Object> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }

  /** A value, or null. */
  public Object get(String section, String key) {
    return section(section).get(key);
  }

  /** A copy with one value set (for command-line overrides). */
  public Settings with(String section, String key, Object value) {
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>(sections);
    Map<String, Object> values = new LinkedHashMap<>(section(section));
    values.put(key, value);
    copy.put(section, values);
    return new Settings(copy);
  }
}
