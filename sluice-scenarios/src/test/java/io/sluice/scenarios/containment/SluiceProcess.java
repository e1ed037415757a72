package io.sluice.scenarios.containment;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice run TASK} of {@link ContainmentPipeline} in a process of its own, started the way
 * a shell starts a job: leading a process group (and here a session) of its own, so that a test
 * can signal the group as a terminal does. Optionally under {@code timeout}, as a cron line runs
 * it. Its output goes to files beside the project; every process it starts inherits its mark.
 */
final class SluiceProcess implements AutoCloseable {

  /** The longest any wait on the process may take. */
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final RunProcesses processes;

  private SluiceProcess(Process process, Path stdout, Path stderr, RunProcesses processes) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.processes = processes;
  }

  /**
   * Starts the run in {@code project}; under {@code timeout} (with a limit it never reaches by
   * itself: the test sets it off) when {@code underTimeout}.
   */
  static SluiceProcess start(ContainmentProject project, String task, boolean underTimeout) throws IOException {
    String name = task + "-" + UUID.randomUUID();
    Path logs = project.root().getParent();
    Path stdout = logs.resolve(name + ".stdout");
    Path stderr = logs.resolve(name + ".stderr");
    List<String> command = new ArrayList<>(List.of("setsid"));
    if (underTimeout) {
      command.addAll(List.of("timeout", "10m"));
    }
    // A test JVM started in the background ignores SIGINT, and would pass that on.
    command.addAll(List.of("env", "--default-signal=HUP,INT,TERM",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        ContainmentPipeline.class.getName(), "run", task, "--no-progress"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.root().toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().put(RunProcesses.MARK_VARIABLE, name);
    return new SluiceProcess(builder.start(), stdout, stderr, new RunProcesses(project.root(), name));
  }

  /** The processes of this run: the JVM, what it started, and whatever those started. */
  RunProcesses processes() {
    return processes;
  }

  /** Sends a signal to the process group, as a terminal or {@code timeout} does. */
  void signalGroup(String signal) throws IOException, InterruptedException {
    kill(signal, "-" + process.pid());
  }

  /** Sends a signal to the process started (the JVM, or {@code timeout}) only. */
  void signal(String signal) throws IOException, InterruptedException {
    kill(signal, Long.toString(process.pid()));
  }

  private void kill(String signal, String target) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("/bin/kill", "-s", signal, "--", target).redirectErrorStream(true).start();
    if (!kill.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
      fail("kill -s " + signal + " -- " + target + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Waits until {@code file} exists; fails if the run ends first. */
  void awaitFile(Path file) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        fail("the run exited with code " + process.exitValue() + " before creating " + file + "\n" + output());
      }
      if (System.nanoTime() > deadline) {
        fail("the run did not create " + file + " within " + DEADLINE + "\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** Waits for the run to exit and returns its exit code. */
  int awaitExit() throws InterruptedException, IOException {
    if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the run did not exit within " + DEADLINE + "\n" + output());
    }
    return process.exitValue();
  }

  String stdout() throws IOException {
    return Files.readString(stdout);
  }

  /** Both streams, for failure messages. */
  String output() throws IOException {
    return "--- stdout ---\n" + Files.readString(stdout) + "--- stderr ---\n" + Files.readString(stderr);
  }

  /** Ends whatever is left, so that a failed test leaves no process behind either. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroyForcibly();
    process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    for (String left : processes.list()) {
      ProcessHandle.of(Long.parseLong(left.substring(0, left.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
