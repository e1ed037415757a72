package io.sluice.domino;

import io.sluice.remote.Tier;
import io.sluice.remote.spi.RemoteCommand;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote runs as Domino runs, through Domino's public REST API. The code a run starts from is a
 * Domino commit: the commit of the Domino run this driver runs inside, a Domino commit id given
 * to {@code atCommit}, or the git commit's snapshot uploaded once ({@link CommitUploads}). One
 * listing of the project's runs answers for all active runs (a run missing from it is asked for
 * by id), at the pace of {@link PollCadence}: soon after a submission or a change, slowing to the
 * poll interval while the runs are still. With a listener ({@link #onChange}) the backend lists
 * on that pace by itself and tells the listener of each change; without one, {@link #poll} lists
 * when a listing is due. The single output comes from the run's output commit through files and
 * blobs; every run still going when the driver ends is stopped.
 */
public final class DominoBackend implements RunBackend {

  public static final String NAME = "domino";

  private static final Logger LOG = LoggerFactory.getLogger(DominoBackend.class);

  /** How long a run just submitted may be missing from both the list and its own route. */
  static final Duration VISIBLE_WITHIN = Duration.ofMinutes(2);

  private final DominoConfig config;
  private final DominoApi api;
  private final CommitUploads uploads;
  private final Predicate<String> knownToGit;
  private final Clock clock;
  /** Runs submitted or re-attached and not yet seen finished: what {@link #close()} stops. */
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Map<String, DominoRun> seen = new ConcurrentHashMap<>();
  private final Map<String, Log> logs = new ConcurrentHashMap<>();
  /** Each run's output path from the project root, to read its entry ahead when it is over. */
  private final Map<String, String> outputs = new ConcurrentHashMap<>();
  private final FinishedRunReads reads;
  /** When each run was submitted: a run Domino does not show yet is given {@link #VISIBLE_WITHIN}. */
  private final Map<String, Instant> submitted = new ConcurrentHashMap<>();
  /** Held through a listing: one at a time, whoever asks (the watcher or a caller of poll). */
  private final Object listLock = new Object();
  /** Guards itself and the watcher's plan; held only briefly, never through a request. */
  private final PollCadence cadence;
  private volatile Runnable listener;
  private ScheduledExecutorService watcher;
  private ScheduledFuture<?> nextWatch;
  private boolean closed;
  private volatile String ownStartCommit;

  /** A run's stdout as last read, and whether it is final (read after the run finished). */
  private static final class Log {
    byte[] bytes = new byte[0];
    Instant read;
    boolean complete;
  }

  DominoBackend(DominoConfig config, DominoApi api, CommitUploads uploads, Predicate<String> knownToGit, Clock clock) {
    this.config = config;
    this.api = api;
    this.uploads = uploads;
    this.knownToGit = knownToGit;
    this.clock = clock;
    this.cadence = new PollCadence(config.pollInterval());
    this.reads = new FinishedRunReads(api);
  }

  /**
   * Inside a Domino run the default commit is that run's input commit; a 40-hex id that git
   * does not know is taken as a Domino commit; anything else is a git commit.
   */
  @Override
  public Optional<String> ownCommit(String requested) throws IOException {
    if (requested == null) {
      if (config.runId() == null) {
        return Optional.empty();
      }
      if (ownStartCommit == null) {
        DominoRun driver = api.run(config.runId()).orElseThrow(() -> new IOException("this driver runs inside Domino"
            + " run " + config.runId() + " (DOMINO_RUN_ID), but Domino does not know that run in project "
            + config.owner() + "/" + config.project()));
        if (driver.commitId() == null) {
          throw new IOException("Domino run " + config.runId() + " names no input commit");
        }
        ownStartCommit = driver.commitId();
      }
      return Optional.of(ownStartCommit);
    }
    if (requested.matches("[0-9a-fA-F]{40}") && !knownToGit.test(requested)) {
      return Optional.of(requested.toLowerCase());
    }
    return Optional.empty();
  }

  @Override
  public RunHandle submit(RunSpec spec) throws IOException {
    String tier = dominoTier(spec.tier());
    String commit = spec.snapshot() == null ? spec.commit()
        : uploads.commitFor(spec.commit(), spec.snapshot(), spec.runtime());
    List<String> classpath = RemoteCommand.isJava(spec.command()) ? uploads.classpath(commit) : List.of();
    String id = api.startRun(DominoCommand.argv(spec, commit, classpath), commit, title(spec), tier);
    Instant now = clock.instant();
    submitted.put(id, now);
    // Queued until the next listing shows it: one listing for all runs, not one per submission.
    seen.put(id, new DominoRun(id, title(spec), "Queued", commit, null, null));
    rememberOutput(id, spec);
    active.add(id);
    lookSoon(now);
    return new RunHandle(NAME, id, spec);
  }

  private void rememberOutput(String runId, RunSpec spec) {
    String path = spec.output() == null ? null : outputPath(spec, spec.output());
    if (path != null) {
      outputs.put(runId, path);
    }
  }

  /** A path of the run's workspace from the project root; null when it leaves the workspace. */
  private static String outputPath(RunSpec spec, String path) {
    String workdir = spec.workdir() == null ? "" : spec.workdir();
    return normalize(workdir.isEmpty() ? path : workdir + "/" + path);
  }

  private boolean justSubmitted(String runId, Instant now) {
    Instant since = submitted.get(runId);
    return since != null && now.isBefore(since.plus(VISIBLE_WITHIN));
  }

  /** The run's title in Domino: the run id (which finds it again) and the task. */
  private static String title(RunSpec spec) {
    String title = "sluice " + spec.runId() + " " + spec.taskName();
    return title.length() > 200 ? title.substring(0, 200) : title;
  }

  /** The Domino hardware tier of a Sluice tier, from {@code [tiers.NAME.domino] tier}. */
  static String dominoTier(Tier tier) throws IOException {
    Object name = tier.optionsFor(NAME).get("tier");
    if (name == null || String.valueOf(name).isBlank()) {
      throw new IOException("Tier '" + tier.name() + "' has no Domino hardware tier: add [tiers." + tier.name()
          + ".domino] tier = \"<the hardware tier's name in Domino>\" to sluice.toml");
    }
    return String.valueOf(name);
  }

  @Override
  public Optional<RunHandle> reattach(RunSpec spec, String id) throws IOException {
    Optional<DominoRun> run;
    if (id.isEmpty()) {
      String title = title(spec);
      run = api.runs().values().stream().filter(r -> title.equals(r.title())).findFirst();
    } else {
      run = api.run(id);
    }
    if (run.isEmpty()) {
      return Optional.empty();
    }
    seen.put(run.get().id(), run.get());
    rememberOutput(run.get().id(), spec);
    if (!run.get().finished()) {
      active.add(run.get().id());
      lookSoon(clock.instant());
    }
    return Optional.of(new RunHandle(NAME, run.get().id(), spec));
  }

  @Override
  public Map<RunHandle, RunState> poll(Collection<RunHandle> runs) throws IOException {
    if (runs.isEmpty()) {
      return Map.of();
    }
    synchronized (listLock) {
      for (RunHandle run : runs) {
        if (!seen.containsKey(run.id())) {
          // Not submitted by this backend nor re-attached: asked for once by id.
          api.run(run.id()).ifPresent(found -> seen.put(run.id(), found));
        }
      }
      listIfDue(runs.stream().map(RunHandle::id).toList());
    }
    Map<RunHandle, RunState> states = new LinkedHashMap<>();
    for (RunHandle run : runs) {
      DominoRun current = seen.get(run.id());
      RunState state = current == null
          ? new RunState(RunStatus.FAILED, null, "Domino does not know run " + run.id()
              + " (neither listed nor found by id)")
          : DominoStatuses.state(current);
      if (state.status().finished()) {
        active.remove(run.id());
      }
      states.put(run, state);
    }
    return states;
  }

  /**
   * Lists the project's runs when the cadence says a listing is due, and takes what it shows of
   * the active runs and of {@code requested}. Called under {@link #listLock}.
   *
   * @return whether a run's status changed
   */
  private boolean listIfDue(Collection<String> requested) throws IOException {
    Instant now = clock.instant();
    synchronized (cadence) {
      if (!cadence.due(now)) {
        return false;
      }
      // Recorded before the request: a listing that fails is tried again at the cadence's pace.
      cadence.listed(now);
    }
    Set<String> ids = new java.util.LinkedHashSet<>(requested);
    ids.addAll(active);
    boolean changed = false;
    try {
      Map<String, DominoRun> listed = api.runs();
      for (String id : ids) {
        DominoRun before = seen.get(id);
        DominoRun current = listed.get(id);
        if (current == null && !finished(id)) {
          // Missing from the list (Domino's listing lags at times): asked for by id.
          current = api.run(id).orElse(null);
        }
        if (current != null) {
          seen.put(id, current);
          changed |= before == null || !Objects.equals(before.status(), current.status())
              || before.finished() != current.finished();
          if (current.finished()) {
            active.remove(id);
            if (before == null || !before.finished()) {
              reads.start(current, outputs.get(id));
            }
          }
        } else if (!finished(id) && !justSubmitted(id, now)) {
          changed |= seen.remove(id) != null;
        }
      }
    } finally {
      if (changed) {
        lookSoon(clock.instant());
      } else {
        planWatch();
      }
    }
    return changed;
  }

  /** A submission, re-attachment or change at {@code now}: the runs are listed again soon. */
  private void lookSoon(Instant now) {
    synchronized (cadence) {
      cadence.activity(now);
    }
    planWatch();
  }

  /**
   * With a listener and active runs, plans the watcher's next listing when the cadence says.
   * A watch already planned no later is kept; an extra watch is harmless (it lists only when due).
   */
  private void planWatch() {
    if (listener == null) {
      return;
    }
    synchronized (cadence) {
      if (closed || active.isEmpty()) {
        return;
      }
      Instant due = cadence.next();
      Instant now = clock.instant();
      long delay = due == null ? 0 : Math.max(0, Duration.between(now, due).toNanos());
      if (nextWatch != null && !nextWatch.isDone() && nextWatch.getDelay(TimeUnit.NANOSECONDS) > 0
          && nextWatch.getDelay(TimeUnit.NANOSECONDS) <= delay) {
        return;
      }
      if (nextWatch != null && nextWatch.getDelay(TimeUnit.NANOSECONDS) > 0) {
        nextWatch.cancel(false);
      }
      if (watcher == null) {
        watcher = Executors.newSingleThreadScheduledExecutor(task -> {
          Thread thread = new Thread(task, "sluice-domino-watcher");
          thread.setDaemon(true);
          return thread;
        });
      }
      nextWatch = watcher.schedule(this::watch, delay, TimeUnit.NANOSECONDS);
    }
  }

  /** The watcher's turn: a listing if one is due, the listener told of a change, the next turn planned. */
  private void watch() {
    boolean changed = false;
    try {
      synchronized (listLock) {
        changed = listIfDue(List.of());
      }
    } catch (IOException | RuntimeException e) {
      // Each request was already retried through its window; the next listing comes at the cadence.
      LOG.warn("Listing the runs of Domino project {}/{} failed, trying again later: {}", config.owner(),
          config.project(), e.getMessage());
    }
    // Also when a caller of poll listed first: this turn then found nothing due, and the next is
    // planned from that caller's listing.
    planWatch();
    Runnable told = listener;
    if (changed && told != null) {
      try {
        told.run();
      } catch (RuntimeException e) {
        LOG.warn("A listener of Domino run changes failed: {}", e.toString());
      }
    }
  }

  /** The listener is told after a listing showed a change: waiting for runs need not be polling. */
  @Override
  public void onChange(Runnable listener) {
    this.listener = listener;
    planWatch();
  }

  private boolean finished(String runId) {
    DominoRun run = seen.get(runId);
    return run != null && run.finished();
  }

  @Override
  public void cancel(RunHandle run) throws IOException {
    if (finished(run.id())) {
      return;  // over: a late stop must not turn its outcome into a loss
    }
    api.stop(run.id());
    active.remove(run.id());
  }

  /**
   * The run's stdout from {@code offset} on, read from Domino at most once per poll interval
   * while the run goes on, and once more after it finished.
   */
  @Override
  public byte[] readLog(RunHandle run, long offset) throws IOException {
    Log log = logs.computeIfAbsent(run.id(), id -> new Log());
    synchronized (log) {
      Instant now = clock.instant();
      boolean over = finished(run.id());
      if (!log.complete && (log.read == null || over || !now.isBefore(log.read.plus(config.pollInterval())))) {
        String text = over ? reads.stdout(run.id()).orElse(null) : null;
        byte[] bytes = (text != null ? text : api.stdout(run.id())).getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= log.bytes.length) {
          log.bytes = bytes;
        }
        log.read = now;
        log.complete = over;
      }
      return offset >= log.bytes.length ? new byte[0] : Arrays.copyOfRange(log.bytes, (int) offset, log.bytes.length);
    }
  }

  /**
   * Copies the output from the run's output commit: a single file of the run's workspace (a
   * path that leaves it, or names a directory, is refused), checked against its SHA-1 key.
   */
  @Override
  public boolean fetch(RunHandle run, String path, Path destination) throws IOException {
    DominoRun current = seen.get(run.id());
    if (current == null || !current.finished()) {
      current = api.run(run.id()).orElseThrow(() -> new IOException("Domino does not know run " + run.id()));
    }
    if (!current.finished()) {
      throw new IOException("Domino run " + run.id() + " has no output commit yet (status " + current.status() + ")");
    }
    String relative = outputPath(run.spec(), path);
    if (relative == null) {
      throw new IOException("output " + path + " leaves the workspace of Domino run " + run.id());
    }
    String outputCommit = current.outputCommitId();
    List<DominoApi.FileEntry> entries = reads.outputEntries(run.id(), outputCommit, relative).orElse(null);
    if (entries == null) {
      entries = api.files(outputCommit, relative);
    }
    if (entries.isEmpty()) {
      return false;
    }
    DominoApi.FileEntry file = entries.stream().filter(e -> relative.equals(e.path().replaceFirst("^/", "")))
        .findFirst().orElseThrow(() -> new IOException("output " + relative + " of Domino run " + run.id()
            + " is refused: it is a directory, not a regular file. Write the output as a plain file (many files:"
            + " an archive)."));
    byte[] bytes = api.blob(file.key());
    if (file.key().matches("[0-9a-f]{40}") && !Hashes.sha1(bytes).equals(file.key())) {
      throw new IOException("output " + relative + " of Domino run " + run.id() + " came back damaged: its SHA-1 "
          + Hashes.sha1(bytes) + " is not its key " + file.key());
    }
    Files.write(destination, bytes);
    return true;
  }

  /** The path with {@code .} and {@code ..} resolved; null when it leaves the root or is empty. */
  static String normalize(String path) {
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** Stops every run this driver started that has not finished: nothing goes on after the run that made them. */
  @Override
  public void close() throws IOException {
    synchronized (cadence) {
      closed = true;
      if (watcher != null) {
        watcher.shutdownNow();
      }
    }
    reads.close();
    IOException failure = null;
    for (String id : List.copyOf(active)) {
      try {
        api.stop(id);
        active.remove(id);
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  CommitUploads uploads() {
    return uploads;
  }
}
