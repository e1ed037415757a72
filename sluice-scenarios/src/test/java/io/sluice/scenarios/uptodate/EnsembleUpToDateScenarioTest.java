package io.sluice.scenarios.uptodate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly retraining of the ensemble under the fingerprint policy ({@code [core] up_to_date =
 * "fingerprint"} in sluice.toml), as a user runs it: real {@code sluice} processes in a fresh git
 * repository holding this repository's files, remote trainings on the embedded local backend.
 * After a full run, each change retrains exactly the work it affects, and {@code sluice status}
 * says why beforehand. The scenarios share one project (a first training takes minutes) but not
 * an order: each starts from a state it makes itself (all built, or nothing built) and changes
 * what it changes relative to what it finds, so any one of them can run alone or in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class EnsembleUpToDateScenarioTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern HEADING = Pattern.compile("^\\* \\d+ (.+):$");
  private static final Pattern FAMILY = Pattern.compile("^\\s+- (?:\\d+ )?(\\w+)\\(");
  private static final String RAN = "ran successfully";
  private static final String COMPLETE = "complete already";

  @TempDir
  static Path project;

  @TempDir
  static Path work;

  @BeforeAll
  void copyTheRepositoryIntoAFreshGitRepositoryWithSmallModels() throws Exception {
    assumeThat(REPOSITORY.resolve(".git")).as("the repository under test is a git work tree").exists();
    assumeThat(command(REPOSITORY, "mvn", "--version").exitCode()).as("Maven, which builds the snapshots").isZero();
    Result files = command(REPOSITORY, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard");
    assertThat(files.exitCode()).as(files.output()).isZero();
    for (String file : files.output().split("\0")) {
      Path source = REPOSITORY.resolve(file);
      if (file.isEmpty() || !Files.isRegularFile(source)) {
        continue;
      }
      Path copy = project.resolve(file);
      Files.createDirectories(copy.getParent());
      Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
    }
    assertThat(Files.readString(project.resolve("sluice.toml"))).contains("up_to_date = \"fingerprint\"");
    Files.writeString(project.resolve("sluice.toml"), "\n[local]\nwork_dir = \"" + work + "\"\n\n"
        + "[FitForest]\ntrees = 40\n\n[FitBoosting]\nrounds = 30\n\n[FitNeuralNet]\nepochs = 80\n",
        StandardOpenOption.APPEND);
    git("init", "-q");
    commit("the repository under test, small models");
  }

  @Test
  @Order(1)
  void firstRunTrainsEverything() throws Exception {
    nothingBuilt();

    Result run = sluice("run", "ScoreReport");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.statuses()).containsAllEntriesOf(Map.of("CleanData", RAN, "ExtractFeatures", RAN,
        "TrainForest", RAN, "TrainBoosting", RAN, "TrainNeuralNet", RAN, "CombineModels", RAN, "ScoreReport", RAN));
    assertThat(sluice("status", "ScoreReport").output()).contains("ScoreReport() is up to date: a run would do nothing.");
  }

  @Test
  @Order(2)
  void changedHyperParameterRetrainsOnlyThatModelTheEnsembleAndTheReport() throws Exception {
    everythingBuilt();
    String rounds = Files.readString(project.resolve("sluice.toml")).contains("rounds = 30") ? "30" : "20";
    String other = rounds.equals("30") ? "20" : "30";
    replace("sluice.toml", "rounds = " + rounds, "rounds = " + other);
    commit("other boosting rounds");

    Result status = sluice("status", "ScoreReport");
    assertThat(status.output()).contains("3 tasks would run for ScoreReport():")
        .contains("  TrainBoosting(): parameter rounds " + rounds + " -> " + other)
        .contains("  CombineModels(): upstream TrainBoosting() will run")
        .contains("  ScoreReport(): upstream CombineModels() will run");

    Result run = sluice("run", "ScoreReport");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(ran(run)).containsExactlyInAnyOrder("TrainBoosting", "CombineModels", "ScoreReport");
    assertThat(run.output()).contains("TrainBoosting(): parameter rounds " + rounds + " -> " + other);
  }

  @Test
  @Order(3)
  void committedChangeToTheNetworkScriptRetrainsOnlyTheNetworkAndWhatFollows() throws Exception {
    everythingBuilt();
    Files.writeString(project.resolve("sluice-examples/src/main/python/mlp.py"), "\n# a change to the network\n",
        StandardOpenOption.APPEND);
    commit("a change to the network");

    assertThat(sluice("status", "ScoreReport").output())
        .contains("  TrainNeuralNet(): code changed (sluice-examples/src/main/python/mlp.py)");
    Result run = sluice("run", "ScoreReport");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(ran(run)).containsExactlyInAnyOrder("TrainNeuralNet", "CombineModels", "ScoreReport");
  }

  @Test
  @Order(4)
  void uncommittedEditToTheNetworkScriptRetrainsNothingSinceTheRemoteSideRunsTheCommit() throws Exception {
    everythingBuilt();
    Path script = project.resolve("sluice-examples/src/main/python/mlp.py");
    String committed = Files.readString(script);
    Files.writeString(script, "\n# an edit not committed\n", StandardOpenOption.APPEND);
    try {
      Result status = sluice("status", "ScoreReport");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.output()).contains("ScoreReport() is up to date: a run would do nothing.");
    } finally {
      Files.writeString(script, committed);
    }
  }

  @Test
  @Order(5)
  void touchedFileWithTheSameContentRetrainsNothing() throws Exception {
    everythingBuilt();
    Files.setLastModifiedTime(project.resolve("data/penguins_raw.csv"), FileTime.from(Instant.now()));
    Files.setLastModifiedTime(project.resolve("sluice-examples/src/main/python/mlp.py"), FileTime.from(Instant.now()));

    Result run = sluice("run", "ScoreReport");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("Nothing to do");
    assertThat(ran(run)).isEmpty();
  }

  @Test
  @Order(6)
  void newRawDataRetrainsEverything() throws Exception {
    everythingBuilt();
    String measured = Files.readString(project.resolve("data/penguins_raw.csv")).contains("39.1,18.7,181,3750")
        ? "39.1" : "39.2";
    replace("data/penguins_raw.csv", measured + ",18.7,181,3750",
        (measured.equals("39.1") ? "39.2" : "39.1") + ",18.7,181,3750");
    commit("a corrected measurement");

    assertThat(sluice("status", "ScoreReport").output()).contains("  CleanData(): input data/penguins_raw.csv changed");
    Result run = sluice("run", "ScoreReport");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(ran(run)).containsExactlyInAnyOrder("CleanData", "ExtractFeatures", "TrainForest", "TrainBoosting",
        "TrainNeuralNet", "CombineModels", "ScoreReport");
  }

  /** The state every scenario but the first starts from: a run made, everything built and up to date. */
  private static void everythingBuilt() throws IOException, InterruptedException {
    Result run = sluice("run", "ScoreReport");
    assertThat(run.exitCode()).as(run.output()).isZero();
    Result status = sluice("status", "ScoreReport");
    assertThat(status.output()).as("after a run").contains("ScoreReport() is up to date: a run would do nothing.");
  }

  /** The state of a fresh clone: none of the pipeline's outputs, no fingerprint recorded. */
  private static void nothingBuilt() throws IOException {
    for (String built : List.of("penguin_pipeline", "ensemble_pipeline", ".sluice/fingerprints")) {
      deleteTree(project.resolve(built));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void replace(String file, String from, String to) throws IOException {
    Path path = project.resolve(file);
    String text = Files.readString(path);
    assertThat(text).as(file).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  private static List<String> ran(Result run) {
    return run.statuses().entrySet().stream().filter(e -> e.getValue().equals(RAN)).map(Map.Entry::getKey).toList();
  }

  private static void commit(String message) throws IOException, InterruptedException {
    git("add", "-A");
    git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", message);
  }

  /** Runs the sluice command line in the project, as a process of its own. */
  private static Result sluice(String... args) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, "io.sluice.cli.Main"));
    command.addAll(List.of(args));
    if (args[0].equals("run")) {
      command.addAll(List.of("--workers", "3", "--no-progress"));
    }
    return run(project, Duration.ofMinutes(8), command);
  }

  private static String git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Result result = run(project, Duration.ofMinutes(1), command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  private static Result command(Path directory, String... command) throws IOException, InterruptedException {
    try {
      return run(directory, Duration.ofMinutes(1), List.of(command));
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
  }

  private static Result run(Path directory, Duration limit, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "command-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " took over " + limit + ":\n" + Files.readString(log));
      }
      try (InputStream in = Files.newInputStream(log)) {
        return new Result(process.exitValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The exit code and output of a command. */
  private record Result(int exitCode, String output) {

    /** Each task family's status, from the execution summary's "* N status:" and "- N Family(...)" lines. */
    Map<String, String> statuses() {
      Map<String, String> statuses = new LinkedHashMap<>();
      String status = null;
      for (String line : output.lines().toList()) {
        Matcher heading = HEADING.matcher(line);
        Matcher family = FAMILY.matcher(line);
        if (heading.matches()) {
          status = heading.group(1);
        } else if (!line.startsWith(" ")) {
          status = null;
        } else if (status != null && family.find()) {
          statuses.put(family.group(1), status);
        }
      }
      return statuses;
    }
  }
}
