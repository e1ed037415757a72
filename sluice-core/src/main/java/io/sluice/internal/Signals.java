package io.sluice.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
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
 * <p>The first signal calls the action. A repeat within half a second is taken for the same
 * event ({@code timeout} and a closing terminal send their signal twice). Any later one goes to
 * the handler that was installed before (the JVM's own exits with 128 + the signal number), so a
 * user whose run does not stop can still end it with a second Ctrl-C; the processes the run
 * started are then ended by the {@link Watchdog}. Uses {@code sun.misc.Signal} from the
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
    Arrivals arrivals = new Arrivals(System::nanoTime);
    List<Installed> installed = new ArrayList<>(NAMES.size());
    try {
      for (String name : NAMES) {
        install(name, action, arrivals, installed);
      }
    } catch (LinkageError e) {
      LOG.warn("cannot handle SIGINT, SIGTERM and SIGHUP (module jdk.unsupported is missing): "
          + "an interrupted run stops at once, without its summary");
    }
    return new Handle() {
      private boolean closed;

      @Override
      public boolean fired() {
        return arrivals.fired();
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

  private static void install(String name, Runnable action, Arrivals arrivals, List<Installed> installed) {
    Signal signal = new Signal(name);
    SignalHandler[] previous = new SignalHandler[1];
    SignalHandler handler = received -> {
      switch (arrivals.arrive()) {
        case FIRST -> action.run();
        case SAME_EVENT -> LOG.debug("SIG{} again at once: the same event", received.getName());
        case AGAIN -> passOn(received, previous[0]);
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

  /**
   * Tells the first signal from a repeat. A repeat within {@link #SAME_EVENT} is the same event
   * told twice: {@code timeout} sends SIGTERM to the command and then to its process group, which
   * holds the command; a closing terminal sends SIGHUP to the foreground group and the shell sends
   * it to its jobs. Only a later one is someone asking again.
   */
  static final class Arrivals {
    /** How close a repeat must follow the first signal to be the same event. */
    static final Duration SAME_EVENT = Duration.ofMillis(500);

    enum Kind { FIRST, SAME_EVENT, AGAIN }

    private final LongSupplier nanoTime;
    private boolean fired;
    private long firedAt;

    Arrivals(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
    }

    synchronized Kind arrive() {
      long now = nanoTime.getAsLong();
      if (!fired) {
        fired = true;
        firedAt = now;
        return Kind.FIRST;
      }
      return now - firedAt < SAME_EVENT.toNanos() ? Kind.SAME_EVENT : Kind.AGAIN;
    }

    synchronized boolean fired() {
      return fired;
    }
  }
}
