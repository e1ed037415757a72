package io.sluice.internal;

import io.sluice.RemoteRunDetails;
import io.sluice.RunResult;
import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskGraph;
import io.sluice.TaskListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the listeners, one at a time and in the order they happened. Events are
 * queued where they happen (under the engine's lock, if need be) and delivered by whichever
 * thread calls {@link #deliver()} next, never under the engine's lock. A listener that throws
 * anything is logged once and keeps getting events; it never breaks the run.
 */
final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<TaskListener> listeners;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Consumer<TaskListener>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock delivering = new ReentrantLock();
  private final Set<TaskListener> failed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  Events(List<TaskListener> listeners, Clock clock) {
    this.listeners = listeners;
    this.clock = clock;
  }

  boolean none() {
    return listeners.isEmpty();
  }

  void graphBuilt(TaskGraph graph, int total, int toRun) {
    if (!none()) {
      queue.add(listener -> listener.graphBuilt(total, toRun));
      queue.add(listener -> listener.graphBuilt(graph));
      deliver();
    }
  }

  /** Queues an event; call {@link #deliver()} once outside any lock. */
  void post(TaskEvent.Kind kind, Node node, int attempt, Duration elapsed, String message, Throwable error) {
    post(kind, node, attempt, elapsed, message, error, null);
  }

  /** Queues an event that may tell where the task's remote run stands. */
  void post(TaskEvent.Kind kind, Node node, int attempt, Duration elapsed, String message, Throwable error,
      RemoteRunDetails remote) {
    if (none()) {
      return;
    }
    TaskEvent event = new TaskEvent(kind, node.id, node.task, attempt, clock.instant(), elapsed,
        message == null ? "" : message, error, remote);
    queue.add(listener -> listener.onEvent(event));
  }

  /**
   * Queues and delivers the start of an attempt; for callers holding no lock. The first attempt's
   * message says why the task runs, put into words only if a listener asks.
   */
  void emitStarted(Node node, int attempt) {
    if (none()) {
      return;
    }
    TaskEvent event;
    if (attempt == 1) {
      Reasons cause = node.cause;
      Task task = node.task;
      event = TaskEvent.withMessageWhenAsked(TaskEvent.Kind.STARTED, node.id, task, attempt, clock.instant(),
          Duration.ZERO, () -> String.join("; ", cause.texts(task)), null);
    } else {
      event = new TaskEvent(TaskEvent.Kind.STARTED, node.id, node.task, attempt, clock.instant(), Duration.ZERO, "",
          null);
    }
    queue.add(listener -> listener.onEvent(event));
    deliver();
  }

  /** Queues and delivers an event; for callers holding no lock. */
  void emit(TaskEvent.Kind kind, Node node, int attempt, Duration elapsed, String message, Throwable error) {
    emit(kind, node, attempt, elapsed, message, error, null);
  }

  /** Queues and delivers an event that may tell where the task's remote run stands. */
  void emit(TaskEvent.Kind kind, Node node, int attempt, Duration elapsed, String message, Throwable error,
      RemoteRunDetails remote) {
    post(kind, node, attempt, elapsed, message, error, remote);
    deliver();
  }

  /**
   * Delivers what is queued. When another thread is delivering, it takes these too: it looks
   * at the queue again after letting go.
   */
  void deliver() {
    while (!queue.isEmpty()) {
      if (!delivering.tryLock()) {
        return;
      }
      try {
        drain();
      } finally {
        delivering.unlock();
      }
    }
  }

  /** Delivers everything still queued, then the end of the run. */
  void runFinished(RunResult result) {
    if (none()) {
      return;
    }
    delivering.lock();
    try {
      drain();
      call(listener -> listener.runFinished(result));
    } finally {
      delivering.unlock();
    }
  }

  private void drain() {
    Consumer<TaskListener> call;
    while ((call = queue.poll()) != null) {
      call(call);
    }
  }

  private void call(Consumer<TaskListener> call) {
    for (TaskListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (Throwable e) {
        report(listener, e);
      }
    }
  }

  private void report(TaskListener listener, Throwable e) {
    try {
      if (failed.add(listener)) {
        LOG.warn("Listener {} threw {}; the run goes on, and further failures of this listener are logged "
            + "at debug level only", listener, GraphBuilder.describe(e), e);
      } else {
        LOG.debug("listener {} threw again", listener, e);
      }
    } catch (Throwable unprintable) {
      // What it threw cannot even be printed (its getMessage() throws): the run goes on all the same.
    }
  }
}
