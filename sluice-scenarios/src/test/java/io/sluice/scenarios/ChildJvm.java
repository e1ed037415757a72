package io.sluice.scenarios;

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
 * A {@link ScenarioPipeline} running in a JVM of its own, in a project directory, its stdout
 * and stderr going to files beside that directory. Every wait is bounded, and fails with what
 * the child printed.
 */
final class ChildJvm implements AutoCloseable {

  /** The longest any wait on a child may take. */
  static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final long POLL_MS = 20;

  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJvm(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code ScenarioPipeline args...} in {@code projectDir}; output goes to
   * {@code <name>.stdout} and {@code <name>.stderr} in the project's parent directory.
   */
  static ChildJvm start(Path projectDir, String name, String... args) throws IOException {
    return start(projectDir, name, List.of(), args);
  }

  /** {@link #start(Path, String, String...)} with more options for the JVM (a smaller heap). */
  static ChildJvm start(Path projectDir, String name, List<String> jvmOptions, String... args) throws IOException {
    Path logs = projectDir.getParent();
    Path stdout = logs.resolve(name + ".stdout");
    Path stderr = logs.resolve(name + ".stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScenarioPipeline.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command)
        .directory(projectDir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    return new ChildJvm(name, process, stdout, stderr);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to exit and returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(name + " did not exit within " + DEADLINE + "\n" + output());
    }
    return process.exitValue();
  }

  /** Waits until the child has created {@code file}; fails if it exits first. */
  void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        fail(name + " exited with code " + process.exitValue() + " before creating " + file + "\n" + output());
      }
      if (System.nanoTime() > deadline) {
        fail(name + " did not create " + file + " within " + DEADLINE + "\n" + output());
      }
      Thread.sleep(POLL_MS);
    }
  }

  /** SIGTERM, on Linux. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL, on Linux; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    awaitExit();
  }

  /** Sends a signal by name ({@code INT}, {@code TERM}) with the {@code kill} command. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
      fail("kill -" + signal + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  String stdout() {
    return read(stdout);
  }

  /** Both streams, for failure messages. */
  String output() {
    return "--- " + name + " stdout ---\n" + read(stdout) + "--- " + name + " stderr ---\n" + read(stderr);
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
      process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
