package io.sluice.scenarios.leases;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice run Fleet} of {@link LeasePipeline} in a JVM of its own, standing for one machine:
 * a state directory of its own, the project (outputs, markers, sluice.toml) shared. Its output goes
 * to files beside the project.
 */
final class LeaseProcess implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(120);

  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private LeaseProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code sluice run Fleet --size SIZE --workers WORKERS} in {@code project} as {@code name}. */
  static LeaseProcess start(Path project, String name, int size, int workers, long unitMillis) throws IOException {
    Path logs = project.getParent();
    Path stdout = logs.resolve(name + ".stdout");
    Path stderr = logs.resolve(name + ".stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        LeasePipeline.class.getName(), "run", "Fleet", "--size", Integer.toString(size),
        "--workers", Integer.toString(workers), "--no-progress",
        "--state-dir", logs.resolve("state-" + name).toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    builder.environment().put(LeasePipeline.UNIT_MS, Long.toString(unitMillis));
    return new LeaseProcess(name, builder.start(), stdout, stderr);
  }

  long pid() {
    return process.pid();
  }

  int awaitExit() throws InterruptedException {
    if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(name + " did not exit within " + DEADLINE + "\n" + output());
    }
    return process.exitValue();
  }

  /** Sends a signal ({@code KILL}, {@code STOP}, {@code CONT}) to the JVM. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("/bin/kill", "-s", signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -s " + signal + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  String stdout() {
    return read(stdout);
  }

  String output() {
    return "--- " + name + " (pid " + process.pid() + ") stdout ---\n" + read(stdout) + "--- " + name + " stderr ---\n"
        + read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
