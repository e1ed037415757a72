package io.sluice.remote.internal;

import io.sluice.remote.internal.InFlightRecords.InFlight;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Applies a {@link RetentionPolicy} to what remote runs leave on disk: run directories (of
 * every runs directory given), {@code .sluice/snapshots} and {@code .sluice/builds}. A run named
 * by an in-flight record is always kept, and so are the snapshot and build of its commit; a run
 * without an exit code is kept until it is older than {@code keep_days} (it may still be going).
 */
public final class Retention {

  private final RetentionPolicy policy;
  private final Clock clock;
  private final List<Path> runsDirs;
  private final Path snapshotsDir;
  private final Path buildsDir;
  private final InFlightRecords inFlight;

  /**
   * @param runsDirs directories whose children are run directories (missing ones are skipped)
   * @param snapshotsDir {@code .sluice/snapshots}
   * @param buildsDir {@code .sluice/builds}
   */
  public Retention(RetentionPolicy policy, Clock clock, List<Path> runsDirs, Path snapshotsDir, Path buildsDir,
      InFlightRecords inFlight) {
    this.policy = policy;
    this.clock = clock;
    this.runsDirs = List.copyOf(runsDirs);
    this.snapshotsDir = snapshotsDir;
    this.buildsDir = buildsDir;
    this.inFlight = inFlight;
  }

  /**
   * The retention of the project holding {@code workingDir} under the settings' policy: the run
   * directories of every installed backend, {@code .sluice/snapshots} and {@code .sluice/builds}
   * at the repository root. Empty outside a git repository (no remote run can have run there).
   */
  public static java.util.Optional<Retention> forProject(Path workingDir, io.sluice.Settings settings, Clock clock) {
    Path root;
    try {
      root = Snapshots.open(workingDir, null).root();
    } catch (io.sluice.SchedulingException e) {
      return java.util.Optional.empty();
    }
    Path stateDir = root.resolve(Snapshots.STATE_DIR);
    List<Path> runsDirs = new ArrayList<>();
    for (io.sluice.remote.spi.RunBackendProvider provider
        : java.util.ServiceLoader.load(io.sluice.remote.spi.RunBackendProvider.class)) {
      try {
        runsDirs.addAll(provider.runsDirectories(root, stateDir, settings));
      } catch (RuntimeException e) {
        // a backend whose section is wrong has nothing of its own to prune
      }
    }
    return java.util.Optional.of(new Retention(RetentionPolicy.from(settings), clock, runsDirs.stream().distinct().toList(),
        stateDir.resolve("snapshots"), stateDir.resolve("builds"), new InFlightRecords(stateDir.resolve(InFlightRecords.DIR))));
  }

  /** What the policy allows to remove now, runs first; nothing is removed. */
  public List<Path> removable() throws IOException {
    Instant horizon = clock.instant().minus(Duration.ofDays(policy.keepDays()));
    List<InFlight> records = inFlight.all();
    Set<String> recordedRuns = new HashSet<>();
    Set<String> keptCommits = new HashSet<>();
    for (InFlight record : records) {
      keptCommits.add(record.commit());
      if (!record.runId().isEmpty()) {
        recordedRuns.add(record.runId());
      }
    }
    List<Path> removable = new ArrayList<>();
    for (Path runsDir : runsDirs) {
      List<Path> finished = new ArrayList<>();
      for (Path run : children(runsDir)) {
        if (recordedRuns.contains(run.getFileName().toString()) || !Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        boolean old = modified(run).isBefore(horizon);
        if (Files.exists(run.resolve(RunFiles.EXIT_CODE)) || old) {
          finished.add(run);
        } else {
          commitOf(run).ifPresent(keptCommits::add);  // may still be running
        }
      }
      finished.sort(Comparator.comparing(Retention::modified).reversed());
      for (int i = 0; i < finished.size(); i++) {
        Path run = finished.get(i);
        if (i < policy.keepRuns() && !modified(run).isBefore(horizon)) {
          commitOf(run).ifPresent(keptCommits::add);
        } else {
          removable.add(run);
        }
      }
    }
    removable.addAll(unused(snapshotsDir, keptCommits, List.of(".manifest")));
    removable.addAll(unused(buildsDir, keptCommits, List.of(".build.log", ".manifest")));
    return removable;
  }

  /** Removes what {@link #removable()} lists; returns it. */
  public List<Path> apply() throws IOException {
    List<Path> removable = removable();
    for (Path path : removable) {
      makeWritable(path);
      RunFiles.deleteTree(path);
    }
    return removable;
  }

  /** The commit directories of {@code dir} (and their side files) no kept run uses. */
  private static List<Path> unused(Path dir, Set<String> keptCommits, List<String> sideSuffixes) throws IOException {
    List<Path> unused = new ArrayList<>();
    for (Path entry : children(dir)) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) || keptCommits.contains(name)) {
        continue;  // temporary directories belong to an export or build going on
      }
      unused.add(entry);
      for (String suffix : sideSuffixes) {
        Path side = entry.resolveSibling(name + suffix);
        if (Files.exists(side, LinkOption.NOFOLLOW_LINKS)) {
          unused.add(side);
        }
      }
    }
    return unused;
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    }
  }

  private static Instant modified(Path path) {
    try {
      return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** The commit a run directory's {@code run.sh} names ({@code export SLUICE_COMMIT='<id>'}). */
  static java.util.Optional<String> commitOf(Path run) {
    String prefix = "export SLUICE_COMMIT=";
    try (Stream<String> lines = Files.lines(run.resolve(RunFiles.SCRIPT), StandardCharsets.UTF_8)) {
      return lines.limit(10).filter(l -> l.startsWith(prefix)).findFirst()
          .map(l -> l.substring(prefix.length()).replace("'", ""))
          .filter(commit -> commit.matches("[0-9A-Za-z]+"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return java.util.Optional.empty();
    }
  }

  /** Read-only directories (a command's doing) would stop the removal of their entries. */
  private static void makeWritable(Path path) {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> dirs = Files.walk(path)) {
      dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> p.toFile().setWritable(true, true));
    } catch (IOException | java.io.UncheckedIOException e) {
      // removal will say what it could not remove
    }
  }
}
