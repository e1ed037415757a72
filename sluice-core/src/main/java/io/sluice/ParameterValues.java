package io.sluice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parameter values from outside the code, by task family then parameter name: those given on
 * the command line win over those of sluice.toml. Values are strings as typed, or the typed
 * values of the configuration file (numbers, booleans, lists, dates).
 *
 * @param commandLine values from {@code --name v} and {@code --Task-name v}
 * @param config values from the {@code [Task]} sections of sluice.toml
 */
public record ParameterValues(
    Map<String, Map<String, Object>> commandLine, Map<String, Map<String, Object>> config) {

  private static final ParameterValues NONE = new ParameterValues(Map.of(), Map.of());

  public ParameterValues {
    commandLine = Collections.unmodifiableMap(new LinkedHashMap<>(commandLine));
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  public static ParameterValues none() {
    return NONE;
  }

  /** The value for a parameter, with where it came from, if any source has one. */
  public Optional<Sourced> lookup(String family, String name) {
    Object value = commandLine.getOrDefault(family, Map.of()).get(name);
    if (value != null) {
      return Optional.of(new Sourced(value, "the command line"));
    }
    value = config.getOrDefault(family, Map.of()).get(name);
    if (value != null) {
      return Optional.of(new Sourced(value, "[" + family + "] in sluice.toml"));
    }
    return Optional.empty();
  }

  /**
   * A value and its source, for error messages.
   *
   * @param value the raw value
   * @param source where it was given
   */
  public record Sourced(Object value, String source) {}
}
