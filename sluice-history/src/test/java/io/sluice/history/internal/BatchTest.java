package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.internal.LogFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
}
