package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files of outputs: any valid output name works, whatever the locale; a planted link
 * never redirects a write; what a killed run left behind goes at the next run.
 */
@Timeout(120)  // child JVMs start slowly on a busy machine; the 10 s default is for in-process deadlocks
class TempFileSafetyTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** Writes {@code content} to the file {@code name} in the test directory. */
  record Named(String name, String content) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name));
    }

    public void run(TaskContext ctx) throws IOException {
      output().writeString(content);
    }
  }

  private static RunResult run(Task task) {
    return Sluice.builder().stateDir(dir.resolve(".sluice")).build().run(task);
  }

  @Test
  void outputWithA250ByteNameIsWritten() {
    String name = "n".repeat(246) + ".txt";

    RunResult result = run(new Named(name, "long"));

    assertThat(result.status(new Named(name, "long"))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.under(dir)).containsExactly(name);
  }

  @Test
  void outputWithALongMultiByteNameIsWritten() {
    String name = "\u00e9t\u00e9".repeat(49) + "\u20ac.txt";  // 245 + 3 + 4 = 252 bytes in UTF-8

    RunResult result = run(new Named(name, "summer"));

    assertThat(result.status(new Named(name, "summer"))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve(name))).isEqualTo("summer");
  }

  @Test
  void linksPlantedAtPredictableTempNamesDoNotRedirectTheWrite() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    long pid = ProcessHandle.current().pid();
    // The names earlier versions used: the PID and a per-process counter, all guessable.
    for (int n = 1; n <= 3000; n++) {
      Files.createSymbolicLink(dir.resolve(".result.txt.sluice-" + pid + "-" + n + ".tmp"), victim);
    }

    RunResult result = run(new Named("result.txt", "task output"));

    assertThat(result.status(new Named("result.txt", "task output"))).isEqualTo(TaskStatus.DONE);
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(dir.resolve("result.txt"))).isFalse();
    assertThat(Files.readString(dir.resolve("result.txt"))).isEqualTo("task output");
  }

  @Test
  void leftoversOfAKilledRunAreRemovedWhenTheTaskNextWrites() throws Exception {
    Process child = new ProcessBuilder(javaCommand("hang", dir.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      line = out.readLine();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(line).isEqualTo("writing");
    assertThat(TestFiles.under(dir)).as("the killed run's temporary file")
        .singleElement().asString().startsWith(".out.txt.sluice-" + child.pid() + "-");

    RunResult result = run(new Named("out.txt", "complete"));

    assertThat(result.status(new Named("out.txt", "complete"))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.under(dir)).containsExactly("out.txt");
  }

  /** An output named by a parameter, as given. */
  record NamedByParameter(String name) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir + "/" + name);
    }
  }

  @Test
  void anOutputNameHoldingANulOrAnEscapeFailsNamingItEscapedAndNotTheLocale() {
    RunResult result = run(new NamedByParameter("a\u001b[2Jb\u0000.txt"));

    assertThat(result.status(new NamedByParameter("a\u001b[2Jb\u0000.txt"))).isEqualTo(TaskStatus.FAILED);
    String reason = result.reasons().get(new NamedByParameter("a\u001b[2Jb\u0000.txt").id());
    assertThat(reason).contains("a\\u001b[2Jb\\u0000.txt").contains("cannot hold a NUL character")
        .doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("locale");
  }

  @Test
  void nonAsciiOutputInAJvmWithoutALocaleFailsNamingThePathAndTheFix() throws Exception {
    Result result = runChild(List.of());

    assumeThat(result.output()).as("the JVM is started without a UTF-8 locale").doesNotContain("written");
    assertThat(result.output()).contains("\\u00e9t\\u00e9.txt").contains("LC_ALL=C.UTF-8")
        .contains("sun.jnu.encoding");
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void launcherGivesTheJvmAUtf8LocaleWhenTheEnvironmentHasNone() throws Exception {
    Path launcher = Path.of("..", "bin", "sluice-java").toAbsolutePath().normalize();
    assumeThat(availableLocales()).as("a C.UTF-8 locale is installed").anyMatch(l -> l.equalsIgnoreCase("C.utf8")
        || l.equalsIgnoreCase("C.UTF-8"));

    Result result = runChild(List.of(launcher.toString()));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("written");
    assertThat(TestFiles.read(dir.resolve("\u00e9t\u00e9.txt"))).isEqualTo("summer");
  }

  @Test
  void aWriteTheSystemRefusesNamesTheOutputAndLeavesNothing() throws Exception {
    // A file size limit of 1 MiB (ulimit -f counts kilobytes): writing a second MiB fails as a
    // full disk does, with the system's words only ("File too large").
    List<String> java = javaCommand("too-large", dir.toString());
    Process process = new ProcessBuilder(concat(List.of("bash", "-c", "ulimit -f 1024 && exec \"$@\"", "bash"), java))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output).contains("1 failed").contains("IOException: writing " + dir.resolve("big.bin") + ": File too large");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no output, no temporary file").containsOnly(".sluice");
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private record Result(int exitCode, String output) {}

  /** Runs OutputChild non-ascii in a child JVM whose environment holds only PATH. */
  private static Result runChild(List<String> launcher) throws Exception {
    List<String> command = new ArrayList<>(javaCommand("non-ascii", dir.toString()));
    if (!launcher.isEmpty()) {
      command.set(0, launcher.get(0));  // the launcher finds java on PATH
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), OutputChild.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> availableLocales() throws Exception {
    try {
      Process process = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return out.lines().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
