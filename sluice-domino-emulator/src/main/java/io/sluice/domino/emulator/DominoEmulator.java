package io.sluice.domino.emulator;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A test double of Domino's public REST API, on a real HTTP port: one project kept as commits
 * of files, runs as local processes on emulated hardware tiers, faults on request. It is not
 * Domino: it models what a client of the runs, files and jobs endpoints sees, and nothing of
 * Domino's environments, datasets, workspaces, git-based projects, billing or permissions.
 *
 * <pre>{@code
 * try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().port(0))) {
 *   String commit = emulator.commitFiles(projectDirectory);
 *   // point the client at emulator.url() with emulator.apiKey()
 * }
 * }</pre>
 */
public final class DominoEmulator implements AutoCloseable {

  private final Options options;
  private final Path dataDir;
  private final boolean ownDataDir;
  private final ProjectStore store;
  private final Faults faults;
  private final Runs runs;
  private final RequestGate gate;
  private final Javalin server;
  private final URI url;

  private DominoEmulator(Options options, Path dataDir, boolean ownDataDir) throws IOException {
    this.options = options;
    this.dataDir = dataDir;
    this.ownDataDir = ownDataDir;
    this.store = ProjectStore.open(dataDir, options.owner(), options.project(), options.clock());
    this.faults = new Faults(options.clock());
    // Commands learn the URL from their environment; it is known once the server has its port.
    AtomicReference<URI> address = new AtomicReference<>();
    this.runs = new Runs(store, options.tiers(), faults, options.clock(), dataDir.resolve("runs"),
        new Runs.Context(() -> address.get().toString(), options.apiKey(), options.owner(), options.project()));
    this.gate = new RequestGate(options.apiKey(), faults, duration -> Thread.sleep(duration.toMillis()));
    ApiRoutes routes = new ApiRoutes(options.owner(), options.project(), projectId(options), store, runs, gate,
        new FaultRequests(faults));
    try {
      this.server = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = "127.0.0.1";
        config.jetty.port = options.port();
        config.http.maxRequestSize = 1L << 31; // uploads of project files: jars, data sets
        routes.register(config);
      }).start();
    } catch (RuntimeException e) {
      runs.close();
      throw new IOException("Cannot start the Domino emulator on 127.0.0.1:" + options.port()
          + " (" + e.getMessage() + "); is the port taken? Give another, or 0 for any free port", e);
    }
    this.url = URI.create("http://127.0.0.1:" + server.port());
    address.set(url);
  }

  /** Starts an emulator; it serves until {@link #close()}. */
  public static DominoEmulator start(Options options) throws IOException {
    Objects.requireNonNull(options, "options");
    if (options.dataDir() != null) {
      Files.createDirectories(options.dataDir());
      return new DominoEmulator(options, options.dataDir(), false);
    }
    Path temporary = Files.createTempDirectory("domino-emulator");
    try {
      return new DominoEmulator(options, temporary, true);
    } catch (IOException | RuntimeException e) {
      deleteTree(temporary);
      throw e;
    }
  }

  /** The base URL a client takes as its host ({@code DOMINO_API_HOST}). */
  public URI url() {
    return url;
  }

  /** The API key every request must carry ({@code DOMINO_USER_API_KEY}). */
  public String apiKey() {
    return options.apiKey();
  }

  public String owner() {
    return options.owner();
  }

  public String project() {
    return options.project();
  }

  /** The project's id, as {@code findProjectByOwnerAndName} answers it. */
  public String projectId() {
    return projectId(options);
  }

  /** Where projects, blobs and run workspaces are kept. */
  public Path dataDir() {
    return dataDir;
  }

  /** The project's head commit: where a run without commitId starts. */
  public String headCommit() {
    return store.head();
  }

  /**
   * Adds every file under {@code directory} (directories named {@code .git} left out) on top of
   * the head, as uploads would; returns the new head commit.
   */
  public String commitFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("commitFiles needs a directory; " + directory + " is not one");
    }
    return store.uploadDirectory(directory).id();
  }

  /** The content of every file of a commit, by path from the project root. */
  public Map<String, byte[]> filesAt(String commitId) throws IOException {
    Commit commit = store.commit(commitId).orElseThrow(() -> new IllegalArgumentException(
        "Unknown commit '" + commitId + "' in project " + owner() + "/" + project()));
    return store.contents(commit);
  }

  /** Every run, the newest first. */
  public List<EmulatedRun> runs() {
    return runs.newestFirst().stream().map(RunRecord::snapshot).toList();
  }

  public Optional<EmulatedRun> run(String runId) {
    return runs.find(runId).map(RunRecord::snapshot);
  }

  /**
   * Waits until the run is completed (its output commit set), polling; for tests.
   *
   * @throws IllegalStateException when it is not completed within {@code timeout}
   */
  public EmulatedRun awaitCompleted(String runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      EmulatedRun run = run(runId).orElseThrow(() -> new IllegalArgumentException("No run '" + runId + "'"));
      if (run.isCompleted()) {
        return run;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Run " + runId + " is still " + run.status() + " after " + timeout);
      }
      Thread.sleep(10);
    }
  }

  /**
   * How many API requests came for {@code method} ({@code "GET"}, ...) and {@code path} (as sent,
   * without the query), faulted ones included: for tests of how often a client asks.
   */
  public long requests(String method, String path) {
    return gate.count(method, path);
  }

  /** The path of the project's run listing, {@code /v1/projects/OWNER/PROJECT/runs}. */
  public String runsPath() {
    return "/v1/projects/" + owner() + "/" + project() + "/runs";
  }

  /** The faults to inject; they take effect at once. */
  public Faults faults() {
    return faults;
  }

  /** Stops every run (their processes are ended), then the server; removes the data directory if it made it. */
  @Override
  public void close() {
    runs.close();
    server.stop();
    if (ownDataDir) {
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static String projectId(Options options) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((options.owner() + "/" + options.project()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 24); // Domino ids are 24 hex digits
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How an emulator starts. {@link #defaults()}: any free port, key {@code emulator-key}, a new
   * temporary data directory, project {@code sluice/sluice-examples}, tiers {@code Small}=2,
   * {@code Large}=1, {@code GPU (K80)}=1 (name = runs at once).
   */
  public record Options(int port, String apiKey, Path dataDir, String owner, String project,
      Map<String, Integer> tiers, Clock clock) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port " + port + " is out of range: use 1-65535, or 0 for any free port");
      }
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("The API key must not be empty");
      }
      requireName(owner, "owner");
      requireName(project, "project");
      Objects.requireNonNull(clock, "clock");
      if (tiers.isEmpty()) {
        throw new IllegalArgumentException("The emulator needs at least one hardware tier");
      }
      tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
    }

    public static Options defaults() {
      Map<String, Integer> tiers = new LinkedHashMap<>();
      tiers.put("Small", 2);
      tiers.put("Large", 1);
      tiers.put("GPU (K80)", 1);
      return new Options(0, "emulator-key", null, "sluice", "sluice-examples", tiers, Clock.systemUTC());
    }

    public Options port(int port) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    public Options apiKey(String apiKey) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    /** Where projects and runs are kept; null for a new temporary directory, removed on close. */
    public Options dataDir(Path dataDir) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    public Options owner(String owner) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    public Options project(String project) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    /** Adds a hardware tier, or changes how many runs of a known one run at once. */
    public Options tier(String name, int maxConcurrentRuns) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("A hardware tier needs a name");
      }
      if (maxConcurrentRuns < 1) {
        throw new IllegalArgumentException("Tier '" + name + "' must allow at least 1 run at once, not " + maxConcurrentRuns);
      }
      Map<String, Integer> more = new LinkedHashMap<>(tiers);
      more.put(name, maxConcurrentRuns);
      return new Options(port, apiKey, dataDir, owner, project, more, clock);
    }

    /** Only these tiers (name = runs at once), in this order; the first is the default of a run without one. */
    public Options tiers(Map<String, Integer> tiers) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    /** The clock of run times and fault durations. */
    public Options clock(Clock clock) {
      return new Options(port, apiKey, dataDir, owner, project, tiers, clock);
    }

    private static void requireName(String name, String what) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("Project " + what + " '" + name
            + "' is not a valid name: use letters, digits, '.', '_' and '-'");
      }
    }
  }
}
