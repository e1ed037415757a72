package io.sluice.cli;

import io.sluice.Task;
import io.sluice.TaskGraph;
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice graph TASK --format dot|mermaid}: the graph for Graphviz or Mermaid. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Prints TASK's graph as Graphviz dot or Mermaid; complete tasks green, missing ones grey, red those"
        + " whose id(), complete() or requires() threw (the exit code is then 1).")
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
    // By identity: a task's own hashCode/equals may throw, and the graph holds one instance per task.
    Map<Task, String> names = new IdentityHashMap<>();
    for (Task task : graph.tasks()) {
      names.put(task, "t" + names.size());
    }
    PrintStream out = System.out;
    if (format == Format.dot) {
      out.println("digraph sluice {");
      out.println("  rankdir=BT;");
      out.println("  node [shape=box, style=filled, fontname=\"Helvetica\"];");
      for (Task task : graph.tasks()) {
        out.println("  " + names.get(task) + " [label=\"" + graph.id(task).toString().replace("\"", "\\\"")
            + "\", fillcolor=\"" + (graph.error(task).isPresent() ? "salmon" : graph.complete(task) ? "palegreen"
            : "lightgrey") + "\"];");
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
        out.println("  " + names.get(task) + "[\"" + graph.id(task).toString().replace("\"", "#quot;") + "\"]:::"
            + (graph.error(task).isPresent() ? "error" : graph.complete(task) ? "done" : "missing"));
      }
      for (Task task : graph.tasks()) {
        for (Task required : graph.requires(task)) {
          out.println("  " + names.get(required) + " --> " + names.get(task));
        }
      }
      out.println("  classDef done fill:#9f9;");
      out.println("  classDef missing fill:#ddd;");
      out.println("  classDef error fill:#f99;");
    }
    return graph.tasks().stream().anyMatch(t -> graph.error(t).isPresent()) ? 1 : 0;
  }
}
