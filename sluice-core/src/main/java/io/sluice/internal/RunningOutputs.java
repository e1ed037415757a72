package io.sluice.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which running attempt is writing each output path, so that a write through any
 * {@link io.sluice.LocalTarget} of that path, from any thread, joins the attempt's transaction.
 *
 * <p>This is a process-wide index, not run state, and that is deliberate: user code writes
 * through fresh {@code LocalTarget} instances, from threads the task started, so the only thing
 * that leads back to the attempt is the file's path; and a path names the same file for every
 * thread and every {@code Sluice} instance of the JVM, since the file system is process-wide
 * too. An entry exists only while its attempt runs: added when the attempt starts, removed when
 * it ends (in a {@code finally}); an aborted attempt's entries stay until its run ends, so that a
 * thread the failed task left running has its late writes refused instead of landing. The index
 * holds nothing once the runs have ended. Two runs
 * writing different paths never see each other's entries; two attempts running at once that
 * claim the same path would clobber each other's file, so the second one fails. It is not a
 * ThreadLocal: a ThreadLocal would lose writes made from the task's own threads.
 */
public final class RunningOutputs {

  private static final ConcurrentMap<Path, OutputTransaction> WRITERS = new ConcurrentHashMap<>();
  // Threads of attempts the engine gave up on (past their timeout), until they come back: their
  // late writes must fail even after the run ended or another run took the path over.
  private static final ConcurrentMap<Thread, OutputTransaction> ABANDONED = new ConcurrentHashMap<>();

  private RunningOutputs() {}

  /**
   * Registers the transaction under its declared paths until the returned registration is
   * closed. A path held by an aborted transaction (an abandoned attempt) is taken over.
   *
   * @throws IllegalStateException when another running attempt is writing one of the paths
   */
  public static Registration register(OutputTransaction transaction) {
    // Sized: a default list grew to ten slots for the one path of a task, at every attempt.
    List<Path> added = new ArrayList<>(transaction.declared().size());
    for (Path path : transaction.declared()) {
      OutputTransaction[] holder = new OutputTransaction[1];
      WRITERS.compute(path, (p, existing) -> {
        if (existing == null || existing == transaction || !existing.isOpen()) {
          return transaction;
        }
        holder[0] = existing;
        return existing;
      });
      if (holder[0] != null) {
        new Registration(transaction, added).close();
        throw new IllegalStateException(path + " is already being written by " + holder[0].owner()
            + ", which is running; tasks that run at the same time cannot write the same file: give them"
            + " different outputs");
      }
      added.add(path);
    }
    return new Registration(transaction, added);
  }

  /** The transaction of the running attempt writing {@code key} (absolute, normalized), or null. */
  static OutputTransaction writerOf(Path key) {
    if (!ABANDONED.isEmpty()) {
      OutputTransaction abandoned = ABANDONED.get(Thread.currentThread());
      if (abandoned != null && abandoned.declared().contains(key)) {
        return abandoned;
      }
    }
    return WRITERS.get(key);
  }

  /**
   * Marks the thread of an attempt given up on, whose transaction is aborted: what it writes to
   * the attempt's outputs fails, until {@link #returned(Thread)}.
   */
  static void abandoned(Thread thread, OutputTransaction aborted) {
    ABANDONED.put(thread, aborted);
  }

  /** The thread of an abandoned attempt is back in the engine: it writes nothing more for it. */
  static void returned(Thread thread) {
    ABANDONED.remove(thread);
  }

  /** The paths being written now, for diagnostics and tests. */
  public static Set<Path> paths() {
    return Set.copyOf(WRITERS.keySet());
  }

  /** The entries of one attempt; closing removes them (not those another attempt took over). */
  public static final class Registration implements AutoCloseable {
    private final OutputTransaction transaction;
    private final List<Path> paths;

    private Registration(OutputTransaction transaction, List<Path> paths) {
      this.transaction = transaction;
      this.paths = paths;
    }

    @Override
    public void close() {
      for (Path path : paths) {
        WRITERS.remove(path, transaction);
      }
    }
  }
}
