package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @TempDir Path dir;
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void capture() {
    TestPipeline.dir = dir;
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  /**
   * Runs the command in this JVM, whose working directory is the module's: a run's state (locks,
   * logs) goes to the test's directory unless the test names one, so no test writes outside it.
   */
  private int sluice(String... args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean run = arguments.isEmpty() || arguments.get(0).equals("run") || Character.isUpperCase(arguments.get(0).charAt(0));
    if (run && !arguments.contains("--state-dir")) {
      arguments.add("--state-dir");
      arguments.add(dir.resolve(".sluice").toString());
    }
    return execute(arguments.toArray(String[]::new));
  }

  private int execute(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(args, TestPipeline.class);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private long filesIn(Path path) throws IOException {
    try (Stream<Path> files = Files.list(path)) {
      return files.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  @Test
  void runsATaskWithItsRequirementsAndASecondRunDoesNothing() throws IOException {
    assertThat(sluice("run", "Repeat", "--workers", "2")).isZero();
    assertThat(Files.readString(dir.resolve("repeat-2-2024-01-31.txt"))).isEqualTo("hello\nhello\n");
    assertThat(stdout()).contains("2 ran successfully").contains("Success: 2 tasks ran");

    assertThat(sluice("run", "Repeat")).isZero();
    assertThat(stdout()).contains("Nothing to do");
  }

  @Test
  void charactersOfAParameterThatATerminalObeysAreShownEscapedInTheLogAndTheSummary() {
    String hostile = "a\u001b[31mRED\u001b[0m\nFAKE LINE\u0007\u009b2J\u202eevil";

    assertThat(sluice("run", "Shout", "--words", hostile)).isEqualTo(1);

    String shown = stdout() + stderr();
    assertThat(shown).contains("Shout(words=a\\u001b[31mRED\\u001b[0m\\u000aFAKE LINE\\u0007\\u009b2J\\u202eevil)")
        .contains("cannot shout a\\u001b[31mRED\\u001b[0m")
        .doesNotContain("\u001b", "\u0007", "\u009b", "\u202e");
    assertThat(shown.lines()).noneMatch(line -> line.startsWith("FAKE LINE"));
  }

  @Test
  void statusAndADryRunShowAChangedParametersValuesEscaped() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\nup_to_date = \"fingerprint\"\n");
    assertThat(sluice("run", "Note", "--text", "plain", "--config", config.toString())).isZero();

    assertThat(sluice("status", "Note", "--text", "new\u001b[2J\nFAKE", "--config", config.toString(),
        "--state-dir", dir.resolve(".sluice").toString())).isZero();

    assertThat(stdout()).contains("parameter text plain -> new\\u001b[2J\\u000aFAKE").doesNotContain("\u001b");
    assertThat(stdout().lines()).noneMatch(line -> line.startsWith("FAKE"));
    assertThat(sluice("run", "Note", "--text", "new\u001b[2J\nFAKE", "--config", config.toString(), "--dry-run")).isZero();
    assertThat(stdout()).contains("parameter text plain -> new\\u001b[2J\\u000aFAKE").doesNotContain("\u001b");
  }

  @Test
  void runIsTheDefaultCommand() {
    assertThat(sluice("Word", "--word", "plain")).isZero();
    assertThat(dir.resolve("word-plain.txt")).hasContent("plain");
  }

  @Test
  void parametersComeFromTheCommandLineForTheRootAndOtherTasks() {
    assertThat(sluice("run", "Repeat", "--times", "3", "--day=2025-02-01", "--Word-word", "hi")).isZero();
    assertThat(dir.resolve("repeat-3-2025-02-01.txt")).hasContent("hi\nhi\nhi");
  }

  @Test
  void sluiceTomlSetsParametersAndTheCommandLineWins() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[Word]\nword = \"configured\"\n\n[Repeat]\ntimes = 4\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString(), "--times", "1")).isZero();
    assertThat(dir.resolve("repeat-1-2024-01-31.txt")).hasContent("configured");
  }

  @Test
  void unknownTaskSuggestsTheClosestName() {
    assertThat(sluice("run", "Repaet")).isEqualTo(2);
    assertThat(stderr()).contains("Unknown task 'Repaet'. Did you mean 'Repeat'?");
  }

  @Test
  void badParameterValueNamesTheParameterTheValueAndTheTypeAndWritesNothing() throws IOException {
    assertThat(sluice("run", "Repeat", "--times", "many")).isEqualTo(2);
    assertThat(stderr()).contains("'times'").contains("'many'").contains("an int");
    assertThat(filesIn(dir)).isZero();

    assertThat(sluice("run", "Repeat", "--day", "31/01/2024")).isEqualTo(2);
    assertThat(stderr()).contains("'day'").contains("31/01/2024").contains("a date such as 2024-01-31");
  }

  @Test
  void unknownParameterSuggestsTheClosestOne() {
    assertThat(sluice("run", "Repeat", "--tims", "3")).isEqualTo(2);
    assertThat(stderr()).contains("Unknown parameter 'tims' of task Repeat. Did you mean 'times'?");
    assertThat(sluice("run", "Repeat", "--Wrd-word", "3")).isEqualTo(2);
    assertThat(stderr()).contains("names task 'Wrd', which is unknown. Did you mean 'Word'?");
  }

  @Test
  void unknownParameterInSluiceTomlIsAnError() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[Repeat]\ntime = 4\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[Repeat] sets 'time'").contains("Did you mean 'times'?");
  }

  @Test
  void anUnknownSettingOfTheCoreTasksOrHistoryIsAnErrorThatSuggestsTheKnownOne() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\nworkerz = 4\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[core] has an unknown key 'workerz'. Did you mean 'workers'?")
        .contains("workers, fsync, lock_timeout");
    assertThat(filesIn(dir)).as("nothing ran").isEqualTo(1);

    Files.writeString(config, "[tasks]\npackage = [\"x\"]\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[tasks] has an unknown key 'package'. Did you mean 'packages'?");

    Files.writeString(config, "[history]\nurll = \"jdbc:sqlite:x.db\"\n");
    assertThat(sluice("runs", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[history] has an unknown key 'urll'. Did you mean 'url'?");

    Files.writeString(config, "[histroy]\nenabled = false\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("no part of Sluice reads a section [histroy]. Did you mean [history]?");

    Files.writeString(config, "[core]\nworkers = 0\n");
    assertThat(sluice("run", "Repeat", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[core] workers = 0 is not allowed; it must be 1 or more");
  }

  @Test
  void invalidSluiceTomlIsReportedWithTheFile() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[resources]\ngpu = 1\n[tasks\nx = 1\n");
    assertThat(sluice("run", "Word", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("is not valid TOML (line 3, column ");

    Files.writeString(config, "[resources]\ngpu = \"one\"\n");
    assertThat(sluice("run", "Word", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[resources] gpu = one is not a whole number");
  }

  @Test
  void failedTaskExitsOneFailsItsDependentsAndLeavesNoPartialOutput() {
    assertThat(sluice("run", "Both", "--workers", "2")).isEqualTo(1);
    assertThat(dir.resolve("broken.txt")).doesNotExist();
    assertThat(dir.resolve("after-broken.txt")).doesNotExist();
    assertThat(dir.resolve("word-independent.txt")).exists();
    assertThat(stdout())
        .contains("Broken(): IllegalStateException: the disk is on fire")
        .contains("AfterBroken(): requires Broken(), which failed")
        .contains("Failed: 1 failed, 2 not run because upstream failed");
  }

  @Test
  void missingExternalDataExitsThreeAndNamesTheFile() throws IOException {
    assertThat(sluice("run", "Clean")).isEqualTo(3);
    assertThat(stdout()).contains("missing external data").contains("raw.csv");
    assertThat(filesIn(dir)).isZero();
  }

  @Test
  void cycleExitsTwoWithItsPathAndRunsNothing() throws IOException {
    assertThat(sluice("run", "CycleA")).isEqualTo(2);
    assertThat(stdout()).contains("Cycle: CycleA() -> CycleB() -> CycleA()");
    assertThat(filesIn(dir)).isZero();
  }

  @Test
  void resourceRequestAboveTheTotalIsASchedulingError() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[resources]\ngpu = 1\n");
    assertThat(sluice("run", "NeedsTwoGpus", "--config", config.toString())).isEqualTo(2);
    assertThat(stdout()).contains("NeedsTwoGpus() needs gpu=2").contains("allow gpu=1");
    assertThat(dir.resolve("gpu.txt")).doesNotExist();
  }

  @Test
  void dryRunShowsWhatWouldRunAndRunsNothing() throws IOException {
    assertThat(sluice("run", "Repeat", "--dry-run")).isZero();
    assertThat(stdout()).contains("2 would run");
    assertThat(filesIn(dir)).isZero();
  }

  @Test
  void forceRerunsTheRootAndForceUpstreamRerunsAFamilyAndWhatDependsOnIt() throws IOException {
    assertThat(sluice("run", "Repeat")).isZero();
    assertThat(sluice("run", "Repeat", "--force")).isZero();
    assertThat(stdout()).contains("Success: 1 task ran, 1 complete already");
    assertThat(sluice("run", "Repeat", "--force-upstream", "Word")).isZero();
    assertThat(stdout()).contains("Success: 2 tasks ran");
    assertThat(sluice("run", "Repeat", "--force-upstream", "Wrd")).isEqualTo(2);
    assertThat(stderr()).contains("Did you mean 'Word'?");
  }

  @Test
  void timeoutGraceComesFromSluiceTomlAndTheCommandLineWins() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\ntimeout_grace = \"0.2s\"\n");

    assertThat(sluice("run", "Stubborn", "--config", config.toString())).isEqualTo(1);
    assertThat(stdout()).contains("timed out after 0.1s and did not stop within 0.2s");

    assertThat(sluice("run", "Stubborn", "--config", config.toString(), "--timeout-grace", "50ms")).isEqualTo(1);
    assertThat(stdout()).contains("timed out after 0.1s and did not stop within 0.05s");
  }

  @Test
  void stateDirFromSluiceTomlOrTheCommandLineHoldsTheRunsLocksAndLogs() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\nstate_dir = \"" + dir.resolve("configured").toString().replace("\\", "\\\\")
        + "\"\n");
    assertThat(execute("run", "Word", "--config", config.toString())).isZero();
    assertThat(dir.resolve("configured/locks")).exists();

    assertThat(sluice("run", "Word", "--word", "other", "--config", config.toString(),
        "--state-dir", dir.resolve("given").toString())).isZero();
    assertThat(dir.resolve("given/locks")).exists();

    Files.writeString(config, "[core]\nstate_dir = 3\n");
    assertThat(execute("run", "Word", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[core] state_dir = 3 is not a path");
  }

  @Test
  void badTimeoutGraceNamesTheKeyAndTheValue() throws IOException {
    Path config = dir.resolve("sluice.toml");
    Files.writeString(config, "[core]\ntimeout_grace = \"soon\"\n");
    assertThat(sluice("run", "Word", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[core] timeout_grace = soon is not a duration such as \"90s\"");

    Files.writeString(config, "[core]\ntimeout_grace = \"PT-5S\"\n");
    assertThat(sluice("run", "Word", "--config", config.toString())).isEqualTo(2);
    assertThat(stderr()).contains("[core] timeout_grace = PT-5S is negative");

    assertThat(sluice("run", "Word", "--timeout-grace", "later")).isEqualTo(2);
    assertThat(stderr()).contains("--timeout-grace later is not a duration");
    assertThat(filesIn(dir)).isEqualTo(1);
  }

  @Test
  void depsPrintsTheTreeWithDoneAndMissingMarks() {
    assertThat(sluice("run", "Word")).isZero();
    assertThat(sluice("deps", "Repeat")).isZero();
    assertThat(stdout()).contains("Repeat(times=2, day=2024-01-31)  [missing]")
        .contains("└── Word(word=hello)  [done]")
        .contains("2 tasks, 1 done, 1 missing");
  }

  @Test
  void depsPrintsAChainDeeperThanTheStack() {
    assertThat(sluice("deps", "Chain", "--n", "3000")).isZero();
    assertThat(stdout()).startsWith("Chain(n=3000)  [missing]\n└── Chain(n=2999)  [missing]")
        .contains("└── Chain(n=0)  [missing]")
        .contains("3001 tasks, 0 done, 3001 missing");
  }

  @Test
  void statusListsEveryTaskThatWouldRunWithWhy() {
    assertThat(sluice("run", "Word")).isZero();

    assertThat(sluice("status", "Repeat", "--state-dir", dir.resolve(".sluice").toString())).isZero();
    assertThat(stdout()).contains("1 task would run for Repeat(times=2, day=2024-01-31):")
        .contains("  Repeat(times=2, day=2024-01-31): output " + dir.resolve("repeat-2-2024-01-31.txt") + " missing")
        .doesNotContain("Word(word=hello)");

    assertThat(sluice("status", "Repeat", "--all")).isZero();
    assertThat(stdout()).contains("1 up to date:\n  Word(word=hello)");

    assertThat(sluice("status", "Repeat", "--json")).isZero();
    assertThat(stdout().strip()).isEqualTo("{\"root\": \"Repeat(times=2, day=2024-01-31)\", \"toRun\": [{\"task\":"
        + " \"Repeat(times=2, day=2024-01-31)\", \"family\": \"Repeat\", \"reasons\": [\"output "
        + dir.resolve("repeat-2-2024-01-31.txt") + " missing\"]}], \"upToDate\": []}");

    assertThat(sluice("status", "Word")).isZero();
    assertThat(stdout()).contains("Word(word=hello) is up to date: a run would do nothing.");
  }

  @Test
  void dryRunSaysWhyEachTaskWouldRun() {
    assertThat(sluice("run", "Repeat", "--dry-run")).isZero();
    assertThat(stdout()).contains("Why they would run:")
        .contains("Word(word=hello): output " + dir.resolve("word-hello.txt") + " missing");
  }

  @Test
  void graphPrintsDotAndMermaid() {
    assertThat(sluice("graph", "Repeat")).isZero();
    assertThat(stdout()).startsWith("digraph sluice {").contains("label=\"Word(word=hello)\"").contains("t1 -> t0;");
    assertThat(sluice("graph", "Repeat", "--format", "mermaid")).isZero();
    assertThat(stdout()).startsWith("flowchart BT").contains("t1 --> t0");
  }

  @Test
  void tasksWhoseIdOrCompleteThrowAreMarkedByDepsAndGraphAndFailTheRunWithExitCodeOne() {
    assertThat(sluice("deps", "BadlyBuilt")).isEqualTo(1);
    assertThat(stdout()).contains("BadlyBuilt()  [missing]")
        .contains("├── Unidentifiable(unidentified=1)  [error: its identity could not be computed")
        .contains("IllegalStateException: id() is broken")
        .contains("└── Unchecked()  [error: AssertionError: complete() is broken]")
        .contains("3 tasks, 0 done, 3 missing, 2 with errors");

    assertThat(sluice("graph", "BadlyBuilt")).isEqualTo(1);
    assertThat(stdout()).contains("label=\"Unchecked()\", fillcolor=\"salmon\"");
    assertThat(sluice("graph", "BadlyBuilt", "--format", "mermaid")).isEqualTo(1);
    assertThat(stdout()).contains("[\"Unidentifiable(unidentified=1)\"]:::error");

    assertThat(sluice("run", "BadlyBuilt")).isEqualTo(1);
    assertThat(stdout()).contains("2 failed").contains("id() is broken").contains("complete() is broken");
  }

  @Test
  void listShowsTasksParametersDefaultsAndDescriptions() {
    assertThat(sluice("list")).isZero();
    assertThat(stdout()).contains("Repeat  Repeats the word.")
        .contains("--times int (default: 2)")
        .contains("--word String (default: hello)  the word to write");
  }

  @Test
  void reportIsASelfContainedPageWithEveryTaskAndATimeline() throws IOException {
    Path report = dir.resolve("reports/run.html");
    assertThat(sluice("run", "Both", "--workers", "2", "--report", report.toString())).isEqualTo(1);
    String html = Files.readString(report);
    assertThat(html).startsWith("<!DOCTYPE html>")
        .contains("Failed: 1 failed, 2 not run because upstream failed")
        .contains("Broken()").contains("the disk is on fire")
        .contains("AfterBroken()").contains("not run because upstream failed")
        .contains("Word(word=independent)").contains("ran successfully")
        .as("why it ran").contains("output " + dir.resolve("word-independent.txt") + " missing")
        .doesNotContain("http://", "https://", "<script");
    // One timeline bar per task that started: Broken and Word(independent).
    assertThat(html.split("class=\"bar\"", -1)).hasSize(3);
  }

  @Test
  void tasksAreFoundOnTheClasspathByPackage() {
    TaskCatalog catalog = TaskCatalog.scan(getClass().getClassLoader(), java.util.List.of("io.sluice.cli"));
    assertThat(catalog.families()).contains("Word", "Repeat", "Clean");
    assertThat(catalog.find("io.sluice.cli.TestPipeline$Word", getClass().getClassLoader()))
        .isEqualTo(TestPipeline.Word.class);
  }
}
