package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.internal.LogFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "logs", ".sluice/logs", "/var/tmp/state/logs/"})
  void aStartedTasksLogFileIsItsNameInTheLogDirectory(String dir) {
    Path logDir = Path.of(dir);
    Task task = new BatchStatementsTest.Unit("t1");
    TaskId id = TaskId.of(task);
    Batch batch = new Batch(Batch.newTable(), logDir);
    batch.add(new Entry.Event(new TaskEvent(TaskEvent.Kind.STARTED, id, task, 1, Instant.ofEpochMilli(1_000),
        Duration.ZERO, "", null)));

    assertThat(batch.changed).singleElement()
        .satisfies(row -> assertThat(row.logFile).isEqualTo(logDir.resolve(LogFiles.name(id)).toString()));
  }

  @Test
  void whyATaskRunsIsNotPutIntoWordsForItsRowButAFailuresMessageIsKept() {
    Task task = new BatchStatementsTest.Unit("t1");
    TaskId id = TaskId.of(task);
    AtomicInteger asked = new AtomicInteger();
    Batch batch = new Batch(Batch.newTable(), Path.of("logs"));

    batch.add(new Entry.Event(TaskEvent.withMessageWhenAsked(TaskEvent.Kind.STARTED, id, task, 1,
        Instant.ofEpochMilli(1_000), Duration.ZERO, () -> "output x missing #" + asked.incrementAndGet(), null)));
    batch.add(new Entry.Event(TaskEvent.withMessageWhenAsked(TaskEvent.Kind.FAILED, id, task, 1,
        Instant.ofEpochMilli(2_000), Duration.ofSeconds(1), () -> "IOException: disk full", null)));

    assertThat(asked).hasValue(0);
    assertThat(batch.changed).singleElement().satisfies(row -> {
      assertThat(row.status).isEqualTo("FAILED");
      assertThat(row.error).isEqualTo("IOException: disk full");
    });
  }
}
