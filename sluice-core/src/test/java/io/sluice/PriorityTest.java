package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Among ready tasks, the highest priority starts first. */
class PriorityTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** A task whose priority is its parameter, optionally requiring another job. */
  record Job(String name, int priority, List<Job> deps) implements Task {
    Job(String name, int priority, Job... deps) {
      this(name, priority, List.of(deps));
    }

    public List<Job> requires() {
      return deps;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(name);
    }
  }

  private static List<String> startOrder(Task... roots) {
    RecordingListener listener = new RecordingListener();
    Sluice.builder().workers(1).listener(listener).stateDir(dir.resolve(".sluice")).build().run(roots);
    return listener.startOrder().stream().map(id -> (String) id.params().get("name")).toList();
  }

  @Test
  void withOneWorkerHigherPriorityReadyTasksStartFirst() {
    // The root ranks below all it waits for, so it lends none of them its priority.
    List<String> order = startOrder(new Job("root", -10,
        new Job("low", 1), new Job("top", 100), new Job("negative", -5), new Job("mid", 50), new Job("zero", 0)));

    assertThat(order).containsExactly("top", "mid", "low", "zero", "negative", "root");
  }

  @Test
  void dependencyRunsWithThePriorityOfTheTaskWaitingForIt() {
    // "urgent" outranks everything but cannot start before "slow-input", which ranks last on
    // its own: waited for by "urgent", it goes first.
    List<String> order = startOrder(
        new Job("urgent", 100, new Job("slow-input", -10)), new Job("normal", 0));

    assertThat(order).containsExactly("slow-input", "urgent", "normal");
  }

  @Test
  void priorityPropagatesThroughEveryLevelToTheHighestWaitingTask() {
    Job leaf = new Job("leaf", 0);
    Job middle = new Job("middle", 0, leaf);
    List<String> order = startOrder(
        new Job("low-root", 1, middle), new Job("high-root", 80, middle), new Job("other", 50));

    assertThat(order).containsExactly("leaf", "middle", "high-root", "other", "low-root");
  }

  @Test
  void equalPrioritiesStartInTheOrderTasksWereMet() {
    List<String> names = Stream.of("a", "b", "c", "d").toList();
    List<String> order = startOrder(names.stream().map(n -> (Task) new Job(n, 0)).toArray(Task[]::new));

    assertThat(order).containsExactlyElementsOf(names);
  }
}
