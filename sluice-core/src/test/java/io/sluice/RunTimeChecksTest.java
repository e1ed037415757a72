package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine checks when a task is about to run, and tasks that can never be done. */
class RunTimeChecksTest {

  static Path dir;
  static final AtomicInteger notifications = new AtomicInteger();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    notifications.set(0);
  }

  record Input() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("input.csv"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("rows");
    }
  }

  /** Does not read its input, so only the engine can notice that it is gone. */
  record Summary() implements Task {
    public List<Task> requires() {
      return List.of(new Input());
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("summary.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("summary");
    }
  }

  record Part(int index) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("parts/part-" + index + ".csv"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("rows");
    }
  }

  /** Requires enough parts of one directory that they are checked in bulk. */
  record Merge(int parts) implements Task {
    public List<Task> requires() {
      return java.util.stream.IntStream.range(0, parts).<Task>mapToObj(Part::new).toList();
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("merged.csv"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("merged");
    }
  }

  /** Does work but declares no output and no complete(). */
  record Notify(String channel) implements Task {
    public void run(TaskContext ctx) {
      notifications.incrementAndGet();
    }
  }

  /** No outputs and no run(): it only groups others. */
  record Group() implements Task {
    public List<Task> requires() {
      return List.of(new Input());
    }
  }

  private static Sluice.Builder sluice() {
    return Sluice.builder().workers(1).stateDir(dir.resolve(".sluice"));
  }

  @Test
  void taskWhoseCompleteDependencyLostItsOutputSinceTheGraphWasBuiltFailsAsUnfulfilled() throws Exception {
    sluice().build().run(new Input());
    TaskListener deleteInput = new TaskListener() {
      @Override
      public void graphBuilt(int total, int toRun) {
        try {
          Files.delete(new Input().output().path());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    RunResult result = sluice().listener(deleteInput).build().run(new Summary());

    assertThat(result.status(new Summary())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Summary().id()))
        .contains("unfulfilled dependency", "Input()", new Input().output().toString());
    assertThat(new Summary().output().exists()).isFalse();
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }

  @Test
  void taskRequiringThousandsWhoseOneInputWasDeletedSinceTheGraphWasBuiltFailsAsUnfulfilled() throws Exception {
    Merge merge = new Merge(1500);
    for (int i = 0; i < merge.parts(); i++) {
      Files.createDirectories(new Part(i).output().path().getParent());
      Files.writeString(new Part(i).output().path(), "rows");
    }
    TaskListener deletePart = new TaskListener() {
      @Override
      public void graphBuilt(int total, int toRun) {
        try {
          Files.delete(new Part(1234).output().path());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    RunResult result = sluice().listener(deletePart).build().run(merge);

    assertThat(result.status(merge)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(merge.id()))
        .contains("unfulfilled dependency", "Part(index=1234)", new Part(1234).output().toString());
    assertThat(merge.output().exists()).isFalse();
  }

  @Test
  void taskRequiringThousandsOfLongWrittenInputsOneOfWhichWasDeletedSinceTheGraphWasBuiltFailsAsUnfulfilled()
      throws Exception {
    // Written well before the graph's listing, which the run-time check would take again were
    // the directory unchanged since.
    Merge merge = new Merge(1500);
    for (int i = 0; i < merge.parts(); i++) {
      Files.createDirectories(new Part(i).output().path().getParent());
      Files.writeString(new Part(i).output().path(), "rows");
    }
    Thread.sleep(150);  // the file system's clock stamps the directory: it cannot be injected
    TaskListener deletePart = new TaskListener() {
      @Override
      public void graphBuilt(int total, int toRun) {
        try {
          Files.delete(new Part(77).output().path());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    RunResult result = sluice().workers(2).listener(deletePart).build().run(merge);

    assertThat(result.status(merge)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(merge.id())).contains("unfulfilled dependency", "Part(index=77)");
    assertThat(merge.output().exists()).isFalse();
  }

  @Test
  void taskRequiringThousandsWhoseInputsAreAllThereRuns() {
    Merge merge = new Merge(1500);
    sluice().workers(2).build().run(merge);
    merge.output().path().toFile().delete();

    RunResult again = sluice().workers(2).build().run(merge);

    assertThat(again.status(merge)).isEqualTo(TaskStatus.DONE);
    assertThat(again.count(TaskStatus.DONE)).isEqualTo(1);
  }

  @Test
  void taskWithNoOutputsAndNoCompleteRunsEveryTimeWithOneWarningPerFamilyAndRun() {
    RecordingListener first = new RecordingListener();
    RunResult result = sluice().listener(first).build().run(new Notify("mail"), new Notify("chat"));
    RecordingListener second = new RecordingListener();
    sluice().listener(second).build().run(new Notify("mail"), new Notify("chat"));

    assertThat(result.count(TaskStatus.DONE)).isEqualTo(2);
    assertThat(notifications).hasValue(4);
    for (RecordingListener listener : List.of(first, second)) {
      assertThat(listener.events().stream().filter(e -> e.kind() == TaskEvent.Kind.NOTE).map(TaskEvent::message))
          .singleElement().asString()
          .contains("Notify declares no output and no complete()", "runs in every run");
    }
  }

  @Test
  void taskWithNoOutputsAndNoRunGroupsOthersLikeAWrapper() {
    sluice().build().run(new Group());
    RecordingListener listener = new RecordingListener();

    RunResult again = sluice().listener(listener).build().run(new Group());

    assertThat(again.status(new Group())).isEqualTo(TaskStatus.COMPLETE);
    assertThat(listener.events()).noneMatch(e -> e.kind() == TaskEvent.Kind.NOTE);
  }
}
