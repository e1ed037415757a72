package io.sluice.bench;

import io.sluice.ExitCode;
import io.sluice.RunResult;
import io.sluice.Settings;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.WrapperTask;
import io.sluice.remote.RemoteRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a remote run adds to the command it runs: N trivial remote runs through the embedded
 * local backend, one after the other, against N bare launches of the same command in this
 * process. Runs in the git repository of the working directory (its snapshot is exported once
 * and reused by every run, as in a real run); outputs go under {@code .sluice/bench-remote}.
 *
 * <p>The command is {@code sh -c "mkdir -p DIR && touch FILE"} on both sides: the smallest one
 * that produces the one output file a remote run brings back.
 *
 * <pre>bin/sluice-bench remote [--runs 50]</pre>
 */
public final class RemoteBench {

  private RemoteBench() {}

  /** The trivial command: creates the output file (its directory is not in the snapshot). */
  static List<String> command(String dir, String file) {
    return List.of("sh", "-c", "mkdir -p " + dir + " && touch " + file);
  }

  /** A remote run of the trivial command, the file being its output. */
  static RemoteRun touch(int index, String dir) {
    String file = dir + "/out-" + index;
    return RemoteRun.of(command(dir, file)).tier("Bench").output(file);
  }

  /** All the runs, as one root. */
  record All(List<RemoteRun> runs) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      return runs;
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = 50;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs") && i + 1 < args.length) {
        runs = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: sluice-bench remote [--runs N]");
        System.exit(2);
      }
    }
    String dir = ".sluice/bench-remote";
    Path out = Path.of(dir);
    clean(out);
    Files.createDirectories(out);

    Settings settings = new Settings(Map.of(
        "remote", Map.of("backend", "local", "snapshot_dirty", true),
        "tiers", Map.of("Bench", Map.of("cpus", 1))));

    // Warm-up: exports the snapshot and prepares the runtime once, as the first run of a real run does.
    long warm = System.nanoTime();
    RunResult first = sluice(settings).run(touch(-1, dir));
    check(first);
    double warmMs = (System.nanoTime() - warm) / 1e6;

    long bareStart = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      Process process = new ProcessBuilder(command(dir, dir + "/bare-" + i)).start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("the bare command failed");
      }
    }
    double bareMs = (System.nanoTime() - bareStart) / 1e6;

    List<RemoteRun> remote = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      remote.add(touch(i, dir));
    }
    long remoteStart = System.nanoTime();
    RunResult result = sluice(settings).run(new All(remote));
    double remoteMs = (System.nanoTime() - remoteStart) / 1e6;
    check(result);

    double bareEach = bareMs / runs;
    double remoteEach = remoteMs / runs;
    System.out.println(String.format(Locale.ROOT,
        "remote runs=%d bare_ms_per_run=%.1f sluice_ms_per_run=%.1f added_ms_per_run=%.1f ratio=%.1f"
            + " first_run_with_snapshot_export_ms=%.0f",
        runs, bareEach, remoteEach, remoteEach - bareEach, remoteEach / bareEach, warmMs));
    clean(out);
  }

  private static Sluice sluice(Settings settings) {
    return Sluice.builder().workers(1).settings(settings).build();
  }

  private static void check(RunResult result) {
    if (result.exitCode() != ExitCode.SUCCESS) {
      System.err.print(result.summary());
      System.exit(1);
    }
  }

  private static void clean(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
