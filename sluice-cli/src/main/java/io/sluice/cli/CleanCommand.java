package io.sluice.cli;

import io.sluice.SchedulingException;
import io.sluice.remote.internal.Retention;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice clean}: removes what remote runs left on disk that the retention policy lets go,
 * and the runs older than {@code [history] keep_days} from the run history.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {"Removes finished remote run directories, snapshots and builds that the retention policy",
        "([retention] keep_days, keep_runs in sluice.toml) no longer keeps. Runs in flight are kept.",
        "'sluice run' does the same when it ends.",
        "Also removes from the run history the runs older than [history] keep_days, when set."})
final class CleanCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--dry-run", description = "Show what would be removed, remove nothing.")
  boolean dryRun;

  CleanCommand(Cli cli) {
    // the Cli is not needed: cleaning reads no tasks
  }

  @Override
  public Integer call() throws IOException {
    ProjectConfig config = ProjectConfig.load(common.config);
    PrintStream out = System.out;
    HistoryRetention.apply(config, dryRun, Clock.systemUTC(), out);
    Optional<Retention> retention;
    try {
      retention = Retention.forProject(Path.of(""), config.settings(), Clock.systemUTC());
    } catch (SchedulingException e) {
      throw new CliException(e.getMessage());
    }
    if (retention.isEmpty()) {
      out.println("Not in a git repository: remote runs leave nothing here to clean.");
      return 0;
    }
    List<Path> paths = dryRun ? retention.get().removable() : List.of();
    long bytes = 0;
    for (Path path : dryRun ? paths : retention.get().removable()) {
      bytes += size(path);
    }
    if (!dryRun) {
      paths = retention.get().apply();
    }
    for (Path path : paths) {
      out.println((dryRun ? "would remove " : "removed ") + path);
    }
    out.println((dryRun ? "Would remove " : "Removed ") + paths.size() + " entries, " + mebibytes(bytes) + ".");
    return 0;
  }

  private static long size(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
