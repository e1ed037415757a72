package io.sluice.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's hello world from a fresh git repository holding the single-file pipeline, run
 * the way a user runs it: {@code java -cp sluice.jar HelloPipeline.java HelloWorld}, with the
 * distribution jar the build produces ({@code mvn verify} builds it before these tests).
 */
class HelloWorldTest {

  private static final Path SLUICE_JAR = Path.of("..", "sluice-cli", "target", "sluice.jar").toAbsolutePath();
  private static final Path SOURCE = Path.of("src", "main", "java", "io", "sluice", "examples", "hello",
      "HelloPipeline.java");

  @TempDir
  Path project;

  @TempDir
  Path work;

  @BeforeEach
  void makeRepository() throws Exception {
    assumeThat(SLUICE_JAR).as("the distribution jar, built by 'mvn verify' (package phase)").exists();
    Path file = project.resolve(HelloPipeline.SOURCE);
    Files.createDirectories(file.getParent());
    Files.copy(SOURCE, file);
    Files.writeString(project.resolve("sluice.toml"), """
        [remote]
        poll_interval = "100ms"
        [tiers.Small]
        cpus = 1
        memory = "1g"
        max_parallel = 2
        [local]
        work_dir = "%s"
        """.formatted(work));
    Files.writeString(project.resolve(".gitignore"), "hello_world_pipeline/\n.sluice/\n*.log\n");
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "hello world");
  }

  @Test
  void helloRunsRemotelyAndHelloWorldLocallyAndASecondRunDoesNothing() throws Exception {
    Run first = sluice("HelloWorld");

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(project.resolve("hello_world_pipeline/hello.txt")).hasContent("hello");
    assertThat(project.resolve("hello_world_pipeline/hello_world.txt")).hasContent("hello\nworld");
    assertThat(first.output())
        .contains("running (local run")
        .contains("succeeded (local run")
        .contains("tier Small")
        .contains("[Hello@local:");
    // The remote side ran Hello itself, in its own workspace.
    try (var runs = Files.walk(work, 3)) {
      Path run = runs.filter(d -> d.getParent().getFileName().toString().equals("runs")).findFirst().orElseThrow();
      assertThat(run.resolve("workspace/hello_world_pipeline/hello.txt")).hasContent("hello");
    }

    Run second = sluice("HelloWorld");
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("Nothing to do");
  }

  private record Run(int exitCode, String output) {}

  private Run sluice(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", SLUICE_JAR.toString(), HelloPipeline.SOURCE));
    command.addAll(List.of(args));
    command.add("--no-progress");
    Path log = Files.createTempFile("hello-", ".log");
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("sluice " + String.join(" ", args) + " took over 120 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Run(process.exitValue(), output);
  }

  private void git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }
}
