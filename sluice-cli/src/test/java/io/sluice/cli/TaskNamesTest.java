package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks are named on the command line by family: a simple class name works where it is unique,
 * and two classes with one simple name are told apart, never taken for each other.
 */
class TaskNamesTest {

  private static final String VISION = ClashingPipeline.Vision.Train.class.getName();
  private static final String TEXT = ClashingPipeline.Text.Train.class.getName();

  @TempDir Path dir;
  private String output;

  @BeforeEach
  void setUp() {
    TestPipeline.dir = dir;
  }

  /** Runs the command in this JVM, a run's locks and logs in the test's directory. */
  private int sluice(String... args) {
    if (args[0].equals("run")) {
      args = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--state-dir", dir.resolve(".sluice").toString())).toArray(String[]::new);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(args, ClashingPipeline.class);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      output = out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aGraphWithTwoClassesOfOneSimpleNameExitsTwoNamingBothAndRunsNothing() {
    assertThat(sluice("run", "Models")).isEqualTo(2);

    assertThat(output).contains(VISION).contains(TEXT).contains("@Family");
    assertThat(dir.resolve("vision-1.txt")).doesNotExist();
    assertThat(dir.resolve("text-1.txt")).doesNotExist();
  }

  @Test
  void depsRefusesTheClashToo() {
    assertThat(sluice("deps", "Models")).isEqualTo(2);
    assertThat(output).contains(VISION).contains(TEXT);
  }

  @Test
  void anAmbiguousSimpleNameListsTheClassesAndTheNamesThatWork() {
    assertThat(sluice("run", "Train")).isEqualTo(2);

    assertThat(output).contains("'Train' is ambiguous").contains(VISION).contains(TEXT).contains("@Family");
  }

  @Test
  void theFullyQualifiedNameRunsOneOfThem() {
    assertThat(sluice("run", VISION, "--epochs", "3")).isZero();
    assertThat(dir.resolve("vision-3.txt")).hasContent("vision");

    assertThat(sluice("run", TEXT.replace('$', '.'))).isZero();
    assertThat(dir.resolve("text-1.txt")).hasContent("text");
  }

  @Test
  void aFamilyNameRunsItsClassAndTakesItsOptions() {
    assertThat(sluice("run", "NamedModels", "--TextTrain-epochs", "4")).isZero();

    assertThat(dir.resolve("vision-1.txt")).hasContent("vision");
    assertThat(dir.resolve("text-named-4.txt")).hasContent("text");
    assertThat(sluice("run", "TextTrain", "--epochs", "5")).isZero();
    assertThat(dir.resolve("text-named-5.txt")).hasContent("text");
  }

  @Test
  void anOptionForAnAmbiguousFamilyNamesTheClasses() {
    assertThat(sluice("run", "NamedModels", "--Train-epochs", "2")).isEqualTo(2);
    assertThat(output).contains(VISION).contains(TEXT);
  }

  @Test
  void listShowsFamilyNames() {
    assertThat(sluice("list")).isZero();
    assertThat(output).contains("TextTrain");
  }
}
