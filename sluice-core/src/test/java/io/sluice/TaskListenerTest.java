package io.sluice;

import static io.sluice.TaskEvent.Kind.COMPLETE;
import static io.sluice.TaskEvent.Kind.FAILED;
import static io.sluice.TaskEvent.Kind.MISSING;
import static io.sluice.TaskEvent.Kind.RETRYING;
import static io.sluice.TaskEvent.Kind.SKIPPED;
import static io.sluice.TaskEvent.Kind.STARTED;
import static io.sluice.TaskEvent.Kind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners hear what happens to every task, as it happens. */
class TaskListenerTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  record Fine() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("fine"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("fine");
    }
  }

  record Broken() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("broken"));
    }

    public RetryPolicy retryPolicy() {
      return RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).jitter(0)
          .build();
    }

    public void run(TaskContext ctx) {
      throw new IllegalStateException("attempt " + ctx.attempt() + " broke");
    }
  }

  record Absent() implements ExternalTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("absent"));
    }
  }

  record After(Task dep) implements Task {
    public List<Task> requires() {
      return List.of(dep);
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("after-" + dep.id().family()));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString("after");
    }
  }

  private static Sluice sluice(TaskListener... listeners) {
    Sluice.Builder builder = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"))
        .sleeper(new RecordingSleeper()).random(new Random(1));
    for (TaskListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  @Test
  void successfulTaskStartsThenSucceeds() {
    RecordingListener listener = new RecordingListener();

    sluice(listener).run(new Fine());

    assertThat(listener.kinds(new Fine())).containsExactly(STARTED, SUCCEEDED);
    TaskEvent succeeded = listener.of(new Fine()).get(1);
    assertThat(succeeded.attempt()).isEqualTo(1);
    assertThat(succeeded.task()).isEqualTo(new Fine());
    assertThat(succeeded.message()).isEmpty();
    assertThat(succeeded.error()).isNull();
  }

  @Test
  void theFirstStartSaysWhyTheTaskRunsWhenAskedEvenAfterTheRunAndARetrysStartSaysNothing() {
    RecordingListener listener = new RecordingListener();
    Fine fine = new Fine();

    sluice(listener).run(List.of(new After(fine), new Broken()));

    // Asked only now, after the run: the words come from the task and why it had to run.
    assertThat(listener.of(fine).get(0).message()).isEqualTo("output " + dir.resolve("fine") + " missing");
    assertThat(listener.of(new After(fine)).get(0).message())
        .contains("output " + dir.resolve("after-Fine") + " missing").contains("Fine");
    List<TaskEvent> broken = listener.of(new Broken());
    assertThat(broken.get(0).kind()).isEqualTo(STARTED);
    assertThat(broken.get(2).kind()).isEqualTo(STARTED);
    assertThat(broken.get(2).attempt()).isEqualTo(2);
    assertThat(broken.get(2).message()).isEmpty();
    assertThat(broken.get(0)).isEqualTo(broken.get(0)).hasSameHashCodeAs(broken.get(0)).isNotEqualTo(broken.get(2));
  }

  @Test
  void failingTaskRetriesThenFailsAndItsDependentIsSkipped() {
    RecordingListener listener = new RecordingListener();

    sluice(listener).run(new After(new Broken()));

    assertThat(listener.kinds(new Broken())).containsExactly(STARTED, RETRYING, STARTED, FAILED);
    TaskEvent failed = listener.of(new Broken()).get(3);
    assertThat(failed.attempt()).isEqualTo(2);
    assertThat(failed.message()).isEqualTo("IllegalStateException: attempt 2 broke (after 2 attempts)");
    assertThat(failed.error()).hasMessage("attempt 2 broke");
    assertThat(listener.of(new Broken()).get(1).message())
        .isEqualTo("IllegalStateException: attempt 1 broke; attempt 2 of 2 in 1000 ms");
    assertThat(listener.kinds(new After(new Broken()))).containsExactly(SKIPPED);
    assertThat(listener.of(new After(new Broken())).get(0).message()).isEqualTo("requires Broken(), which failed");
  }

  @Test
  void missingExternalDataIsAnnouncedAndItsDependentSkipped() {
    RecordingListener listener = new RecordingListener();

    sluice(listener).run(new After(new Absent()));

    assertThat(listener.kinds(new Absent())).containsExactly(MISSING);
    assertThat(listener.kinds(new After(new Absent()))).containsExactly(SKIPPED);
  }

  @Test
  void completeRootIsAnnouncedComplete() {
    sluice().run(new Fine());
    RecordingListener listener = new RecordingListener();

    sluice(listener).run(new Fine());

    assertThat(listener.kinds(new Fine())).containsExactly(COMPLETE);
  }

  @Test
  void listenerHearsTheGraphSizeAndTheResult() {
    TestFiles.write(dir.resolve("fine"), "made earlier");
    RecordingListener listener = new RecordingListener();

    RunResult result = sluice(listener).run(new Fine(), new After(new Broken()));

    assertThat(listener.total()).isEqualTo(3);
    assertThat(listener.toRun()).isEqualTo(2);
    assertThat(listener.finished()).isSameAs(result);
  }

  @Test
  void failingListenerDoesNotStopTheRun() {
    RecordingListener listener = new RecordingListener();
    TaskListener throwing = new TaskListener() {
      @Override
      public void onEvent(TaskEvent event) {
        throw new IllegalStateException("listener bug");
      }
    };

    RunResult result = sluice(throwing, listener).run(new Fine());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(listener.kinds(new Fine())).containsExactly(STARTED, SUCCEEDED);
  }
}
