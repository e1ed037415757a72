package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External tasks stand for data made elsewhere; wrapper tasks group others. */
class ExternalAndWrapperTaskTest {

  static Path dir;
  static final Set<String> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    ran.clear();
  }

  /** A file another system drops in. */
  record RawData(String day) implements ExternalTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("raw-" + day + ".csv"));
    }
  }

  record Clean(String day) implements Task {
    public List<Task> requires() {
      return List.of(new RawData(day));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("clean-" + day + ".csv"));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add("clean " + day);
      output().writeString(ctx.<LocalTarget>input().readString().toUpperCase());
    }
  }

  record Made(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add(name);
      if (name.startsWith("broken")) {
        throw new IllegalStateException("broken");
      }
      output().writeString(name);
    }
  }

  record All(List<Task> parts) implements WrapperTask {
    public List<Task> requires() {
      return parts;
    }
  }

  private static RunResult run(Task... roots) {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build().run(roots);
  }

  @Test
  void missingExternalDataIsMissingAndItsDependentsDoNotRun() {
    Clean clean = new Clean("monday");
    Made independent = new Made("independent");

    RunResult result = run(clean, independent);

    assertThat(result.status(new RawData("monday"))).isEqualTo(TaskStatus.MISSING);
    assertThat(result.reasons().get(new RawData("monday").id()))
        .isEqualTo("missing external data: " + dir.resolve("raw-monday.csv"));
    assertThat(result.status(clean)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.reasons().get(clean.id()))
        .isEqualTo("requires RawData(day=monday), which is missing external data");
    assertThat(result.status(independent)).isEqualTo(TaskStatus.DONE);
    assertThat(ran).containsExactly("independent");
    assertThat(result.exitCode()).isEqualTo(ExitCode.MISSING_EXTERNAL);
  }

  @Test
  void presentExternalDataIsReadWithoutRunningAnything() {
    TestFiles.write(dir.resolve("raw-monday.csv"), "a,b");

    RunResult result = run(new Clean("monday"));

    assertThat(result.status(new RawData("monday"))).isEqualTo(TaskStatus.COMPLETE);
    assertThat(result.status(new Clean("monday"))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("clean-monday.csv"))).isEqualTo("A,B");
  }

  @Test
  void externalTaskRefusesToRun() {
    assertThatThrownBy(() -> new RawData("x").run(null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("RawData(day=x) cannot run");
  }

  @Test
  void wrapperIsCompleteWhenEverythingItRequiresIs() {
    All all = new All(List.of(new Made("a"), new Made("b")));
    assertThat(all.complete()).isFalse();

    TestFiles.write(dir.resolve("a"), "a");
    assertThat(all.complete()).as("one of two").isFalse();

    TestFiles.write(dir.resolve("b"), "b");
    assertThat(all.complete()).isTrue();
    assertThat(all.outputs()).isEmpty();
  }

  @Test
  void runningAWrapperRunsWhatItRequires() {
    All all = new All(List.of(new Made("a"), new Made("b")));

    RunResult result = run(all);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(ran).containsExactlyInAnyOrder("a", "b");
    assertThat(result.status(all).satisfied()).isTrue();
    assertThat(all.complete()).isTrue();
  }

  @Test
  void completeWrapperRunsNothing() {
    TestFiles.write(dir.resolve("a"), "a");

    RunResult result = run(new All(List.of(new Made("a"))));

    assertThat(result.verdict()).isEqualTo("Nothing to do: everything was complete already.");
    assertThat(ran).isEmpty();
  }

  @Test
  void wrapperOfAFailedTaskFailsUpstreamButItsOtherPartsRun() {
    All all = new All(List.of(new Made("broken"), new Made("fine")));

    RunResult result = run(all);

    assertThat(result.status(all)).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.status(new Made("fine"))).isEqualTo(TaskStatus.DONE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
  }
}
