package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameters are record components: set in code, on the command line, in sluice.toml or by
 * default, in that order of precedence, and converted to their declared types.
 */
class ParametersTest {

  static Path dir;
  static final Set<String> ran = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    ran.clear();
  }

  /** The values from outside the code, as a run would be given them. */
  private ParameterValues values = ParameterValues.none();

  private <T extends Task> T create(Class<T> type) {
    return Tasks.create(type, Map.of(), values);
  }

  enum Colour { RED, GREEN }

  @Description("Trains a model")
  record Train(
      @Param(defaultValue = "0.5", description = "learning rate") double alpha,
      @Param(defaultValue = "10") int epochs,
      @Param(defaultValue = "baseline") String name) implements Task {}

  record Everything(
      String text, int count, long big, double ratio, boolean flag, Colour colour,
      LocalDate day, LocalDateTime moment, Duration delay, Path file,
      List<Integer> sizes, List<LocalDate> days) implements Task {}

  record Waits(Duration delay) implements Task {}

  record Paint(Colour colour) implements Task {}

  record Report(
      LocalDate day,
      @Param(defaultValue = "info", significant = false) String logLevel) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("report-" + day));
    }

    public void run(TaskContext ctx) throws Exception {
      ran.add(day + " at " + logLevel);
      output().writeString("report");
    }
  }

  record BothReports() implements Task {
    public List<Report> requires() {
      return List.of(new Report(LocalDate.of(2024, 1, 31), "debug"), new Report(LocalDate.of(2024, 1, 31), "warn"));
    }
  }

  private void use(Map<String, Object> commandLine, Map<String, Object> config) {
    values = new ParameterValues(Map.of("Train", commandLine), Map.of("Train", config));
  }

  @Test
  void defaultsApplyWhenNothingElseIsGiven() {
    assertThat(create(Train.class)).isEqualTo(new Train(0.5, 10, "baseline"));
  }

  @Test
  void configBeatsDefaults() {
    use(Map.of(), Map.of("alpha", 0.7, "epochs", 20L));

    assertThat(create(Train.class)).isEqualTo(new Train(0.7, 20, "baseline"));
  }

  @Test
  void commandLineBeatsConfig() {
    use(Map.of("alpha", "0.9"), Map.of("alpha", 0.7, "epochs", 20L));

    assertThat(create(Train.class)).isEqualTo(new Train(0.9, 20, "baseline"));
  }

  @Test
  void valuesGivenInCodeBeatEverything() {
    use(Map.of("alpha", "0.9", "name", "cli"), Map.of("alpha", 0.7));

    assertThat(Tasks.create(Train.class, Map.of("alpha", 0.1, "name", "code"), values))
        .isEqualTo(new Train(0.1, 10, "code"));
  }

  @Test
  void valuesForOtherFamiliesDoNotApply() {
    values = new ParameterValues(Map.of("Other", Map.of("alpha", "0.9")), Map.of());

    assertThat(create(Train.class).alpha()).isEqualTo(0.5);
  }

  /** A text value for each parameter of {@link Everything}. */
  private static Map<String, String> everythingAsText() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("text", "hello world");
    given.put("count", "42");
    given.put("big", "10000000000");
    given.put("ratio", "0.25");
    given.put("flag", "yes");
    given.put("colour", "green");
    given.put("day", "2024-01-31");
    given.put("moment", "2024-01-31T12:30");
    given.put("delay", "90s");
    given.put("file", "data/in.csv");
    given.put("sizes", "1, 2,3");
    given.put("days", "2024-01-01,2024-01-02");
    return given;
  }

  @Test
  void everyParameterTypeIsConvertedFromText() {
    Everything task = Tasks.create(Everything.class, everythingAsText());

    assertThat(task).isEqualTo(new Everything("hello world", 42, 10_000_000_000L, 0.25, true, Colour.GREEN,
        LocalDate.of(2024, 1, 31), LocalDateTime.of(2024, 1, 31, 12, 30), Duration.ofSeconds(90),
        Path.of("data/in.csv"), List.of(1, 2, 3), List.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2))));
  }

  @Test
  void aListMayBeWrittenInBracketsAsLuigiAndTomlWriteItAndEmptyAsABlankOrAsBrackets() {
    Map<String, String> given = everythingAsText();
    given.put("sizes", "[1, 2,3]");
    given.put("days", "[]");

    Everything task = Tasks.create(Everything.class, given);

    assertThat(task.sizes()).containsExactly(1, 2, 3);
    assertThat(task.days()).isEmpty();
    given.put("sizes", "[\"4\", \"5\"]");
    assertThat(Tasks.create(Everything.class, given).sizes()).containsExactly(4, 5);
    given.put("sizes", "[1,x]");
    assertThatThrownBy(() -> Tasks.create(Everything.class, given)).hasMessageContaining("'[1,x]'")
        .hasMessageContaining("comma-separated list (in brackets or not) of an int");
  }

  @Test
  void typedConfigValuesAreConvertedToo() {
    values = new ParameterValues(Map.of(), Map.of("Everything", Map.ofEntries(
        Map.entry("text", 7L), Map.entry("count", 42L), Map.entry("big", 5), Map.entry("ratio", 1L),
        Map.entry("flag", false), Map.entry("colour", "RED"), Map.entry("day", LocalDate.of(2024, 1, 31)),
        Map.entry("moment", LocalDateTime.of(2024, 1, 31, 0, 0)), Map.entry("delay", "PT1H"),
        Map.entry("file", "x"), Map.entry("sizes", List.of(1L, 2L)), Map.entry("days", List.of()))));

    Everything task = create(Everything.class);

    assertThat(task).isEqualTo(new Everything("7", 42, 5L, 1.0, false, Colour.RED, LocalDate.of(2024, 1, 31),
        LocalDateTime.of(2024, 1, 31, 0, 0), Duration.ofHours(1), Path.of("x"), List.of(1, 2), List.of()));
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Tasks.create(Waits.class, Map.of("delay", "90s")).delay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(Tasks.create(Waits.class, Map.of("delay", "5m")).delay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Tasks.create(Waits.class, Map.of("delay", "PT1H")).delay()).isEqualTo(Duration.ofHours(1));
    assertThat(Tasks.create(Waits.class, Map.of("delay", "250ms")).delay()).isEqualTo(Duration.ofMillis(250));
    assertThat(Tasks.create(Waits.class, Map.of("delay", "1.5h")).delay()).isEqualTo(Duration.ofMinutes(90));
    assertThat(Tasks.create(Waits.class, Map.of("delay", "2d")).delay()).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void badValueNamesTheParameterTheValueAndTheExpectedType() {
    use(Map.of("epochs", "ten"), Map.of());

    assertThatThrownBy(() -> create(Train.class))
        .isInstanceOf(SchedulingException.class)
        .hasMessage("Bad value for parameter 'epochs' of task Train from the command line: "
            + "'ten' is not an int (a whole number)");
  }

  @Test
  void badValuesOfEveryKindAreExplained() {
    assertThatThrownBy(() -> Tasks.create(Waits.class, Map.of("delay", "soon")))
        .hasMessageContaining("'delay'").hasMessageContaining("'soon'").hasMessageContaining("a duration such as 90s");
    assertThatThrownBy(() -> Tasks.create(Paint.class, Map.of("colour", "blue")))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'colour'").hasMessageContaining("'blue'").hasMessageContaining("one of RED, GREEN");
    values = new ParameterValues(Map.of(), Map.of("Train", Map.of("epochs", 2.5)));
    assertThatThrownBy(() -> create(Train.class))
        .hasMessage("Bad value for parameter 'epochs' of task Train from [Train] in sluice.toml: "
            + "'2.5' is not an int (a whole number)");
    values = new ParameterValues(Map.of(), Map.of("Train", Map.of("epochs", 3_000_000_000L)));
    assertThatThrownBy(() -> create(Train.class)).hasMessageContaining("'3000000000' is not an int");
    values = new ParameterValues(Map.of(), Map.of("Train", Map.of("epochs", java.math.BigInteger.TWO.pow(64))));
    assertThatThrownBy(() -> create(Train.class)).as("2^64, whose low 64 bits are 0")
        .hasMessageContaining("'18446744073709551616' is not an int");
  }

  @Test
  void aDoubleIsADecimalNumberAndOneTooLargeIsRefusedRatherThanTakenAsInfinite() {
    for (String bad : List.of("1d", "2f", "0x1p3", "1e400", "-1e999", "1,5", "e5", "")) {
      assertThatThrownBy(() -> Tasks.create(Train.class, Map.of("alpha", bad, "epochs", 1)))
          .as(bad).isInstanceOf(SchedulingException.class)
          .hasMessageContaining("'" + bad + "' is not a double (a number such as 0.5)");
    }
    Map<String, Double> good = Map.of("0.5", 0.5, ".5", 0.5, "5.", 5.0, "-2", -2.0, "+1e-3", 0.001, "1E3", 1000.0,
        "NaN", Double.NaN, "-Infinity", Double.NEGATIVE_INFINITY);
    good.forEach((text, value) -> assertThat(Tasks.create(Train.class, Map.of("alpha", text, "epochs", 1)).alpha())
        .as(text).isEqualTo(value));
  }

  @Test
  void missingParameterSaysHowToGiveIt() {
    assertThatThrownBy(() -> create(Waits.class))
        .isInstanceOf(SchedulingException.class)
        .hasMessageStartingWith("Missing parameter 'delay' of task Waits (Duration): give it as --delay");
  }

  @Test
  void unknownParameterSuggestsTheClosestName() {
    assertThatThrownBy(() -> Tasks.create(Train.class, Map.of("alpah", 0.1)))
        .isInstanceOf(SchedulingException.class)
        .hasMessage("Unknown parameter 'alpah' of task Train. Did you mean 'alpha'? "
            + "Its parameters: alpha, epochs, name.");
  }

  @Test
  void unknownParameterFarFromAnyNameSuggestsNothing() {
    assertThatThrownBy(() -> Tasks.create(Train.class, Map.of("zzzzzzzz", 1)))
        .hasMessage("Unknown parameter 'zzzzzzzz' of task Train. Its parameters: alpha, epochs, name.");
  }

  @Test
  void insignificantParameterIsNotPartOfTheIdentity() {
    Report debug = new Report(LocalDate.of(2024, 1, 31), "debug");
    Report warn = new Report(LocalDate.of(2024, 1, 31), "warn");

    assertThat(debug.id()).isEqualTo(warn.id());
    assertThat(debug.id().toString()).isEqualTo("Report(day=2024-01-31)");
  }

  @Test
  void tasksDifferingOnlyInAnInsignificantParameterRunOnce() {
    RunResult result = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build().run(new BothReports());

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(ran).hasSize(1);
    assertThat(result.statuses()).hasSize(2);
  }

  @Test
  void taskIdRendersFamilyAndSignificantParameters() {
    assertThat(new Train(0.5, 10, "x").id().toString()).isEqualTo("Train(alpha=0.5, epochs=10, name=x)");
    assertThat(new Everything("t", 1, 2, 0.5, true, Colour.RED, LocalDate.of(2024, 1, 1), null, null, null,
        List.of(1, 2), List.of()).id().params()).containsEntry("sizes", List.of(1, 2));
    assertThat(TaskId.of(new BothReports())).isEqualTo(new TaskId("BothReports", Map.of()));
  }

  @Test
  void describeListsParametersWithTypesDefaultsAndDescriptions() {
    TaskInfo info = Tasks.describe(Train.class);

    assertThat(info.family()).isEqualTo("Train");
    assertThat(info.description()).isEqualTo("Trains a model");
    assertThat(info.params()).first().isEqualTo(new TaskInfo.ParamInfo("alpha", "double", "0.5", "learning rate", true));
    assertThat(Tasks.describe(Everything.class).params()).extracting(TaskInfo.ParamInfo::typeName)
        .containsExactly("String", "int", "long", "double", "boolean", "Colour", "LocalDate", "LocalDateTime",
            "Duration", "Path", "List<Integer>", "List<LocalDate>");
    assertThat(Tasks.describe(Report.class).params().get(1).significant()).isFalse();
  }
}
