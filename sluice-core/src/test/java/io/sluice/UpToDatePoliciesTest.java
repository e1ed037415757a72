package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policies that judge a task up to date: {@code exists} (Luigi), {@code mtime} (make) and
 * {@code fingerprint} (parameters, code and input content recorded with the outputs), chosen
 * project-wide or per task, and the reasons the engine gives for each task that must run.
 */
class UpToDatePoliciesTest {

  static Path dir;

  @TempDir Path tempDir;

  @BeforeEach
  void setUp() throws IOException {
    dir = tempDir;
    Files.writeString(dir.resolve("raw.csv"), "a,b\n1,2\n");
    Files.writeString(dir.resolve("train.py"), "print('v1')\n");
  }

  /** Raw data made outside the pipeline. */
  record Raw() implements ExternalTask {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("raw.csv"));
    }
  }

  /** Cleans the raw data. */
  record Clean() implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Raw());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("clean.csv"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString(new Raw().output().readString().toUpperCase());
    }
  }

  /** Trains a model whose file does not name its parameter, with a script it declares as code. */
  record Train(int trees) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Clean());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("model.txt"));
    }

    @Override
    public List<Path> codeFiles() {
      return List.of(dir.resolve("train.py"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("forest of " + trees + "\n");
    }
  }

  /** Reports on the model. */
  record Report(int trees) implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Train(trees));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("report.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("report on " + new Train(trees).output().readString());
    }
  }

  /** A task that chooses make's rule for itself. */
  record Stamped() implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Raw());
    }

    @Override
    public Optional<UpToDate> upToDate() {
      return Optional.of(UpToDate.MTIME);
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("stamped.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("stamped\n");
    }
  }

  /** A program whose command comes from the project's settings, not from its parameters or code. */
  record Greet() implements ProgramTask {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("greeting.txt"));
    }

    @Override
    public List<String> command(TaskContext context) {
      return List.of("sh", "-c", "printf %s \"$0\" > \"$SLUICE_OUTPUT\"", String.valueOf(context.settings().get("greeting", "word")));
    }
  }

  private static Sluice greeting(String word) {
    Settings settings = Settings.empty().with("core", "up_to_date", "fingerprint").with("greeting", "word", word);
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).settings(settings).build();
  }

  private static Sluice sluice(String policy) {
    Settings settings = policy == null ? Settings.empty() : Settings.empty().with("core", "up_to_date", policy);
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).settings(settings).build();
  }

  private static TaskGraph plan(String policy, Task root) throws InterruptedException {
    return sluice(policy).graph(List.of(root), false);
  }

  private static List<String> ran(RunResult result) {
    return result.statuses().entrySet().stream().filter(e -> e.getValue() == TaskStatus.DONE)
        .map(e -> e.getKey().family()).toList();
  }

  @Test
  void existsPolicyIgnoresChangedParametersCodeAndInputs() throws IOException {
    assertThat(sluice(null).run(new Report(100)).exitCode()).isEqualTo(ExitCode.SUCCESS);
    Files.writeString(dir.resolve("raw.csv"), "new data\n");
    Files.writeString(dir.resolve("train.py"), "print('v2')\n");

    RunResult rerun = sluice(null).run(new Report(200));

    assertThat(ran(rerun)).isEmpty();
  }

  @Test
  void changedParameterReRunsThatTaskAndWhatFollowsSayingWhy() throws Exception {
    assertThat(sluice("fingerprint").run(new Report(100)).exitCode()).isEqualTo(ExitCode.SUCCESS);

    TaskGraph plan = plan("fingerprint", new Report(200));
    assertThat(plan.why(new Train(200))).containsExactly("parameter trees 100 -> 200");
    assertThat(plan.why(new Report(200))).contains("parameter trees 100 -> 200", "upstream Train(trees=200) will run");
    assertThat(plan.why(new Clean())).isEmpty();

    RunResult rerun = sluice("fingerprint").run(new Report(200));
    assertThat(ran(rerun)).containsExactlyInAnyOrder("Train", "Report");
    assertThat(rerun.reasons().get(new Train(200).id())).isEqualTo("parameter trees 100 -> 200");
    assertThat(rerun.summary()).contains("Why they ran:").contains("Train(trees=200): parameter trees 100 -> 200");
    assertThat(ran(sluice("fingerprint").run(new Report(200)))).as("a third run").isEmpty();
  }

  @Test
  void changedCodeFileReRunsTheTaskThatDeclaresIt() throws Exception {
    sluice("fingerprint").run(new Report(100));
    Files.writeString(dir.resolve("train.py"), "print('v2')\n");

    assertThat(plan("fingerprint", new Report(100)).why(new Train(100)))
        .containsExactly("code changed (" + dir.resolve("train.py") + ")");
    assertThat(ran(sluice("fingerprint").run(new Report(100)))).containsExactlyInAnyOrder("Train", "Report");
  }

  @Test
  void changedProgramCommandReRunsTheProgramSayingSo() throws Exception {
    assertThat(greeting("hello").run(new Greet()).exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(ran(greeting("hello").run(new Greet()))).as("the same command again").isEmpty();

    assertThat(greeting("goodbye").graph(List.of(new Greet()), false).why(new Greet())).containsExactly("command changed");
    RunResult rerun = greeting("goodbye").run(new Greet());

    assertThat(ran(rerun)).containsExactly("Greet");
    assertThat(rerun.reasons().get(new Greet().id())).isEqualTo("command changed");
    assertThat(Files.readString(dir.resolve("greeting.txt"))).isEqualTo("goodbye");
  }

  @Test
  void programWhoseCommandNeedsItsRunningOutputIsJudgedByItsClassAndParameters() throws Exception {
    assertThat(sluice("fingerprint").run(new WritesThroughTarget()).exitCode()).isEqualTo(ExitCode.SUCCESS);

    assertThat(ran(sluice("fingerprint").run(new WritesThroughTarget()))).isEmpty();
  }

  /** Asks its output for the write path directly, which only a running task can. */
  record WritesThroughTarget() implements ProgramTask {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("through-target.txt"));
    }

    @Override
    public List<String> command(TaskContext context) throws IOException {
      return List.of("sh", "-c", "echo made > \"$0\"", output().writePath().toString());
    }
  }

  @Test
  void touchedInputWithTheSameContentReRunsNothing() throws IOException {
    sluice("fingerprint").run(new Report(100));
    Files.setLastModifiedTime(dir.resolve("raw.csv"), FileTime.from(Instant.now().plusSeconds(60)));

    assertThat(ran(sluice("fingerprint").run(new Report(100)))).isEmpty();
  }

  @Test
  void unchangedInputsAreNotHashedAgainInTheNextRun() throws IOException {
    sluice("fingerprint").run(new Report(100));
    Path cache = dir.resolve(".sluice/fingerprints/hashes");
    String cached = Files.readString(cache);

    assertThat(ran(sluice("fingerprint").run(new Report(100)))).isEmpty();
    // A file hashed again would append a line: the cache of the first run answered for every input.
    assertThat(Files.readString(cache)).isEqualTo(cached);
  }

  /** Writes its output; a later task of the same run changes it behind the run's back. */
  record Made() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("made.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("as made\n");
    }
  }

  /** Overwrites what Made committed, not through its target: no output transaction sees it. */
  record Meddle() implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Made());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("meddle.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      Files.writeString(dir.resolve("made.txt"), "changed behind the run's back\n");
      output().writeString("meddled\n");
    }
  }

  /** Reads Made's output after Meddle changed it. */
  record ReadsMade() implements Task {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Made(), new Meddle());
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("reads-made.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString(new Made().output().readString());
    }
  }

  @Test
  void anOutputChangedBehindTheRunAfterItsCommitLeavesItsReadersOutOfDateNeverUpToDate() throws Exception {
    assertThat(ran(sluice("fingerprint").run(new ReadsMade()))).containsExactlyInAnyOrder("Made", "Meddle", "ReadsMade");

    // Its readers recorded the hash Made committed (kept from its commit), not that of the
    // content they found: the next run finds the difference and runs them again.
    assertThat(plan("fingerprint", new ReadsMade()).why(new ReadsMade()))
        .contains("input " + dir.resolve("made.txt") + " changed");
    assertThat(ran(sluice("fingerprint").run(new ReadsMade()))).containsExactlyInAnyOrder("Meddle", "ReadsMade");
    assertThat(ran(sluice("fingerprint").run(new ReadsMade()))).as("the content no longer changes").isEmpty();
  }

  /** One of many small files; {@link Gather} reads them all. */
  record Part(int index) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("parts").resolve(index + ".txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("part " + index + "\n");
    }
  }

  /** Reads more files than a record lists one by one: one digest stands for them all. */
  record Gather() implements Task {
    @Override
    public List<? extends Task> requires() {
      return java.util.stream.IntStream.range(0, 100).mapToObj(Part::new).toList();
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("gathered.txt"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("100 parts\n");
    }
  }

  @Test
  void aTaskOfManyInputsRecordsTheirDigestAsTheNextRunComputesIt() throws Exception {
    assertThat(ran(sluice("fingerprint").run(new Gather()))).hasSize(101);

    // The cold run took the parts' hashes from their commits; the next run reads them from the
    // cache: the same digest, so nothing runs.
    assertThat(ran(sluice("fingerprint").run(new Gather()))).isEmpty();
    Files.writeString(dir.resolve("parts/7.txt"), "part seven\n");
    assertThat(plan("fingerprint", new Gather()).why(new Gather()))
        .containsExactly("one or more of its inputs changed (100 files)");
  }

  @Test
  void newInputContentReRunsEverythingDownstreamOfIt() throws Exception {
    sluice("fingerprint").run(new Report(100));
    Files.writeString(dir.resolve("raw.csv"), "a,b\n1,2\n3,4\n");

    assertThat(plan("fingerprint", new Report(100)).why(new Clean()))
        .containsExactly("input " + dir.resolve("raw.csv") + " changed");
    assertThat(ran(sluice("fingerprint").run(new Report(100)))).containsExactlyInAnyOrder("Clean", "Train", "Report");
  }

  @Test
  void outputsBuiltWithoutAFingerprintRunOnceThenAreUpToDate() throws Exception {
    sluice(null).run(new Report(100));

    assertThat(plan("fingerprint", new Clean()).why(new Clean())).singleElement().asString()
        .startsWith("no fingerprint recorded");
    sluice("fingerprint").run(new Report(100));
    assertThat(ran(sluice("fingerprint").run(new Report(100)))).isEmpty();
  }

  @Test
  void tornLastRecordOfACrashIsIgnored() throws Exception {
    sluice("fingerprint").run(new Report(100));
    Path records = dir.resolve(".sluice/fingerprints/records");
    Files.writeString(records, "half a line\twithout", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertThat(ran(sluice("fingerprint").run(new Report(100)))).isEmpty();
  }

  @Test
  void mtimePolicyReRunsWhenAnInputIsNewerThanTheOutput() throws Exception {
    sluice("mtime").run(new Report(100));
    Files.setLastModifiedTime(dir.resolve("raw.csv"), FileTime.from(Instant.now().plusSeconds(60)));

    assertThat(plan("mtime", new Report(100)).why(new Clean())).singleElement().asString()
        .startsWith("input " + dir.resolve("raw.csv") + " is newer than output");
    assertThat(ran(sluice("mtime").run(new Report(100)))).containsExactlyInAnyOrder("Clean", "Train", "Report");
  }

  @Test
  void aTaskChoosesItsOwnPolicy() throws Exception {
    sluice(null).run(new Stamped());
    Files.setLastModifiedTime(dir.resolve("raw.csv"), FileTime.from(Instant.now().plusSeconds(60)));

    assertThat(ran(sluice(null).run(new Stamped()))).containsExactly("Stamped");
  }

  @Test
  void missingOutputIsTheReasonUnderEveryPolicy() throws Exception {
    for (String policy : new String[] {"exists", "mtime", "fingerprint"}) {
      assertThat(plan(policy, new Clean()).why(new Clean())).as(policy)
          .containsExactly("output " + dir.resolve("clean.csv") + " missing");
    }
  }

  @Test
  void unknownPolicyIsASchedulingErrorNamingIt() {
    RunResult result = sluice("newest").run(new Clean());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(result.schedulingError()).contains("up_to_date = \"newest\"").contains("\"fingerprint\"");
  }
}
