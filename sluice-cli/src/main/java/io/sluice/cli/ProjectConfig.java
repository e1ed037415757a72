package io.sluice.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.sluice.internal.Names;
import io.sluice.internal.ParamConverter;
import io.sluice.internal.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's {@code sluice.toml}: lower-case sections are Sluice settings ({@code [core]},
 * {@code [resources]}, {@code [tasks]}), capitalised ones are parameter values of a task family.
 *
 * <pre>
 * [core]
 * workers = 2
 * fsync = false
 * timeout_grace = "10s"
 * state_dir = ".sluice"
 *
 * [resources]
 * gpu = 1
 *
 * [tasks]
 * packages = ["io.sluice.examples"]
 *
 * [FitModel]
 * epochs = 20
 * </pre>
 */
record ProjectConfig(Path file, Map<String, Map<String, Object>> sections) {

  static final String FILE_NAME = "sluice.toml";

  ProjectConfig {
    sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  static ProjectConfig empty() {
    return new ProjectConfig(null, Map.of());
  }

  /** Reads the given file, or {@code sluice.toml} in the working directory when there is one. */
  static ProjectConfig load(Path explicit) {
    Path file = explicit != null ? explicit : Path.of(FILE_NAME);
    if (!Files.exists(file)) {
      if (explicit != null) {
        throw new CliException("Configuration file " + explicit + " does not exist");
      }
      return empty();
    }
    Map<String, Object> raw;
    try {
      raw = new TomlMapper().readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JacksonException e) {
      var at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new CliException(file + " is not valid TOML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CliException("Cannot read " + file + ": " + e.getMessage());
    }
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : raw.entrySet()) {
      if (!(entry.getValue() instanceof Map<?, ?> table)) {
        throw new CliException(file + ": '" + entry.getKey() + "' must be a [section], found a plain value."
            + " Put settings under [core], resources under [resources], task parameters under [TaskName].");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      table.forEach((k, v) -> values.put(String.valueOf(k), v));
      sections.put(entry.getKey(), values);
    }
    ProjectConfig config = new ProjectConfig(file, sections);
    config.checkKeys();
    return config;
  }

  /**
   * The keys of the sections the command line and the core read, each with the settings it
   * takes: a key of none of them is a mistake (a typo would otherwise leave the default in force
   * without a word). The sections of other modules check their own keys where they are read.
   */
  private static final Map<String, List<String>> KEYS = Map.of(
      "core", List.of("workers", "fsync", "lock_timeout", "timeout_grace", "state_dir", "up_to_date"),
      "tasks", List.of("packages"),
      "history", List.of("enabled", "url", "keep_days", "lease_expiry", "lease_heartbeat"));

  /** The lower-case sections the parts of Sluice read; a backend of another module may read one of its own. */
  private static final List<String> SECTIONS = List.of("core", "tasks", "resources", "history", "remote", "local",
      "tiers", "retention", "slurm", "schedules", "notify");

  private void checkKeys() {
    for (String section : sections.keySet()) {
      if (!section.isEmpty() && !Character.isUpperCase(section.charAt(0)) && !SECTIONS.contains(section)) {
        // Another module's own section, or a typo: only a name close to one of ours is taken for a typo.
        Names.closest(section, SECTIONS).ifPresent(known -> {
          throw new CliException(where() + ": no part of Sluice reads a section [" + Printable.line(section)
              + "]. Did you mean [" + known + "]?");
        });
      }
    }
    KEYS.forEach((section, keys) -> {
      for (String key : section(section).keySet()) {
        if (!keys.contains(key)) {
          String suggestion = Names.closest(key, keys).map(name -> " Did you mean '" + name + "'?").orElse("");
          throw new CliException(where() + ": [" + section + "] has an unknown key '" + Printable.line(key) + "'."
              + suggestion + " The keys of [" + section + "] are " + String.join(", ", keys) + ".");
        }
      }
    });
  }

  Map<String, Object> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }

  /** Every section, for the parts of a pipeline that read settings. */
  io.sluice.Settings settings() {
    return new io.sluice.Settings(sections);
  }

  /** Task parameter sections: the capitalised ones. */
  Map<String, Map<String, Object>> taskSections() {
    Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    sections.forEach((name, values) -> {
      if (!name.isEmpty() && Character.isUpperCase(name.charAt(0))) {
        tasks.put(name, values);
      }
    });
    return tasks;
  }

  /** {@code [resources]}: non-negative whole numbers. */
  Map<String, Integer> resources() {
    Map<String, Integer> limits = new LinkedHashMap<>();
    section("resources").forEach((name, value) -> {
      if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 0) {
        throw new CliException(where() + ": [resources] " + name + " = " + value
            + " is not a whole number of 0 or more");
      }
      limits.put(name, n.intValue());
    });
    return limits;
  }

  Integer intSetting(String section, String key) {
    Object value = section(section).get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value + " is not a whole number");
    }
    return n.intValue();
  }

  Boolean boolSetting(String section, String key) {
    Object value = section(section).get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value + " is not true or false");
    }
    return b;
  }

  Duration durationSetting(String section, String key) {
    Object value = section(section).get(key);
    if (value == null) {
      return null;
    }
    Duration duration;
    try {
      duration = ParamConverter.parseDuration(String.valueOf(value));
    } catch (RuntimeException e) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value
          + " is not a duration such as \"90s\", \"5m\", \"2h\" or \"PT1H\"");
    }
    if (duration.isNegative()) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value
          + " is negative; give 0 or more, such as \"90s\", \"5m\", \"2h\" or \"PT1H\"");
    }
    return duration;
  }

  /** A path, as written: a relative one is taken from the working directory, like the default {@code .sluice}. */
  Path pathSetting(String section, String key) {
    Object value = section(section).get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value
          + " is not a path; write it as a string, such as \".sluice\" or \"/var/lib/sluice\"");
    }
    try {
      return Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      throw new CliException(where() + ": [" + section + "] " + key + " = " + value + " is not a valid path: "
          + e.getReason());
    }
  }

  List<String> listSetting(String section, String key) {
    Object value = section(section).get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  String where() {
    return file == null ? FILE_NAME : file.toString();
  }
}
