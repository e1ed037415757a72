package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the penguin pipeline end to end in child processes, from a copy of the repository's data. */
class PenguinPipelineTest {

  private static final Path RAW_DATA = Path.of("..", "data", "penguins_raw.csv");
  private static final List<String> OUTPUTS =
      List.of("clean.csv", "features.csv", "model.ser", "predictions.csv", "metrics.json");

  @TempDir
  Path project;

  @BeforeEach
  void copyRawData() throws IOException {
    Files.createDirectories(project.resolve("data"));
    Files.copy(RAW_DATA, project.resolve("data").resolve("penguins_raw.csv"));
  }

  @Test
  void fullRunWritesEveryOutputAndPredictsTheTestSplitAccurately() throws Exception {
    Run run = run("Predict");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.statuses()).containsOnly(
        Map.entry("RawPenguins", "complete already"),
        Map.entry("CleanData", "ran successfully"),
        Map.entry("ExtractFeatures", "ran successfully"),
        Map.entry("FitModel", "ran successfully"),
        Map.entry("Predict", "ran successfully"));
    for (String output : OUTPUTS) {
      assertThat(pipeline(output)).as(output).isNotEmptyFile();
    }
    String metrics = Files.readString(pipeline("metrics.json"));
    assertThat(number(metrics, "accuracy")).as(metrics).isGreaterThanOrEqualTo(0.9);
    assertThat(number(metrics, "macro_f1")).as(metrics).isGreaterThanOrEqualTo(0.9);
    List<String> predictions = Files.readAllLines(pipeline("predictions.csv"));
    assertThat(predictions.get(0)).isEqualTo("id,actual,predicted,p_Adelie,p_Chinstrap,p_Gentoo");
    assertThat(predictions).hasSize(1 + (int) number(metrics, "test_examples"));
  }

  @Test
  void secondRunFindsNothingToDo() throws Exception {
    assertThat(run("Predict").exitCode()).isZero();
    Map<String, FileTime> before = modified();

    Run again = run("Predict");

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("Nothing to do");
    // Predict and FitModel follow make's rule (UpToDateTask): what they require is checked too, and complete.
    assertThat(again.statuses()).containsEntry("Predict", "complete already")
        .allSatisfy((family, status) -> assertThat(status).as(family).isEqualTo("complete already"));
    assertThat(modified()).isEqualTo(before);
  }

  @Test
  void deletingTheFeaturesRerunsTheStepsFromFeaturesOnButNotCleaning() throws Exception {
    assertThat(run("Predict").exitCode()).isZero();
    Map<String, FileTime> before = modified();
    Files.delete(pipeline("features.csv"));

    Run rerun = run("Predict");

    assertThat(rerun.exitCode()).as(rerun.output()).isZero();
    assertThat(rerun.statuses()).containsOnly(
        Map.entry("CleanData", "complete already"),
        Map.entry("ExtractFeatures", "ran successfully"),
        Map.entry("FitModel", "ran successfully"),
        Map.entry("Predict", "ran successfully"));
    Map<String, FileTime> after = modified();
    assertThat(after.get("clean.csv")).isEqualTo(before.get("clean.csv"));
    for (String output : List.of("model.ser", "predictions.csv", "metrics.json")) {
      assertThat(after.get(output)).as(output).isGreaterThan(before.get(output));
    }
  }

  @Test
  void missingRawDataIsReportedAsMissingNotFailed() throws Exception {
    Files.delete(project.resolve("data").resolve("penguins_raw.csv"));

    Run run = run("Predict");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(run.statuses()).containsEntry("RawPenguins", "missing external data");
    assertThat(project.resolve("penguin_pipeline")).doesNotExist();
  }

  private Path pipeline(String file) {
    return project.resolve("penguin_pipeline").resolve(file);
  }

  private Map<String, FileTime> modified() throws IOException {
    Map<String, FileTime> times = new LinkedHashMap<>();
    for (String output : OUTPUTS) {
      times.put(output, Files.getLastModifiedTime(pipeline(output)));
    }
    return times;
  }

  private static double number(String json, String key) {
    Matcher matcher = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
    assertThat(matcher.find()).as("\"%s\" in %s", key, json).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  /** The exit code and output of one run of the runner. */
  private record Run(int exitCode, String output) {

    /** Each task family's status, from the execution summary. */
    Map<String, String> statuses() {
      return Summaries.statuses(output);
    }
  }

  private Run run(String task) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path log = Files.createTempFile(project, "run-", ".log");
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, "io.sluice.cli.Main", "run", task, "--module", "io.sluice.examples",
        "--workers", "2", "--no-progress")
        .directory(project.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the run of " + task + " took over 60 s:\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
