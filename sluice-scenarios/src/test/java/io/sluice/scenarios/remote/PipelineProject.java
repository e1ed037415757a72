package io.sluice.scenarios.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * A git repository holding a single-file pipeline whose tasks use remote runs, and runs of it as
 * real {@code java Pipeline.java TASK} processes started in the repository, as a user would.
 */
final class PipelineProject implements AutoCloseable {

  /** How long one run of the pipeline may take before the scenario fails. */
  private static final long RUN_LIMIT_SECONDS = 120;

  /**
   * The pipeline. {@code MARKER} tells which version of the code ran: the remote side writes it
   * into the output it produces.
   */
  private static final String PIPELINE = """
      import io.sluice.LocalTarget;
      import io.sluice.Task;
      import io.sluice.TaskContext;
      import io.sluice.cli.Cli;
      import io.sluice.remote.RemoteRun;
      import java.io.IOException;
      import java.util.List;

      public class Pipeline {
        static final String MARKER = "%s";

        public static void main(String[] a) {
          Cli.run(a, Pipeline.class);
        }

        static RemoteRun produceRemotely() {
          return RemoteRun.of(List.of("Pipeline.java", "Produce")).tier("Small").output("out/produced.txt");
        }

        /** What the remote side runs. */
        public record Produce() implements Task {
          public LocalTarget output() {
            return LocalTarget.of("out/produced.txt");
          }

          public void run(TaskContext context) throws IOException {
            try (var out = output().openWriter()) {
              out.write("produced by " + MARKER + "\\n");
            }
          }
        }

        public record Consume() implements Task {
          public List<Task> requires() {
            return List.of(produceRemotely());
          }

          public LocalTarget output() {
            return LocalTarget.of("out/consumed.txt");
          }

          public void run(TaskContext context) throws IOException {
            LocalTarget produced = context.input();
            try (var out = output().openWriter()) {
              out.write(produced.readString() + "consumed by " + MARKER + "\\n");
            }
          }
        }

        public record ProduceAt(String commit) implements Task {
          public List<Task> requires() {
            return List.of(produceRemotely().atCommit(commit));
          }
        }

        /** A local task, independent of the remote run beside it: it runs first with one worker. */
        public record Prepare() implements Task {
          public LocalTarget output() {
            return LocalTarget.of("prepared/marker.txt");
          }

          public void run(TaskContext context) throws IOException {
            try (var out = output().openWriter()) {
              out.write("prepared\\n");
            }
          }
        }

        public record PrepareThenProduce(String tier) implements Task {
          public List<Task> requires() {
            return List.of(new Prepare(), produceRemotely().tier(tier));
          }
        }

        public record Fail() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of("sh", "-c", "echo preparing; echo 'disk on fire' >&2; exit 7"))
                .tier("Small").output("out/never.txt"));
          }
        }

        public record Escape() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of("sh", "-c", "echo escaped > ../outside.txt"))
                .tier("Small").output("../outside.txt"));
          }
        }

        public record Sleep() implements Task {
          public List<Task> requires() {
            return List.of(RemoteRun.of(List.of("sh", "-c", "sleep 300 & echo $! > sleeper.pid; wait"))
                .tier("Small").output("out/slept.txt"));
          }
        }
      }
      """;

  private static final String SETTINGS = """
      [remote]
      poll_interval = "100ms"

      [local]
      work_dir = "../local-work"   # beside the repository, inside the test's directory

      [tiers.Small]
      cpus = 1
      memory = "1g"
      max_parallel = 2
      """;

  private final Path root;
  private final Path home;
  private final Git git;

  private PipelineProject(Path root, Path home, Git git) {
    this.root = root;
    this.home = home;
    this.git = git;
  }

  /**
   * A repository with the pipeline (of that marker) and its settings in {@code directory} (empty
   * for the repository's root), committed.
   */
  static PipelineProject create(Path root, String directory, String marker) throws IOException, GitAPIException {
    Path home = root.resolve(directory);
    Files.createDirectories(home);
    PipelineProject project = new PipelineProject(root, home, Git.init().setDirectory(root.toFile())
        .setInitialBranch("main").call());
    project.write("sluice.toml", SETTINGS);
    Files.writeString(root.resolve(".gitignore"), ".sluice/\nout/\n");
    project.setMarker(marker);
    project.commit("Pipeline with marker " + marker);
    return project;
  }

  /** Where the pipeline and its settings are, and its runs start. */
  Path home() {
    return home;
  }

  Git git() {
    return git;
  }

  /** Changes the pipeline's code, in the working tree only. */
  void setMarker(String marker) throws IOException {
    write("Pipeline.java", PIPELINE.formatted(marker));
  }

  private void write(String path, String content) throws IOException {
    Files.writeString(home.resolve(path), content);
  }

  /** Commits every change; returns the commit id. */
  String commit(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor("scenario", "scenario@example.com")
        .setCommitter("scenario", "scenario@example.com").setSign(false).call().name();
  }

  /** The run directories the local backend made in its work directory ({@code [local] work_dir}). */
  List<Path> runDirectories() throws IOException {
    Path work = root.resolve("../local-work").normalize();
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.walk(work, 3)) {
      return dirs.filter(d -> d.getParent() != null && d.getParent().getFileName().toString().equals("runs")
          && Files.isDirectory(d)).sorted().toList();
    }
  }

  /** Runs {@code java Pipeline.java ARGS} to its end. */
  Result run(String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile(root.getParent(), "pipeline-", ".log");
    Process process = start(log, args);
    if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("java Pipeline.java " + String.join(" ", args) + " did not end in "
          + RUN_LIMIT_SECONDS + " s; its output:\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  /**
   * Starts {@code java Pipeline.java ARGS} where the pipeline is, with this JVM's classpath
   * (which holds Sluice), stdout and stderr to {@code log}.
   */
  Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a short-lived command: start fast rather than run fast
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        "Pipeline.java"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  @Override
  public void close() {
    git.close();
  }

  /** How a run of the pipeline ended: its exit code and everything it printed. */
  record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit code " + exitCode + ", output:\n" + output;
    }
  }
}
