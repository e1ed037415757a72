package io.sluice.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.examples.SlurmCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello world with {@code --backend slurm}, from a fresh git repository, the way a user runs
 * it ({@code java -cp sluice.jar HelloPipeline.java HelloWorld --backend slurm}), against the
 * real cluster that {@code sudo scripts/slurm-local.sh up} starts. Without a cluster it is
 * skipped, saying so; with {@code CI=true} it fails instead.
 */
class HelloWorldOnSlurmTest {

  private static final Path SLUICE_JAR = Path.of("..", "sluice-cli", "target", "sluice.jar").toAbsolutePath();
  private static final Path SOURCE = Path.of("src", "main", "java", "io", "sluice", "examples", "hello",
      "HelloPipeline.java");
  private static final Pattern JOB = Pattern.compile("slurm run (\\d+)");

  @TempDir
  Path project;

  @BeforeEach
  void makeRepository() throws Exception {
    SlurmCluster.require("the hello world on Slurm");
    assumeThat(SLUICE_JAR).as("the distribution jar, built by 'mvn verify' (package phase)").exists();
    Path file = project.resolve(HelloPipeline.SOURCE);
    Files.createDirectories(file.getParent());
    Files.copy(SOURCE, file);
    Files.writeString(project.resolve("SleepPipeline.java"), """
        import io.sluice.LocalTarget;
        import io.sluice.Task;
        import io.sluice.TaskContext;
        import io.sluice.cli.Cli;
        import io.sluice.remote.RemoteRun;
        import java.util.List;

        public final class SleepPipeline {
          public static void main(String[] args) {
            Cli.run(args, SleepPipeline.class);
          }

          public record Nap() implements Task {
            public List<Task> requires() {
              return List.of(RemoteRun.of(List.of("sh", "-c", "sleep 600 && date > nap.txt")).output("nap.txt"));
            }

            public LocalTarget output() {
              return LocalTarget.of("rested.txt");
            }

            public void run(TaskContext context) {
            }
          }
        }
        """);
    Files.writeString(project.resolve("sluice.toml"), """
        [remote]
        poll_interval = "100ms"
        [tiers.Small]
        cpus = 1
        memory = "1g"
        [tiers.Small.slurm]
        partition = "small"
        """);
    Files.writeString(project.resolve(".gitignore"), "hello_world_pipeline/\n.sluice/\n*.log\n*.txt\n");
    runHere(List.of("git", "init", "-q"));
    runHere(List.of("git", "add", "-A"));
    runHere(List.of("git", "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "hello"));
  }

  @Test
  void helloRunsAsASlurmJobAndItsOutputComesBack() throws Exception {
    Process process = sluice(HelloPipeline.SOURCE, "HelloWorld", "--backend", "slurm");
    String output = finish(process, 180);

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(project.resolve("hello_world_pipeline/hello.txt")).hasContent("hello");
    assertThat(project.resolve("hello_world_pipeline/hello_world.txt")).hasContent("hello\nworld");
    assertThat(output).contains("submitted (slurm run").contains("succeeded (slurm run").contains("[Hello@slurm:");
    String job = jobOf(output);
    assertThat(run(List.of("squeue", "-h", "-t", "all", "-j", job, "-o", "%T|%P|%j")).strip())
        .isEqualTo("COMPLETED|small|sluice-HelloPipeline-Hello");
    try (var runs = Files.list(project.resolve(".sluice/slurm-runs"))) {
      Path runDir = runs.findFirst().orElseThrow();
      assertThat(runDir.resolve("workspace/hello_world_pipeline/hello.txt")).hasContent("hello");
    }
  }

  @Test
  void stoppingSluiceCancelsItsSlurmJob() throws Exception {
    Process process = sluice("SleepPipeline.java", "Nap", "--backend", "slurm");
    Path log = project.resolve("sluice-output.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("running (slurm run")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        fail("the remote run never ran:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }

    process.destroy(); // SIGTERM, like Ctrl-C
    String output = finish(process, 60);

    assertThat(process.exitValue()).as(output).isEqualTo(130);
    String job = jobOf(output);
    assertThat(run(List.of("squeue", "-h", "-t", "all", "-j", job, "-o", "%T")).strip()).isEqualTo("CANCELLED");
  }

  private Process sluice(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", SLUICE_JAR.toString()));
    command.addAll(List.of(args));
    command.add("--no-progress");
    return new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(project.resolve("sluice-output.log").toFile()).start();
  }

  private String finish(Process process, int seconds) throws IOException, InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("sluice took over " + seconds + " s:\n" + Files.readString(project.resolve("sluice-output.log")));
    }
    return Files.readString(project.resolve("sluice-output.log"), StandardCharsets.UTF_8);
  }

  private static String jobOf(String output) {
    Matcher matcher = JOB.matcher(output);
    assertThat(matcher.find()).as("a Slurm job id in:\n" + output).isTrue();
    return matcher.group(1);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    return run(command, null);
  }

  private String runHere(List<String> command) throws IOException, InterruptedException {
    return run(command, project);
  }

  private static String run(List<String> command, Path directory) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }
}
