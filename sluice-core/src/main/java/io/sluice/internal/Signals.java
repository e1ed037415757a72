package io.sluice.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed, the ssh connection dropped)
 * into a graceful stop, such as {@code Sluice.cancel()}, for the span of a run:
 *
 * <pre>{@code
 * try (Signals.Handle interrupt = Signals.onInterrupt(sluice::cancel)) {
 *   result = sluice.run(roots);
 * }
 * }</pre>
 *
 * <p>The first signal calls the action. Any later one goes to the handler that was installed
 * before (the JVM's own exits with 128 + the signal number), so a user whose run does not stop
 * can still end it with a second Ctrl-C. Uses {@code sun.misc.Signal} from the
 * {@code jdk.unsupported} module; where it is missing or the JVM runs with {@code -Xrs}, nothing
 * is installed and the signals keep their default effect.
 */
public final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
  private static final List<String> NAMES = List.of("INT", "TERM", "HUP");

  private Signals() {}

  /** Installed signal handlers; closing restores the ones they replaced. */
  public interface Handle extends AutoCloseable {
    /** Whether a signal has arrived and the action was called. */
    boolean fired();

    @Override
    void close();
  }

  /**
   * Installs SIGINT, SIGTERM and SIGHUP handlers that call {@code action} on the first of these signals
   * (on a thread of the JVM's, so it must not block for long) and pass later ones on.
   */
  public static Handle onInterrupt(Runnable action) {
    AtomicBoolean fired = new AtomicBoolean();
    List<Installed> installed = new ArrayList<>(NAMES.size());
    try {
      for (String name : NAMES) {
        install(name, action, fired, installed);
      }
    } catch (LinkageError e) {
      LOG.warn("cannot handle SIGINT, SIGTERM and SIGHUP (module jdk.unsupported is missing): "
          + "an interrupted run stops at once, without its summary");
    }
    return new Handle() {
      private boolean closed;

      @Override
      public boolean fired() {
        return fired.get();
      }

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        for (int i = installed.size() - 1; i >= 0; i--) {
          Installed one = installed.get(i);
          Signal.handle(one.signal(), one.previous());
        }
      }
    };
  }

  private static void install(String name, Runnable action, AtomicBoolean fired, List<Installed> installed) {
    Signal signal = new Signal(name);
    SignalHandler[] previous = new SignalHandler[1];
    SignalHandler handler = received -> {
      if (fired.compareAndSet(false, true)) {
        action.run();
      } else {
        passOn(received, previous[0]);
      }
    };
    try {
      previous[0] = Signal.handle(signal, handler);
      installed.add(new Installed(signal, previous[0]));
    } catch (IllegalArgumentException e) {
      // -Xrs, or a signal the JVM or the OS keeps for itself: leave it as it is.
      LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
    }
  }

  /** Does what the signal would have done without us. */
  private static void passOn(Signal signal, SignalHandler previous) {
    if (previous == null || previous == SignalHandler.SIG_IGN) {
      return; // null: the signal came while its handler was being installed
    }
    if (previous == SignalHandler.SIG_DFL) {
      // The operating system's default for INT, TERM and HUP: end the process, no shutdown hooks.
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    previous.handle(signal);
  }

  private record Installed(Signal signal, SignalHandler previous) {}
}
