package io.sluice;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event of a run, in the order the engine emitted them. */
final class RecordingListener implements TaskListener {

  private final List<TaskEvent> events = new ArrayList<>();
  private int total = -1;
  private int toRun = -1;
  private RunResult finished;

  @Override
  public synchronized void graphBuilt(int total, int toRun) {
    this.total = total;
    this.toRun = toRun;
  }

  @Override
  public synchronized void onEvent(TaskEvent event) {
    events.add(event);
  }

  @Override
  public synchronized void runFinished(RunResult result) {
    finished = result;
  }

  synchronized List<TaskEvent> events() {
    return List.copyOf(events);
  }

  /** The kinds of one task's events, in order. */
  synchronized List<TaskEvent.Kind> kinds(Task task) {
    return events.stream().filter(e -> e.id().equals(task.id())).map(TaskEvent::kind).toList();
  }

  /** The events of one task, in order. */
  synchronized List<TaskEvent> of(Task task) {
    return events.stream().filter(e -> e.id().equals(task.id())).toList();
  }

  /** The tasks in the order their first attempt started. */
  synchronized List<TaskId> startOrder() {
    return events.stream()
        .filter(e -> e.kind() == TaskEvent.Kind.STARTED && e.attempt() == 1)
        .map(TaskEvent::id)
        .toList();
  }

  synchronized int total() {
    return total;
  }

  synchronized int toRun() {
    return toRun;
  }

  synchronized RunResult finished() {
    return finished;
  }
}
