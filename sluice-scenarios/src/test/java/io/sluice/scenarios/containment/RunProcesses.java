package io.sluice.scenarios.containment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The live processes of a run, found in {@code /proc}: those working in the run's project
 * directory, or carrying the run's mark in their environment. Parents do not matter, so
 * processes that were detached or reparented to init are found too.
 */
record RunProcesses(Path project, String mark) {

  /** The name of the environment variable whose value marks the run's processes. */
  static final String MARK_VARIABLE = "SLUICE_SCENARIO_RUN";
  private static final Path PROC = Path.of("/proc");

  /** One line per live process: its pid and command line. */
  List<String> list() throws IOException {
    Path root = project.toRealPath();
    byte[] marker = (MARK_VARIABLE + "=" + mark).getBytes(StandardCharsets.UTF_8);
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        try {
          String stat = Files.readString(entry.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            continue; // dead, waiting for its parent to reap it
          }
          boolean inProject = Files.readSymbolicLink(entry.resolve("cwd")).startsWith(root);
          if (inProject || contains(Files.readAllBytes(entry.resolve("environ")), marker)) {
            String command = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ').trim();
            found.add(entry.getFileName() + " " + command);
          }
        } catch (IOException | SecurityException gone) {
          // exited meanwhile, or not ours to read
        }
      }
    }
    return found;
  }

  /** Polls until the processes found satisfy {@code condition}; fails after {@code within}. */
  List<String> await(Predicate<List<String>> condition, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> found = list();
    while (!condition.test(found)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the run's processes are not as expected after " + within + ":\n"
            + String.join("\n", found));
      }
      Thread.sleep(20);
      found = list();
    }
    return found;
  }

  /** Polls until no process of the run is left or {@code within} has passed; returns those left. */
  List<String> awaitNone(long fromNanos, Duration within) throws IOException, InterruptedException {
    List<String> left = list();
    while (!left.isEmpty() && System.nanoTime() - fromNanos < within.toNanos()) {
      Thread.sleep(50);
      left = list();
    }
    return left;
  }

  private static boolean contains(byte[] environment, byte[] entry) {
    outer:
    for (int start = 0; start + entry.length <= environment.length; start++) {
      if (start > 0 && environment[start - 1] != 0) {
        continue;
      }
      for (int i = 0; i < entry.length; i++) {
        if (environment[start + i] != entry[i]) {
          continue outer;
        }
      }
      if (start + entry.length == environment.length || environment[start + entry.length] == 0) {
        return true;
      }
    }
    return false;
  }
}
