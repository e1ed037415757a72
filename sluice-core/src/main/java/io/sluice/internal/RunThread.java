package io.sluice.internal;

import io.sluice.ParameterValues;
import java.util.concurrent.ThreadFactory;

/**
 * A thread that one run owns (a graph checker or a worker), carrying that run's parameter
 * values so that {@link io.sluice.Tasks#create} called from a task's {@code requires()} or
 * {@code run()} reaches them. The values are fixed when the run creates the thread and the
 * thread ends with the run: nothing is set or cleared, and no thread of one run sees another's.
 */
public final class RunThread extends Thread {

  private final ParameterValues values;

  private RunThread(Runnable work, String name, ParameterValues values) {
    super(work, name);
    this.values = values;
    setDaemon(true);
  }

  /** A daemon thread of the run with these values. */
  public static Thread start(Runnable work, String name, ParameterValues values) {
    Thread thread = new RunThread(work, name, values);
    thread.start();
    return thread;
  }

  /** Makes daemon threads of the run with these values. */
  public static ThreadFactory factory(String name, ParameterValues values) {
    return work -> new RunThread(work, name, values);
  }

  /**
   * The parameter values of the run that owns the current thread; none on any other thread
   * (the caller's own, or one a task started itself), where tasks take their defaults.
   */
  public static ParameterValues currentValues() {
    return Thread.currentThread() instanceof RunThread thread ? thread.values : ParameterValues.none();
  }
}
