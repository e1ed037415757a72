package io.sluice.cli;

import io.sluice.ParameterValues;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskInfo;
import io.sluice.Tasks;
import io.sluice.internal.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parameters on the command line after the task name: {@code --name value} (or
 * {@code --name=value}) for the root task, {@code --Family-name value} for any other task.
 */
final class TaskArguments {

  private TaskArguments() {}

  /**
   * Creates the root task from the command-line and sluice.toml values, and returns both: the
   * run is given the same values, for the {@link Tasks#create} calls of its tasks.
   */
  static Session.Root rootTask(Class<? extends Task> rootType, List<String> tokens, TaskCatalog catalog,
      ClassLoader loader, ProjectConfig config) {
    String rootFamily = TaskCatalog.family(rootType);
    Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!token.startsWith("--") || token.length() == 2) {
        throw new CliException("Unexpected argument '" + token + "' after task " + rootFamily
            + ": give parameters as --name value, or --Task-name value for another task");
      }
      String body = token.substring(2);
      String value = null;
      int equals = body.indexOf('=');
      if (equals >= 0) {
        value = body.substring(equals + 1);
        body = body.substring(0, equals);
      }
      String family = rootFamily;
      String name = body;
      int dash = body.indexOf('-');
      if (dash > 0 && Character.isUpperCase(body.charAt(0))) {
        family = body.substring(0, dash);
        name = body.substring(dash + 1);
      }
      Class<? extends Task> type = family.equals(rootFamily) ? rootType : familyType(family, token, catalog, loader);
      TaskInfo.ParamInfo param = param(type, name, token);
      if (value == null) {
        if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
          value = tokens.get(++i);
        } else if (param.typeName().equalsIgnoreCase("boolean")) {
          value = "true";
        } else {
          throw new CliException("Option " + token + " needs a value (" + param.typeName() + ")");
        }
      }
      values.computeIfAbsent(family, k -> new LinkedHashMap<>()).put(name, value);
    }
    checkConfigSections(config, catalog, loader);
    ParameterValues parameterValues = new ParameterValues(values, config.taskSections());
    try {
      return new Session.Root(Tasks.create(rootType, Map.of(), parameterValues), parameterValues);
    } catch (SchedulingException e) {
      throw new CliException(e.getMessage());
    }
  }

  private static Class<? extends Task> familyType(String family, String token, TaskCatalog catalog,
      ClassLoader loader) {
    if (!catalog.hasFamily(family)) {
      Optional<String> closest = Names.closest(family, catalog.families());
      throw new CliException("Option " + token + " names task '" + family + "', which is unknown."
          + closest.map(c -> " Did you mean '" + c + "'?").orElse(""));
    }
    return catalog.find(family, loader);
  }

  private static TaskInfo.ParamInfo param(Class<? extends Task> type, String name, String token) {
    for (TaskInfo.ParamInfo param : Tasks.describe(type).params()) {
      if (param.name().equals(name)) {
        return param;
      }
    }
    List<String> options = List.of("workers", "force", "dry-run", "force-upstream", "lock-timeout", "fsync",
        "config", "classpath", "module", "backend", "snapshot-dirty", "no-progress", "report");
    Optional<String> option = Names.closest(name, options);
    String message = unknownParameter(type, name);
    if (option.isPresent() && Names.closest(name, parameterNames(type)).isEmpty()) {
      message += " (Or did you mean the option --" + option.get() + "?)";
    }
    throw new CliException(message);
  }

  /** The error of {@link Tasks#create} for a parameter the type does not have. */
  private static String unknownParameter(Class<? extends Task> type, String name) {
    try {
      Tasks.create(type, Map.of(name, ""), ParameterValues.none());
      throw new IllegalStateException(type.getName() + " accepted unknown parameter " + name);
    } catch (SchedulingException e) {
      return e.getMessage();
    }
  }

  private static List<String> parameterNames(Class<? extends Task> type) {
    return Tasks.describe(type).params().stream().map(TaskInfo.ParamInfo::name).toList();
  }

  /** A [Family] section of sluice.toml for a known task may only name its parameters. */
  private static void checkConfigSections(ProjectConfig config, TaskCatalog catalog, ClassLoader loader) {
    config.taskSections().forEach((family, section) -> {
      if (!catalog.hasFamily(family)) {
        return;
      }
      Class<? extends Task> type = catalog.find(family, loader);
      List<String> names = parameterNames(type);
      for (String key : section.keySet()) {
        if (!names.contains(key)) {
          throw new CliException(config.file() + ": [" + family + "] sets '" + key + "', which is not a parameter of "
              + family + "." + Names.closest(key, names).map(c -> " Did you mean '" + c + "'?").orElse("")
              + (names.isEmpty() ? "" : " Its parameters: " + String.join(", ", names) + "."));
        }
      }
    });
  }
}
