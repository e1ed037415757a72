package io.sluice.scenarios.domino;

import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.domino.emulator.DominoEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh clone of this repository with one more committed file (a single-file pipeline for the
 * scenarios the examples do not cover), an emulator serving the project its sluice.toml names,
 * and {@code sluice} runs in the clone as processes of their own, as a user starts them.
 */
final class DominoProject implements AutoCloseable {

  /** This repository: the scenarios module's parent. */
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path SLUICE_JAR = REPOSITORY.resolve("sluice-cli/target/sluice.jar");

  static final String PIPELINE = """
      import io.sluice.Task;
      import io.sluice.cli.Cli;
      import io.sluice.remote.RemoteRun;
      import java.util.List;

      public final class DominoScenarios {
        public static void main(String[] args) {
          Cli.run(args, DominoScenarios.class);
        }

        /** A remote run that goes on until it is stopped. */
        public record Nap() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of("sh", "-c", "echo napping; sleep 600; date > nap.txt"))
                .tier("Small").output("nap.txt"));
          }
        }

        /** A remote run whose command fails. */
        public record Fail() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of("sh", "-c", "echo preparing; echo 'disk on fire' >&2; exit 7"))
                .tier("Small").output("never.txt"));
          }
        }

        /** The hello world's driver itself as a Domino run: it starts its remote run as a sibling. */
        public record HelloWorldInDomino() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of(
                    "sluice-examples/src/main/java/io/sluice/examples/hello/HelloPipeline.java",
                    "HelloWorld", "--backend", "domino", "--no-progress"))
                .tier("Small").output("hello_world_pipeline/hello_world.txt"));
          }
        }
      }
      """;

  final Path root;
  final DominoEmulator emulator;

  private DominoProject(Path root, DominoEmulator emulator) {
    this.root = root;
    this.emulator = emulator;
  }

  /** Clones the repository into {@code dir}/repo and starts an emulator with its data in {@code dir}/emulator. */
  static DominoProject create(Path dir) throws Exception {
    assumeThat(SLUICE_JAR).as("the distribution jar, built by 'mvn verify' (package phase)").exists();
    assumeThat(REPOSITORY.resolve("sluice-examples/target/classes")).as("the examples, built").exists();
    Path root = dir.resolve("repo");
    run(dir, List.of("git", "clone", "-q", REPOSITORY.toString(), root.toString()));
    Files.writeString(root.resolve("DominoScenarios.java"), PIPELINE);
    run(root, List.of("git", "add", "DominoScenarios.java"));
    run(root, List.of("git", "-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m",
        "Domino scenarios"));
    DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().port(0)
        .dataDir(dir.resolve("emulator")));
    return new DominoProject(root, emulator);
  }

  /** {@code bin/sluice ARGS --no-progress} in the clone, in a session of its own. */
  Process sluice(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(REPOSITORY.resolve("bin/sluice").toString()));
    command.addAll(List.of(args));
    command.add("--no-progress");
    return start(name, command);
  }

  /** {@code java -cp sluice.jar DominoScenarios.java ARGS --no-progress} in the clone. */
  Process pipeline(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", SLUICE_JAR.toString(), "DominoScenarios.java"));
    command.addAll(List.of(args));
    command.add("--no-progress");
    return start(name, command);
  }

  private Process start(String name, List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("setsid", "env", "--default-signal=INT,TERM"));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log(name).toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("DOMINO_"));
    builder.environment().put("DOMINO_API_HOST", emulator.url().toString());
    builder.environment().put("DOMINO_USER_API_KEY", emulator.apiKey());
    return builder.start();
  }

  Path log(String name) {
    return root.getParent().resolve(name + ".log");
  }

  String output(String name) throws IOException {
    return Files.readString(log(name), StandardCharsets.UTF_8);
  }

  /** Waits for the process to end, failing with its output after {@code limit}. */
  String finish(Process process, String name, Duration limit) throws Exception {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).start().waitFor();
      fail("sluice took over " + limit + ":\n" + output(name));
    }
    return output(name);
  }

  /** Waits until the output holds {@code text}, failing after {@code limit}. */
  void awaitOutput(Process process, String name, String text, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!output(name).contains(text)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).start().waitFor();
        fail("never saw '" + text + "':\n" + output(name));
      }
      Thread.sleep(100);
    }
  }

  /** Sends SIGINT to the process group, as Ctrl-C in a terminal does. */
  static void interrupt(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).redirectErrorStream(true).start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -INT failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void run(Path directory, List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail(String.join(" ", command) + " failed:\n" + output);
    }
  }

  @Override
  public void close() {
    emulator.close();
  }
}
