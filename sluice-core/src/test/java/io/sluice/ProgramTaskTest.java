package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program in any language runs as a task; its output is atomic, its chatter goes to the log. */
class ProgramTaskTest {

  static Path dir;
  static final AtomicReference<Path> logFile = new AtomicReference<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    logFile.set(null);
  }

  /** Runs {@code sh -c script}, writing {@code name}; the script finds its output in $SLUICE_OUTPUT. */
  record Shell(String name, String script, List<Shell> deps) implements ProgramTask {
    Shell(String name, String script) {
      this(name, script, List.of());
    }

    public List<Shell> requires() {
      return deps;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public List<String> command(TaskContext ctx) {
      logFile.set(ctx.logFile());
      return List.of("sh", "-c", script);
    }

    public Map<String, String> environment() {
      return Map.of("GREETING", "hello from the environment");
    }

    public Path workingDirectory() {
      return dir;
    }
  }

  /** Hands the program its temporary output path as an argument. */
  record Python() implements ProgramTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("python.txt"));
    }

    public List<String> command(TaskContext ctx) throws Exception {
      return List.of("python3", "-c", "import sys; open(sys.argv[1], 'w').write('made by python')",
          output().writePath().toString());
    }
  }

  /** Starts a grandchild that would outlive it, then hangs past its timeout. */
  record Hangs() implements ProgramTask {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("hangs.txt"));
    }

    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofSeconds(1));
    }

    public List<String> command(TaskContext ctx) {
      return List.of("sh", "-c", "sleep 60 & echo $! > '" + dir.resolve("grandchild.pid") + "'; wait");
    }
  }

  private static RunResult run(Task... roots) {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build().run(roots);
  }

  @Test
  void programWritesItsOutputThroughSluiceOutput() {
    Shell shell = new Shell("out.txt", "printf 'made by sh' > \"$SLUICE_OUTPUT\"");

    RunResult result = run(shell);

    assertThat(result.status(shell)).as(result.summary()).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("out.txt"))).isEqualTo("made by sh");
    assertThat(TestFiles.under(dir)).containsExactly("out.txt");
  }

  @Test
  void programWritesItsOutputThroughWritePath() {
    RunResult result = run(new Python());

    assertThat(result.status(new Python())).as(result.summary()).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("python.txt"))).isEqualTo("made by python");
  }

  @Test
  void programReadsItsInputsFromSluiceInputs() {
    Shell upstream = new Shell("in.txt", "printf 'upstream data' > \"$SLUICE_OUTPUT\"");
    Shell downstream = new Shell("copy.txt", "cat \"$SLUICE_INPUTS\" > \"$SLUICE_OUTPUT\"", List.of(upstream));

    run(downstream);

    assertThat(TestFiles.read(dir.resolve("copy.txt"))).isEqualTo("upstream data");
  }

  @Test
  void programGetsItsEnvironmentAndWorkingDirectory() {
    Shell shell = new Shell("env.txt", "printf '%s in %s' \"$GREETING\" \"$(pwd -P)\" > \"$SLUICE_OUTPUT\"");

    run(shell);

    assertThat(TestFiles.read(dir.resolve("env.txt")))
        .isEqualTo("hello from the environment in " + TestFiles.realPath(dir));
  }

  @Test
  void stdoutAndStderrGoToTheTaskLogFile() throws Exception {
    Shell shell = new Shell("logged.txt",
        "echo 'to stdout'; echo 'to stderr' >&2; printf done > \"$SLUICE_OUTPUT\"");

    run(shell);

    assertThat(logFile.get()).startsWith(dir.resolve(".sluice"));
    assertThat(Files.readAllLines(logFile.get())).contains("to stdout", "to stderr");
  }

  @Test
  void nonZeroExitFailsWithTheLastLinesOfStderrAndLeavesNoOutput() {
    Shell shell = new Shell("failed.txt", "printf partial > \"$SLUICE_OUTPUT\"; "
        + "i=1; while [ $i -le 30 ]; do echo \"problem $i\" >&2; i=$((i+1)); done; exit 3");

    RunResult result = run(shell);

    assertThat(result.status(shell)).isEqualTo(TaskStatus.FAILED);
    String reason = result.reasons().get(shell.id());
    assertThat(reason).contains("sh exited with code 3").contains("problem 11").contains("problem 30")
        .doesNotContain("problem 10\n").contains(logFile.get().toString());
    assertThat(result.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void missingProgramFailsTheTaskSayingSo() {
    record Missing() implements ProgramTask {
      public LocalTarget output() {
        return LocalTarget.of(dir.resolve("never.txt"));
      }

      public List<String> command(TaskContext ctx) {
        return List.of("no-such-program-anywhere");
      }
    }

    RunResult result = run(new Missing());

    assertThat(result.reasons().get(new Missing().id())).contains("cannot start no-such-program-anywhere");
  }

  @Test
  void timeoutKillsTheProgramAndWhatItStarted() throws Exception {
    RunResult result = run(new Hangs());

    assertThat(result.reasons().get(new Hangs().id())).contains("timed out");
    long pid = Long.parseLong(TestFiles.read(dir.resolve("grandchild.pid")).strip());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void whatTheProgramLeftRunningInTheBackgroundEndsWithIt() throws Exception {
    Shell shell = new Shell("left.txt", "(sleep 300 > /dev/null 2>&1 & echo $! > '" + dir.resolve("left.pid") + "');"
        + " printf done > \"$SLUICE_OUTPUT\"");

    RunResult result = run(shell);

    assertThat(result.status(shell)).as(result.summary()).isEqualTo(TaskStatus.DONE);
    long pid = Long.parseLong(TestFiles.read(dir.resolve("left.pid")).strip());
    assertThat(running(pid)).isFalse();
  }

  /** Whether the process runs: a zombie (dead, its new parent init has not reaped it yet) does not. */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    String fields;
    try {
      fields = Files.readString(stat);
    } catch (NoSuchFileException reaped) {
      return false;
    }
    return !fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z");
  }
}
