package io.sluice.remote.internal;

import io.sluice.RunScope;
import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.internal.ParamConverter;
import io.sluice.remote.Tiers;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the remote runs of one run share: the backend, the tiers, the start commit, the exported
 * snapshots, the runtime distribution, and one poller that asks the backend about all active
 * runs in one call per interval. Owned by the run ({@link RunScope}), closed when it ends.
 */
public final class RemoteSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteSession.class);

  private final String backendName;
  private final Settings settings;
  private final Tiers tiers;
  /** Null when the working directory is in no git repository (then {@link #noGit} says why). */
  private final Snapshots snapshots;
  private final io.sluice.SchedulingException noGit;
  private final Path root;
  private final Map<String, java.util.Optional<String>> ownCommits = new ConcurrentHashMap<>();
  private final Path stateDir;
  private final String workdir;
  private final Duration pollInterval;
  private final boolean snapshotDirty;
  private final RunBackend backend;
  private final Map<RunHandle, Watch> active = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private boolean woken;
  private String startCommit;
  private List<Path> runtime;
  private SnapshotBuilds builds;
  private Thread poller;
  private volatile boolean closed;

  private static final class Watch {
    final BlockingQueue<RunState> changes = new LinkedBlockingQueue<>();
    RunState last;
  }

  private RemoteSession(Settings settings) {
    this(settings, Path.of(""));
  }

  /** The session of a driver working in {@code workingDirectory}. */
  RemoteSession(Settings settings, Path workingDirectory) {
    checkKeys(settings);
    this.backendName = backendName(settings);
    this.settings = settings;
    this.tiers = Tiers.from(settings);
    Path cwd = workingDirectory.toAbsolutePath().normalize();
    Snapshots opened = null;
    io.sluice.SchedulingException missing = null;
    try {
      opened = Snapshots.open(cwd, null);
    } catch (io.sluice.SchedulingException e) {
      // Fine for a backend that names commits itself (a driver inside a Domino run has no .git):
      // the error is reported when a git commit is needed.
      missing = e;
    }
    this.snapshots = opened;
    this.noGit = missing;
    this.root = opened != null ? opened.root() : cwd;
    this.stateDir = root.resolve(Snapshots.STATE_DIR);
    this.workdir = cwd.startsWith(root) ? root.relativize(cwd).toString() : "";
    Object interval = settings.get("remote", "poll_interval");
    this.pollInterval = interval == null ? Duration.ofMillis(500) : ParamConverter.parseDuration(String.valueOf(interval));
    this.snapshotDirty = Boolean.TRUE.equals(settings.get("remote", "snapshot_dirty"));
    this.backend = createBackend(backendName, root, stateDir, settings);
    backend.onChange(this::wakeUp);
  }

  private static final List<String> KEYS = List.of("backend", "poll_interval", "pass_env", "build",
      "build_classpath", "snapshot_dirty", "start_commit");

  /**
   * Refuses a setting of {@code [remote]} that none reads: a typo would leave the default in
   * force without a word. A table ({@code [remote.domino]}) belongs to its backend, which checks it.
   */
  private static void checkKeys(Settings settings) {
    settings.section("remote").forEach((key, value) -> {
      if (!(value instanceof Map<?, ?>) && !KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [remote] has unknown setting '" + key + "' (known: "
            + String.join(", ", KEYS) + ")");
      }
    });
  }

  /** The backend named by {@code [remote] backend} (default {@code local}). */
  public static String backendName(Settings settings) {
    Object name = settings.get("remote", "backend");
    return name == null ? LocalBackend.NAME : String.valueOf(name);
  }

  /** The session of this run, created on first use. */
  public static RemoteSession of(RunScope run) {
    return run.shared(RemoteSession.class, RemoteSession::new);
  }

  private static RunBackend createBackend(String name, Path root, Path stateDir, Settings settings) {
    List<String> known = new ArrayList<>();
    for (RunBackendProvider provider : ServiceLoader.load(RunBackendProvider.class)) {
      if (provider.name().equals(name)) {
        try {
          return provider.create(root, stateDir, settings);
        } catch (IOException e) {
          throw new SchedulingException("Backend '" + name + "' cannot start: " + e.getMessage());
        }
      }
      known.add(provider.name());
    }
    throw new SchedulingException("Backend '" + name + "' is unknown (available: " + String.join(", ", known)
        + "). Set it with --backend or [remote] backend in sluice.toml.");
  }

  public String backendName() {
    return backendName;
  }

  public RunBackend backend() {
    return backend;
  }

  public Tiers tiers() {
    return tiers;
  }

  /** The project's root: the git repository's working tree. */
  public Path projectRoot() {
    return root;
  }

  /** The records of the project's remote runs in flight ({@code .sluice/inflight}). */
  public InFlightRecords inFlight() {
    return new InFlightRecords(stateDir.resolve(InFlightRecords.DIR));
  }

  /** Where the command starts, relative to the workspace. */
  public String workdir() {
    return workdir;
  }

  /** The commit this run started from (HEAD, checked clean, or the dirty tree committed). */
  public synchronized String startCommit() {
    if (startCommit == null) {
      Object pinned = settings.get("remote", "start_commit");
      startCommit = git().head(pinned == null ? null : String.valueOf(pinned), snapshotDirty);
    }
    return startCommit;
  }

  /**
   * The settings with {@code [remote] start_commit} set to the commit HEAD points to now, when
   * the working directory is in a git repository: called when a run starts, so that remote runs
   * use the commit the run started from even if HEAD moves during the run.
   */
  public static Settings pinStartCommit(Settings settings) {
    if (settings.get("remote", "start_commit") != null) {
      return settings;
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(Path.of("").toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      return settings;
    }
    try (Repository repository = builder.build()) {
      ObjectId head = repository.resolve(Constants.HEAD);
      return head == null ? settings : settings.with("remote", "start_commit", head.name());
    } catch (IOException e) {
      return settings;
    }
  }

  private Snapshots git() {
    if (snapshots == null) {
      throw noGit;
    }
    return snapshots;
  }

  /**
   * The full id of a requested commit, or the start commit when none is requested: the
   * backend's own commit when it names one ({@link io.sluice.remote.spi.RunBackend#ownCommit}),
   * else a git commit.
   */
  public String commit(String requested) {
    String key = requested == null || requested.isBlank() ? "" : requested;
    java.util.Optional<String> own = ownCommits.computeIfAbsent(key, k -> {
      try {
        return backend.ownCommit(k.isEmpty() ? null : k);
      } catch (IOException e) {
        throw new io.sluice.SchedulingException("Backend '" + backendName + "' cannot tell the commit "
            + (k.isEmpty() ? "to start from" : "'" + k + "'") + ": " + e.getMessage());
      }
    });
    if (own.isPresent()) {
      return own.get();
    }
    return key.isEmpty() ? startCommit() : git().resolve(requested);
  }

  /** Whether the commit is the backend's own, not a git commit: it has no snapshot here. */
  private boolean isOwn(String commit) {
    return ownCommits.values().stream().anyMatch(own -> own.isPresent() && own.get().equals(commit));
  }

  /** The files of the commit, exported once; null for a commit of the backend's own. */
  public Path snapshot(String commit) {
    return isOwn(commit) ? null : git().export(commit);
  }

  /** The runtime classpath for the remote side, prepared once. */
  public synchronized List<Path> runtime() throws IOException {
    if (runtime == null) {
      runtime = Distribution.current(stateDir.resolve("dist"));
    }
    return runtime;
  }

  /**
   * The runtime for a command: for a {@code sluice ...} command in a project with a
   * {@code [remote] build}, the distribution followed by the classes built from the snapshot.
   */
  public List<Path> runtime(List<String> command, String commit, Path snapshot)
      throws IOException, InterruptedException {
    List<Path> base = runtime();
    SnapshotBuilds snapshotBuilds = builds();
    if (snapshotBuilds == null || snapshot == null || !command.get(0).equals("sluice")) {
      return base;
    }
    List<Path> all = new ArrayList<>(base);
    all.addAll(snapshotBuilds.classpath(commit, snapshot));
    return all;
  }

  private synchronized SnapshotBuilds builds() {
    Object command = settings.get("remote", "build");
    if (command == null) {
      return null;
    }
    if (builds == null) {
      Object classpath = settings.get("remote", "build_classpath");
      builds = new SnapshotBuilds(stateDir.resolve("builds"), words(command), words(classpath));
    }
    return builds;
  }

  private static List<String> words(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value).trim().split("\\s+"));
  }

  /** Starts watching a submitted run. */
  public void watch(RunHandle handle) {
    active.put(handle, new Watch());
    ensurePoller();
    wakeUp();
  }

  /**
   * Waits for the next state change of a watched run, at most {@code wait}.
   *
   * @return the new state, or null when nothing changed in time
   */
  public RunState next(RunHandle handle, Duration wait) throws InterruptedException {
    Watch watch = active.get(handle);
    if (watch == null) {
      throw new IllegalStateException(handle + " is not watched");
    }
    return watch.changes.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void unwatch(RunHandle handle) {
    active.remove(handle);
  }

  private void wakeUp() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  private synchronized void ensurePoller() {
    if (poller != null && poller.isAlive()) {
      return;
    }
    poller = new Thread(this::pollLoop, "sluice-remote-poller");
    poller.setDaemon(true);
    poller.start();
  }

  /** Stops the poller and closes the backend (which cancels what it still runs). */
  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (this) {
      if (poller != null) {
        poller.interrupt();
      }
    }
    backend.close();
  }

  private void pollLoop() {
    while (!closed) {
      List<RunHandle> handles = new ArrayList<>(active.keySet());
      if (!handles.isEmpty()) {
        try {
          Map<RunHandle, RunState> states = backend.poll(handles);
          states.forEach((handle, state) -> {
            Watch watch = active.get(handle);
            if (watch != null && !state.equals(watch.last)) {
              watch.last = state;
              watch.changes.add(state);
            }
          });
        } catch (IOException | RuntimeException e) {
          LOG.warn("Polling backend {} failed, trying again in {}: {}", backendName, pollInterval, e.getMessage());
        }
      }
      synchronized (wake) {
        try {
          if (!woken) {
            wake.wait(pollInterval.toMillis());
          }
          woken = false;
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
