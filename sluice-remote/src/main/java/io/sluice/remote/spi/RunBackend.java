package io.sluice.remote.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Runs commands on machines of a hardware tier. Thin by design: the contract with the remote
 * side is files (the command, its exit code, its log, its output), so backends differ only in
 * how they start a job and where files live.
 */
public interface RunBackend extends AutoCloseable {

  /** Starts (or queues) a run. */
  RunHandle submit(RunSpec spec) throws IOException;

  /** The state of many runs in one call: one request to the cluster, not one per run. */
  Map<RunHandle, RunState> poll(Collection<RunHandle> runs) throws IOException;

  /** Stops a run and everything it started. */
  void cancel(RunHandle run) throws IOException;

  /** The run's log from byte {@code offset} on (empty when there is nothing new). */
  byte[] readLog(RunHandle run, long offset) throws IOException;

  /**
   * Copies a file of the run's workspace (relative path) to {@code destination}.
   *
   * @return false when the run did not produce that file
   */
  boolean fetch(RunHandle run, String path, Path destination) throws IOException;

  /**
   * Follows a run submitted earlier, maybe by a process that died since: {@code spec} is what
   * was submitted (its run id included), {@code id} the backend's id for it, or empty when the
   * driver died before recording it (then the backend finds the run by its run id). Empty when
   * the backend cannot follow it any more (then it is submitted again); by default it cannot.
   */
  default java.util.Optional<RunHandle> reattach(RunSpec spec, String id) throws IOException {
    return java.util.Optional.empty();
  }

  /**
   * Registers a listener the backend calls whenever one of its runs changes state, so that
   * waiting need not be polling; backends that only learn of changes by polling ignore it.
   */
  default void onChange(Runnable listener) {}

  /** Whether a GPU tier's runs get GPUs here (when not, they run on the CPU and users are told). */
  default boolean hasGpus() {
    return true;
  }

  /**
   * The backend's own commit for the code a run starts from, when it names code itself: a
   * commit of its own storage given by {@code requested}, or, when {@code requested} is null,
   * the commit the driver itself runs at on this backend (the driver runs inside one of its
   * runs). Empty (the default) means a git commit: the driver exports it as a snapshot (and
   * builds it) and hands it on in {@link RunSpec#snapshot()}; with the backend's own commit the
   * run's snapshot is null and the backend finds the files itself.
   *
   * @throws IOException when the backend cannot be asked
   */
  default java.util.Optional<String> ownCommit(String requested) throws IOException {
    return java.util.Optional.empty();
  }

  /**
   * Ends what the backend still runs for this driver and frees its resources; called when the
   * run that made the backend ends, however it ends.
   */
  @Override
  default void close() throws IOException {}
}
