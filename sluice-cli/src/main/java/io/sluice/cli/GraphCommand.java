package io.sluice.cli;

import io.sluice.Task;
import io.sluice.TaskGraph;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice graph TASK --format dot|mermaid}: the graph for Graphviz or Mermaid. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Prints TASK's graph as Graphviz dot or Mermaid; complete tasks green, missing ones grey.")
final class GraphCommand extends TaskCommand implements Callable<Integer> {

  enum Format { dot, mermaid }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
      description = "dot or mermaid (default: ${DEFAULT-VALUE}).")
  Format format;

  GraphCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws Exception {
    TaskGraph graph = graph();
    Map<Task, String> names = new HashMap<>();
    for (Task task : graph.tasks()) {
      names.put(task, "t" + names.size());
    }
    PrintStream out = System.out;
    if (format == Format.dot) {
      out.println("digraph sluice {");
      out.println("  rankdir=BT;");
      out.println("  node [shape=box, style=filled, fontname=\"Helvetica\"];");
      for (Task task : graph.tasks()) {
        out.println("  " + names.get(task) + " [label=\"" + task.id().toString().replace("\"", "\\\"")
            + "\", fillcolor=\"" + (graph.complete(task) ? "palegreen" : "lightgrey") + "\"];");
      }
      for (Task task : graph.tasks()) {
        for (Task required : graph.requires(task)) {
          out.println("  " + names.get(required) + " -> " + names.get(task) + ";");
        }
      }
      out.println("}");
    } else {
      out.println("flowchart BT");
      for (Task task : graph.tasks()) {
        out.println("  " + names.get(task) + "[\"" + task.id().toString().replace("\"", "#quot;") + "\"]:::"
            + (graph.complete(task) ? "done" : "missing"));
      }
      for (Task task : graph.tasks()) {
        for (Task required : graph.requires(task)) {
          out.println("  " + names.get(required) + " --> " + names.get(task));
        }
      }
      out.println("  classDef done fill:#9f9;");
      out.println("  classDef missing fill:#ddd;");
    }
    return 0;
  }
}
