package io.sluice.examples.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.examples.SlurmCluster;
import io.sluice.examples.Summaries;
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
import java.util.Locale;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The ensemble pipeline end to end, as a user runs it: {@code sluice run ScoreReport --workers 3}
 * in a fresh git repository holding this repository's files (tracked and new ones), on the
 * embedded local backend. The three trainings are remote runs, so the first run also builds
 * the snapshot once ({@code [remote] build} of sluice.toml). Smaller models keep it quick; their
 * parameters reach the remote side on its command line. The scenarios follow each other on the
 * same project.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class EnsemblePipelineTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> SMALL_MODELS = List.of(
      "--FitForest-trees", "40", "--FitBoosting-rounds", "30", "--FitNeuralNet-epochs", "80");
  private static final List<String> MODELS = List.of("forest", "boosting", "neural_net");
  private static final List<String> MODEL_FILES = List.of("forest.zip", "boosting.zip", "neural_net.zip");

  @TempDir
  static Path project;

  @TempDir
  static Path work;

  @BeforeAll
  void copyTheRepositoryIntoAFreshGitRepository() throws Exception {
    assumeThat(REPOSITORY.resolve(".git")).as("the repository under test is a git work tree").exists();
    assumeThat(command(REPOSITORY, "mvn", "--version").exitCode())
        .as("Maven, which builds the snapshot for the remote runs").isZero();
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
    Files.writeString(project.resolve("sluice.toml"), "\n[local]\nwork_dir = \"" + work + "\"\n",
        StandardOpenOption.APPEND);
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "the repository under test");
  }

  @Test
  @Order(1)
  void firstRunTrainsTheThreeModelsRemotelyAtTheSameTimeAndScoresThem() throws Exception {
    Result run = sluice("--report", "ensemble_pipeline/run.html");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.statuses()).containsAllEntriesOf(Map.of(
        "TrainForest", "ran successfully",
        "TrainBoosting", "ran successfully",
        "TrainNeuralNet", "ran successfully",
        "CombineModels", "ran successfully",
        "ScoreReport", "ran successfully"));
    assertThat(run.output())
        .contains("Building the snapshot of commit")
        .contains("tier Large, commit", "tier Small, commit", "tier GPU, commit")
        .contains("[FitForest@local:", "[FitBoosting@local:", "[FitNeuralNet@local:");

    String head = git("rev-parse", "HEAD").strip();
    List<Map<String, String>> trainings = csv(pipeline("trainings.csv"));
    assertThat(trainings).extracting(t -> t.get("model")).containsExactlyElementsOf(MODELS);
    assertThat(trainings).extracting(t -> t.get("tier")).containsExactly("Large", "Small", "GPU");
    assertThat(trainings).allSatisfy(t -> assertThat(t.get("commit")).isEqualTo(head));
    // The parameters given here reached the remote side.
    assertThat(trainings.get(0).get("trainer")).contains("numMembers=40");
    assertThat(trainings.get(1).get("trainer")).contains("numMembers=30");
    assertThat(trainings.get(2).get("trainer")).contains("epochs=80");
    for (int i = 0; i < MODELS.size(); i++) {
      Path remoteWorkspace = runsDir().resolve(trainings.get(i).get("run_id")).resolve("workspace");
      assertThat(remoteWorkspace.resolve("ensemble_pipeline").resolve(MODEL_FILES.get(i)))
          .as("the model file the remote run wrote in its own workspace").hasSameBinaryContentAs(pipeline(MODEL_FILES.get(i)));
    }

    // All three remote processes were running at once: each started before any finished training.
    Instant lastStart = trainings.stream().map(t -> Instant.parse(t.get("process_started"))).max(Instant::compareTo)
        .orElseThrow();
    Instant firstEnd = trainings.stream().map(t -> Instant.parse(t.get("training_finished"))).min(Instant::compareTo)
        .orElseThrow();
    assertThat(lastStart).as("the trainings overlapped: %s", trainings).isBefore(firstEnd);
    assertThat(Files.readString(pipeline("score_report.md"))).contains("ran at the same time");

    String html = Files.readString(pipeline("score_report.html"));
    assertThat(html).contains("<svg").doesNotContain("<script", "src=", "href=", "http://", "https://");
    assertThat(pipeline("run.html")).content().contains("TrainForest()", "TrainBoosting()", "TrainNeuralNet()");
  }

  @Test
  @Order(2)
  void secondRunFindsNothingToDo() throws Exception {
    Map<String, FileTime> before = modified();

    Result again = sluice();

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("Nothing to do");
    // Under the fingerprint policy every task is checked, and found complete.
    assertThat(again.statuses()).containsEntry("ScoreReport", "complete already")
        .allSatisfy((family, status) -> assertThat(status).as(family).isEqualTo("complete already"));
    assertThat(modified()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void removingOneModelRetrainsOnlyThatModelAndWhatDependsOnIt() throws Exception {
    Map<String, FileTime> before = modified();
    Files.delete(pipeline("boosting.zip"));

    Result rerun = sluice();

    assertThat(rerun.exitCode()).as(rerun.output()).isZero();
    assertThat(rerun.statuses()).containsOnly(
        Map.entry("TrainBoosting", "ran successfully"),
        Map.entry("CombineModels", "ran successfully"),
        Map.entry("ScoreReport", "ran successfully"),
        Map.entry("TrainForest", "complete already"),
        Map.entry("TrainNeuralNet", "complete already"),
        Map.entry("ExtractFeatures", "complete already"),
        Map.entry("CleanData", "complete already"),
        Map.entry("RawPenguins", "complete already"));
    assertThat(rerun.output()).as("the snapshot of this commit was built once").doesNotContain("Building the snapshot");
    Map<String, FileTime> after = modified();
    assertThat(after.get("forest.zip")).isEqualTo(before.get("forest.zip"));
    assertThat(after.get("neural_net.zip")).isEqualTo(before.get("neural_net.zip"));
    for (String output : List.of("boosting.zip", "predictions.csv", "score_report.md")) {
      assertThat(after.get(output)).as(output).isGreaterThan(before.get(output));
    }
  }

  @Test
  @Order(4)
  void reportNumbersMatchARecomputationFromTheSavedPredictions() throws Exception {
    List<Map<String, String>> predictions = csv(pipeline("predictions.csv"));
    List<String> species = List.of("Adelie", "Chinstrap", "Gentoo");
    String markdown = Files.readString(pipeline("score_report.md"));
    String html = Files.readString(pipeline("score_report.html"));
    assertThat(predictions).hasSizeGreaterThan(50);

    for (Map<String, String> row : predictions) {
      double[] mean = new double[species.size()];
      for (String model : MODELS) {
        double[] p = probabilities(row, model, species);
        assertThat(p[0] + p[1] + p[2]).as("%s of %s sums to 1", model, row.get("id")).isCloseTo(1, within(1e-9));
        for (int c = 0; c < mean.length; c++) {
          mean[c] += p[c] / MODELS.size();
        }
      }
      assertThat(probabilities(row, "ensemble", species)).containsExactly(mean, within(1e-12));
    }

    List<String> all = new ArrayList<>(MODELS);
    all.add("ensemble");
    for (String model : all) {
      long[][] confusion = new long[species.size()][species.size()];
      for (Map<String, String> row : predictions) {
        double[] p = probabilities(row, model, species);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
          best = p[c] > p[best] ? c : best;
        }
        assertThat(row.get(model + "_predicted")).isEqualTo(species.get(best));
        confusion[species.indexOf(row.get("actual"))][best]++;
      }
      long correct = confusion[0][0] + confusion[1][1] + confusion[2][2];
      double accuracy = (double) correct / predictions.size();
      double macroF1 = 0;
      for (int c = 0; c < species.size(); c++) {
        long predictedAs = confusion[0][c] + confusion[1][c] + confusion[2][c];
        long actually = confusion[c][0] + confusion[c][1] + confusion[c][2];
        double precision = predictedAs == 0 ? 0 : (double) confusion[c][c] / predictedAs;
        double recall = actually == 0 ? 0 : (double) confusion[c][c] / actually;
        macroF1 += (precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)) / species.size();
      }

      Matcher scores = Pattern.compile("(?m)^\\| " + model + " \\|[^|]*\\|[^|]*\\| ([0-9.]+) \\| ([0-9.]+) \\| (\\d+) of (\\d+) \\|$")
          .matcher(markdown);
      assertThat(scores.find()).as("the %s row of the report:%n%s", model, markdown).isTrue();
      assertThat(scores.group(1)).as("%s accuracy", model).isEqualTo(format(accuracy));
      assertThat(scores.group(2)).as("%s macro F1", model).isEqualTo(format(macroF1));
      assertThat(Long.parseLong(scores.group(3))).isEqualTo(predictions.size() - correct);
      assertThat(html).contains(">" + format(accuracy) + "<", ">" + format(macroF1) + "<");
      assertThat(confusionMatrix(markdown, model)).as("%s confusion matrix", model).isDeepEqualTo(confusion);
      assertThat(accuracy).as("%s accuracy", model).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  @Order(5)
  void theSamePipelineTrainsTheModelsAsSlurmJobsWithBackendSlurm() throws Exception {
    SlurmCluster.require("the ensemble on Slurm");
    for (String model : MODEL_FILES) {
      Files.delete(pipeline(model));
    }

    Result slurm = sluice("--backend", "slurm");

    assertThat(slurm.exitCode()).as(slurm.output()).isZero();
    assertThat(slurm.statuses()).containsAllEntriesOf(Map.of(
        "TrainForest", "ran successfully",
        "TrainBoosting", "ran successfully",
        "TrainNeuralNet", "ran successfully",
        "ScoreReport", "ran successfully"));
    assertThat(slurm.output()).containsPattern("TrainForest\\(\\): succeeded \\(slurm run \\d+, tier Large")
        .containsPattern("TrainBoosting\\(\\): succeeded \\(slurm run \\d+, tier Small")
        .containsPattern("TrainNeuralNet\\(\\): succeeded \\(slurm run \\d+, tier GPU");
    for (String model : MODEL_FILES) {
      assertThat(pipeline(model)).isNotEmptyFile();
    }
  }

  private static double[] probabilities(Map<String, String> row, String model, List<String> species) {
    return species.stream().mapToDouble(s -> Double.parseDouble(row.get(model + "_p_" + s))).toArray();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** The confusion matrix under "### model" in the Markdown report. */
  private static long[][] confusionMatrix(String markdown, String model) {
    String section = markdown.substring(markdown.indexOf("### " + model + "\n"));
    List<long[]> rows = new ArrayList<>();
    for (String line : section.lines().skip(4).limit(3).toList()) {
      String[] cells = line.split("\\|");
      rows.add(new long[] {Long.parseLong(cells[2].strip()), Long.parseLong(cells[3].strip()),
          Long.parseLong(cells[4].strip())});
    }
    return rows.toArray(long[][]::new);
  }

  private static Path pipeline(String file) {
    return project.resolve("ensemble_pipeline").resolve(file);
  }

  private static Map<String, FileTime> modified() throws IOException {
    Map<String, FileTime> times = new LinkedHashMap<>();
    for (String file : List.of("forest.zip", "boosting.zip", "neural_net.zip", "predictions.csv", "trainings.csv",
        "score_report.md", "score_report.html")) {
      times.put(file, Files.getLastModifiedTime(pipeline(file)));
    }
    return times;
  }

  /** A CSV file without quoted commas, as maps from column to value. */
  private static List<Map<String, String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String> header = List.of(lines.get(0).split(","));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = splitCsv(line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), fields.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> splitCsv(String line) {
    List<String> fields = new ArrayList<>();
    Matcher field = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([^,]*)").matcher(line);
    int at = 0;
    while (at <= line.length() && field.find(at)) {
      fields.add(field.group(1) != null ? field.group(1).replace("\"\"", "\"") : field.group(2));
      at = field.end() + 1;
    }
    return fields;
  }

  /** Runs {@code sluice run ScoreReport --workers 3} with the small models, in the project. */
  private static Result sluice(String... options) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, "io.sluice.cli.Main",
        "run", "ScoreReport", "--workers", "3", "--no-progress"));
    command.addAll(List.of(options));
    command.addAll(SMALL_MODELS);
    return run(project, Duration.ofMinutes(4), command);
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
    Path log = Files.createTempFile("ensemble-", ".log");
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

    /** Each task family's status, from the execution summary. */
    Map<String, String> statuses() {
      return Summaries.statuses(output);
    }
  }

  /** The local backend's runs directory, under the work directory this test gave it. */
  private static Path runsDir() throws IOException {
    try (var dirs = Files.list(work)) {
      return dirs.findFirst().orElseThrow().resolve("runs");
    }
  }
}
