package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever any method of a task (or a listener) throws, wherever the task sits in the graph,
 * building the graph ends, and a run ends with a summary and the documented exit code instead of
 * hanging or letting the throwable escape.
 */
class GraphBuildingNeverHangsTest {

  /** Far more than any of these runs needs; reaching it means the run hung. */
  private static final Duration HUNG = Duration.ofSeconds(20);

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** The method that throws. */
  enum Method {
    ID, HASH_CODE, EQUALS, REQUIRES, OUTPUT, OUTPUTS, COMPLETE, RESOURCES, PRIORITY, TIMEOUT, RETRY_POLICY,
    CHECK_BEFORE_RUN, LISTENER
  }

  /** What it throws. */
  enum Thrown { RUNTIME_EXCEPTION, ASSERTION_ERROR, STACK_OVERFLOW, EXCEPTION_WHOSE_MESSAGE_THROWS }

  /** An exception that even describing fails on. */
  static final class Unprintable extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage is broken too");
    }
  }

  /** Where the broken task is met. */
  enum Place { ROOT, DEPENDENCY, DYNAMIC_DEPENDENCY }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Method method : Method.values()) {
      for (Thrown thrown : Thrown.values()) {
        for (Place place : Place.values()) {
          cases.add(Arguments.of(method, thrown, place));
        }
      }
    }
    return cases.stream();
  }

  static void raise(Method method, Thrown thrown) {
    String message = method.name().toLowerCase() + " is broken";
    switch (thrown) {
      case RUNTIME_EXCEPTION -> throw new IllegalStateException(message);
      case ASSERTION_ERROR -> throw new AssertionError(message);
      case STACK_OVERFLOW -> recurse(0);
      case EXCEPTION_WHOSE_MESSAGE_THROWS -> throw new Unprintable();
    }
  }

  /** A real StackOverflowError, thrown deep down a stack, as a runaway recursion in a task would. */
  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  /**
   * A parameter whose hashCode or equals throws, when asked to. All parts have one hash, so two
   * tasks that differ only by their part have ids of one hash too, and equals is called.
   */
  static final class Part {
    final Method method;
    final Thrown thrown;
    final int copy;

    Part(Method method, Thrown thrown, int copy) {
      this.method = method;
      this.thrown = thrown;
      this.copy = copy;
    }

    @Override
    public int hashCode() {
      if (method == Method.HASH_CODE) {
        raise(method, thrown);
      }
      return 7;
    }

    @Override
    public boolean equals(Object other) {
      if (method == Method.EQUALS) {
        raise(method, thrown);
      }
      return other instanceof Part part && part.method == method && part.thrown == thrown && part.copy == copy;
    }

    @Override
    public String toString() {
      return "part" + copy;
    }
  }

  /** A task whose {@code method} throws. */
  record Broken(Method method, Thrown thrown, Part part) implements Task {
    Broken(Method method, Thrown thrown, int copy) {
      this(method, thrown, new Part(method, thrown, copy));
    }

    private void maybe(Method which) {
      if (method == which) {
        raise(method, thrown);
      }
    }

    @Override
    public TaskId id() {
      maybe(Method.ID);
      return Task.super.id();
    }

    @Override
    public List<? extends Task> requires() {
      maybe(Method.REQUIRES);
      return List.of();
    }

    @Override
    public LocalTarget output() {
      maybe(Method.OUTPUT);
      return LocalTarget.of(dir.resolve("broken-" + part.copy));
    }

    @Override
    public List<? extends Target> outputs() {
      maybe(Method.OUTPUTS);
      return Task.super.outputs();
    }

    @Override
    public boolean complete() {
      maybe(Method.COMPLETE);
      return Task.super.complete();
    }

    @Override
    public Resources resources() {
      maybe(Method.RESOURCES);
      return Resources.none();
    }

    @Override
    public int priority() {
      maybe(Method.PRIORITY);
      return 0;
    }

    @Override
    public Optional<Duration> timeout() {
      maybe(Method.TIMEOUT);
      return Optional.empty();
    }

    @Override
    public RetryPolicy retryPolicy() {
      maybe(Method.RETRY_POLICY);
      return Task.super.retryPolicy();
    }

    @Override
    public void checkBeforeRun(RunScope run) {
      maybe(Method.CHECK_BEFORE_RUN);
    }

    @Override
    public void run(TaskContext ctx) throws Exception {
      if (method == Method.RETRY_POLICY) {
        throw new java.io.IOException("run failed, so that the retry policy is asked");
      }
      output().writeString("broken " + part.copy);
    }
  }

  record Fine(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(name);
    }
  }

  /** Requires two broken tasks (two, so that equal hashes make equals be called) and a fine one. */
  record Parent(Method method, Thrown thrown) implements Task {
    public List<Task> requires() {
      return List.of(new Broken(method, thrown, 1), new Broken(method, thrown, 2), new Fine("sibling"));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("parent"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("parent");
    }
  }

  /**
   * Requires the broken tasks, after a fine one, while it runs; then, whatever that gave, one
   * more task, which must not wait for what the first call left behind.
   */
  record DynamicParent(Method method, Thrown thrown) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("dynamic-parent"));
    }

    public void run(TaskContext ctx) throws Exception {
      try {
        ctx.require(List.of(new Fine("dynamic-sibling"), new Broken(method, thrown, 1), new Broken(method, thrown, 2)));
      } finally {
        ctx.require(new Fine("dynamic-later"));
      }
      output().writeString("dynamic parent");
    }
  }

  /** A listener that throws on every call when the listener is the broken part. */
  static TaskListener listener(Method method, Thrown thrown) {
    return new TaskListener() {
      @Override
      public void graphBuilt(int total, int toRun) {
        maybe();
      }

      @Override
      public void onEvent(TaskEvent event) {
        maybe();
      }

      @Override
      public void runFinished(RunResult result) {
        maybe();
      }

      private void maybe() {
        if (method == Method.LISTENER) {
          raise(method, thrown);
        }
      }
    };
  }

  static List<Task> roots(Method method, Thrown thrown, Place place) {
    return switch (place) {
      case ROOT -> List.of(new Broken(method, thrown, 1), new Broken(method, thrown, 2), new Fine("independent"));
      case DEPENDENCY -> List.of(new Parent(method, thrown), new Fine("independent"));
      case DYNAMIC_DEPENDENCY -> List.of(new DynamicParent(method, thrown), new Fine("independent"));
    };
  }

  @ParameterizedTest(name = "{0} throws {1} in a {2}")
  @MethodSource("cases")
  void runEndsWithASummaryAndExitCodeWhateverATaskMethodThrows(Method method, Thrown thrown, Place place) {
    Sluice sluice = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"))
        .listener(listener(method, thrown)).build();
    List<Task> roots = roots(method, thrown, place);

    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice.run(roots), "the run hung");

    assertThat(result.summary()).isNotBlank();
    assertThat(result.status(new Fine("independent"))).isEqualTo(TaskStatus.DONE);
    // checkBeforeRun is asked of the tasks known when the run starts only, not of dynamic ones.
    if (method == Method.LISTENER || method == Method.CHECK_BEFORE_RUN && place == Place.DYNAMIC_DEPENDENCY) {
      assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    } else {
      assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.TASK_FAILED);
      assertThat(result.summary()).contains(switch (thrown) {
        case STACK_OVERFLOW -> "StackOverflowError";
        case EXCEPTION_WHOSE_MESSAGE_THROWS -> "Unprintable";
        default -> method.name().toLowerCase() + " is broken";
      });
    }
  }

  @ParameterizedTest(name = "{0} throws {1} in a {2}")
  @MethodSource("cases")
  void buildingTheGraphEndsWhateverATaskMethodThrows(Method method, Thrown thrown, Place place) {
    Sluice sluice = Sluice.builder().stateDir(dir.resolve(".sluice")).listener(listener(method, thrown)).build();
    List<Task> roots = roots(method, thrown, place);

    for (boolean expandComplete : new boolean[] {false, true}) {
      TaskGraph graph = assertTimeoutPreemptively(HUNG, () -> sluice.graph(roots, expandComplete),
          "building the graph hung");

      assertThat(graph.tasks()).contains(new Fine("independent"));
    }
  }

  /** Declares no output while the graph is built, then its outputs() throws an Error. */
  record OutputsThrowLater(java.util.concurrent.atomic.AtomicInteger calls) implements Task {
    @Override
    public List<? extends Target> outputs() {
      // Asked twice while the graph is built (complete(), then whether it can ever be complete).
      if (calls.incrementAndGet() > 2) {
        throw new AssertionError("outputs is broken");
      }
      return List.of();
    }

    @Override
    public void run(TaskContext ctx) {}
  }

  @org.junit.jupiter.api.Test
  void runEndsWhenOutputsThrowsAnErrorAfterTheGraphWasBuilt() {
    Sluice sluice = Sluice.builder().stateDir(dir.resolve(".sluice")).build();
    Task task = new OutputsThrowLater(new java.util.concurrent.atomic.AtomicInteger());

    RunResult result = assertTimeoutPreemptively(HUNG, () -> sluice.run(List.of(task, new Fine("independent"))),
        "the run hung");

    assertThat(result.status(new Fine("independent"))).isEqualTo(TaskStatus.DONE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(result.summary()).contains("outputs is broken");
  }
}
