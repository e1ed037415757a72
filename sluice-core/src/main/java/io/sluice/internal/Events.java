package io.sluice.internal;

import io.sluice.RunResult;
import io.sluice.TaskEvent;
import io.sluice.TaskListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to the listeners one at a time; a listener that throws is logged, not fatal. */
final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<TaskListener> listeners;
  private final Clock clock;

  Events(List<TaskListener> listeners, Clock clock) {
    this.listeners = listeners;
    this.clock = clock;
  }

  synchronized void graphBuilt(int total, int toRun) {
    for (TaskListener listener : listeners) {
      try {
        listener.graphBuilt(total, toRun);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed", listener, e);
      }
    }
  }

  void emit(TaskEvent.Kind kind, Node node, int attempt, Duration elapsed, String message, Throwable error) {
    if (listeners.isEmpty()) {
      return;
    }
    TaskEvent event = new TaskEvent(kind, node.id, node.task, attempt, clock.instant(), elapsed,
        message == null ? "" : message, error);
    synchronized (this) {
      for (TaskListener listener : listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("listener {} failed on {}", listener, event, e);
        }
      }
    }
  }

  synchronized void runFinished(RunResult result) {
    for (TaskListener listener : listeners) {
      try {
        listener.runFinished(result);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed", listener, e);
      }
    }
  }
}
