package io.sluice.examples.ensemble;

import io.sluice.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sluice run} command line that makes a task, with the same parameters, in another
 * process: {@code sluice run FitForest --trees 300 ... --ExtractFeatures-seed 42}. Every
 * significant parameter is passed, defaults included, so the remote side does not depend on
 * what its sluice.toml or command line would have chosen.
 */
final class SluiceCommand {

  private SluiceCommand() {}

  /** Runs {@code task}, with the parameters of the tasks it requires from {@code upstream} too. */
  static List<String> run(Task task, Task... upstream) {
    List<String> command = new ArrayList<>(List.of("sluice", "run", task.id().family()));
    for (Map.Entry<String, Object> param : task.id().params().entrySet()) {
      command.addAll(List.of("--" + param.getKey(), value(param.getValue())));
    }
    for (Task other : upstream) {
      for (Map.Entry<String, Object> param : other.id().params().entrySet()) {
        command.addAll(List.of("--" + other.id().family() + "-" + param.getKey(), value(param.getValue())));
      }
    }
    return command;
  }

  private static String value(Object value) {
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
