package io.sluice.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a call of an action, once, so that a run can stop
 * cleanly (start nothing new, interrupt running tasks, print its summary) instead of dying.
 */
public final class Signals {

  private Signals() {}

  /** Installs the handlers; closing restores the previous ones. */
  public static AutoCloseable onInterrupt(Runnable action) {
    AtomicBoolean fired = new AtomicBoolean();
    List<Signal> signals = new ArrayList<>();
    List<SignalHandler> previous = new ArrayList<>();
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal signal = new Signal(name);
        previous.add(Signal.handle(signal, s -> {
          if (fired.compareAndSet(false, true)) {
            action.run();
          }
        }));
        signals.add(signal);
      } catch (IllegalArgumentException e) {
        // the signal does not exist here, or the JVM reserves it
      }
    }
    return () -> {
      for (int i = 0; i < signals.size(); i++) {
        Signal.handle(signals.get(i), previous.get(i));
      }
    };
  }
}
