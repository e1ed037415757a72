package io.sluice.cli;

import io.sluice.Task;
import io.sluice.TaskGraph;
import io.sluice.internal.Printable;
import java.io.PrintStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice status TASK}: every task a run would execute, and why each is out of date. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Lists every task a run of TASK would execute, each with why it is out of date (output missing,"
        + " parameter changed, code changed, input changed, upstream will run), without running anything.")
final class StatusCommand extends TaskCommand implements Callable<Integer> {

  @Option(names = "--all", description = "Also list the tasks that are up to date.")
  boolean all;

  @Option(names = "--json", description = "Print JSON: {\"root\", \"toRun\": [{\"task\", \"reasons\"}], \"upToDate\"}.")
  boolean json;

  StatusCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws Exception {
    TaskGraph graph = graph(all);
    List<Task> toRun = graph.toRun();
    Set<Task> running = Collections.newSetFromMap(new IdentityHashMap<>());
    running.addAll(toRun);
    List<Task> upToDate = all ? graph.tasks().stream().filter(t -> !running.contains(t)).toList() : List.of();
    PrintStream out = System.out;
    if (json) {
      out.println(json(graph, toRun, upToDate));
    } else {
      String root = graph.roots().isEmpty() ? task : graph.id(graph.roots().get(0)).toString();
      out.println(toRun.isEmpty() ? root + " is up to date: a run would do nothing."
          : toRun.size() + (toRun.size() == 1 ? " task" : " tasks") + " would run for " + root + ":");
      for (Task task : toRun) {
        out.println("  " + graph.id(task) + ": " + Printable.line(String.join("; ", graph.why(task))
            + graph.error(task).map(e -> " [error: " + e.lines().findFirst().orElse("") + "]").orElse("")));
      }
      if (all && !upToDate.isEmpty()) {
        out.println(upToDate.size() + " up to date:");
        for (Task task : upToDate) {
          out.println("  " + graph.id(task));
        }
      }
    }
    return graph.tasks().stream().anyMatch(t -> graph.error(t).isPresent()) ? 1 : 0;
  }

  private static String json(TaskGraph graph, List<Task> toRun, List<Task> upToDate) {
    StringBuilder out = new StringBuilder("{\"root\": ");
    out.append(graph.roots().isEmpty() ? "null" : quote(graph.id(graph.roots().get(0)).toString()));
    out.append(", \"toRun\": [");
    for (int i = 0; i < toRun.size(); i++) {
      Task task = toRun.get(i);
      out.append(i == 0 ? "" : ", ").append("{\"task\": ").append(quote(graph.id(task).toString()))
          .append(", \"family\": ").append(quote(graph.id(task).family())).append(", \"reasons\": [");
      List<String> why = graph.why(task);
      for (int j = 0; j < why.size(); j++) {
        out.append(j == 0 ? "" : ", ").append(quote(why.get(j)));
      }
      out.append("]");
      graph.error(task).ifPresent(e -> out.append(", \"error\": ").append(quote(e)));
      out.append("}");
    }
    out.append("], \"upToDate\": [");
    for (int i = 0; i < upToDate.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(quote(graph.id(upToDate.get(i)).toString()));
    }
    return out.append("]}").toString();
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
