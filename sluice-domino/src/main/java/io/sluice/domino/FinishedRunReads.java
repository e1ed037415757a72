package io.sluice.domino;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the driver reads of a run once it is over, asked for as soon as a listing shows it over:
 * its final stdout and, for a success, the file entry of its output, both at once. The driver,
 * woken by that listing, then finds them read or on their way instead of asking one after the
 * other. A read that failed is not reported here: the caller asks Domino itself and gets the
 * error (after the retries every request has).
 */
final class FinishedRunReads implements AutoCloseable {

  /** The output's entries at a commit, read for {@code path}. */
  private record OutputEntries(String commit, String path, CompletableFuture<List<DominoApi.FileEntry>> entries) {}

  private final DominoApi api;
  private final Map<String, CompletableFuture<String>> stdouts = new ConcurrentHashMap<>();
  private final Map<String, OutputEntries> outputs = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "sluice-domino-reads");
    thread.setDaemon(true);
    return thread;
  });

  FinishedRunReads(DominoApi api) {
    this.api = api;
  }

  /**
   * Starts the reads of a run that is over: its stdout, and the entries of {@code outputPath}
   * (relative to the project root; null for none) at its output commit when it succeeded.
   */
  void start(DominoRun run, String outputPath) {
    try {
      stdouts.computeIfAbsent(run.id(), id -> CompletableFuture.supplyAsync(() -> unchecked(() -> api.stdout(id)),
          threads));
      if (outputPath != null && "Succeeded".equals(run.status())) {
        outputs.computeIfAbsent(run.id(), id -> new OutputEntries(run.outputCommitId(), outputPath,
            CompletableFuture.supplyAsync(() -> unchecked(() -> api.files(run.outputCommitId(), outputPath)), threads)));
      }
    } catch (RejectedExecutionException closed) {
      // the driver is ending: nothing more to read ahead
    }
  }

  /** The final stdout read ahead (waiting for it if on its way); empty when none was, or it failed. */
  Optional<String> stdout(String runId) throws InterruptedIOException {
    return result(stdouts.remove(runId));
  }

  /** The output's entries read ahead for that commit and path; empty when none were, or the read failed. */
  Optional<List<DominoApi.FileEntry>> outputEntries(String runId, String commit, String path)
      throws InterruptedIOException {
    OutputEntries read = outputs.get(runId);
    if (read == null || !read.commit().equals(commit) || !read.path().equals(path)) {
      return Optional.empty();
    }
    outputs.remove(runId);
    return result(read.entries());
  }

  private static <T> Optional<T> result(CompletableFuture<T> future) throws InterruptedIOException {
    if (future == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(future.get());
    } catch (ExecutionException failed) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading a finished Domino run");
    }
  }

  /** A request whose failure ends the future exceptionally. */
  private interface Request<T> {
    T send() throws IOException;
  }

  private static <T> T unchecked(Request<T> request) {
    try {
      return request.send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    stdouts.clear();
    outputs.clear();
  }
}
