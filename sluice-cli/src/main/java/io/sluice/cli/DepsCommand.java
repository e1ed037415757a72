package io.sluice.cli;

import io.sluice.ExternalTask;
import io.sluice.Task;
import io.sluice.TaskGraph;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code sluice deps TASK}: the dependency tree with done / missing marks. */
@Command(name = "deps", mixinStandardHelpOptions = true,
    description = "Prints the tree of what TASK requires, each task marked [done] or [missing] (or [error: ...]"
        + " when its id(), complete() or requires() threw: the exit code is then 1).")
final class DepsCommand extends TaskCommand implements Callable<Integer> {

  DepsCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws Exception {
    TaskGraph graph = graph();
    PrintStream out = System.out;
    // By identity: a task's own hashCode/equals may throw, and the graph holds one instance per task.
    Set<Task> printed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Task root : graph.roots()) {
      print(graph, root, "", "", printed, out);
    }
    long missing = graph.tasks().stream().filter(t -> !graph.complete(t)).count();
    long errors = graph.tasks().stream().filter(t -> graph.error(t).isPresent()).count();
    out.println();
    out.println(graph.tasks().size() + " tasks, " + (graph.tasks().size() - missing) + " done, " + missing + " missing"
        + (errors > 0 ? ", " + errors + " with errors" : ""));
    // A task whose methods throw fails a run: say so here too (exit code 1, as for a run).
    return errors > 0 ? 1 : 0;
  }

  /** One line to print: a task and the prefixes of its line and of its requirements' lines. */
  private record Line(Task task, String firstPrefix, String prefix) {}

  /** Depth-first with a stack of its own: a chain deeper than the thread's stack prints too. */
  private static void print(TaskGraph graph, Task root, String firstPrefix, String prefix, Set<Task> printed,
      PrintStream out) {
    Deque<Line> stack = new ArrayDeque<>();
    stack.push(new Line(root, firstPrefix, prefix));
    while (!stack.isEmpty()) {
      Line line = stack.pop();
      Task task = line.task();
      String mark = graph.error(task).map(e -> "[error: " + e.lines().findFirst().orElse("") + "]")
          .orElse(graph.complete(task) ? "[done]" : task instanceof ExternalTask ? "[missing external data]" : "[missing]");
      List<Task> requires = graph.requires(task);
      boolean repeat = !printed.add(task) && !requires.isEmpty();
      out.println(line.firstPrefix() + graph.id(task) + "  " + mark + (repeat ? "  (requirements shown above)" : ""));
      if (repeat) {
        continue;
      }
      for (int i = requires.size() - 1; i >= 0; i--) {
        boolean last = i == requires.size() - 1;
        stack.push(new Line(requires.get(i), line.prefix() + (last ? "└── " : "├── "),
            line.prefix() + (last ? "    " : "│   ")));
      }
    }
  }
}
