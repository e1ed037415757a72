package io.sluice;

import java.util.function.Function;

/**
 * What the tasks of one run share: its settings, and objects made once per run on first use
 * (a remote session with its backend and poller), closed when the run ends. Two runs in one JVM
 * never share them, unlike a static.
 */
public interface RunScope {

  /** The project's settings of this run (sluice.toml and command-line overrides). */
  Settings settings();

  /**
   * The run's object of {@code type}, made by {@code create} from the settings the first time it
   * is asked for; closed at the end of the run when it is {@link AutoCloseable}.
   */
  <T> T shared(Class<T> type, Function<Settings, ? extends T> create);
}
