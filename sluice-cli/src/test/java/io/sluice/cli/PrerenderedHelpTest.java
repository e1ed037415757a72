package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

class PrerenderedHelpTest {

  @Test
  void usageRenderedByTheBuildIsWhatPicocliPrintsForTheCommandsAsTheyAreNow() {
    // The build renders it in process-classes; a command added since would show here.
    assertThat(PrerenderedHelp.usage(false)).contains(PrerenderedHelp.render(Ansi.OFF));
    assertThat(PrerenderedHelp.usage(true)).contains(PrerenderedHelp.render(Ansi.ON));
    assertThat(PrerenderedHelp.render(Ansi.ON)).contains("\u001B[").isNotEqualTo(PrerenderedHelp.render(Ansi.OFF));
  }

  @Test
  void helpAndVersionPrintExactlyWhatTheCommandLinePrints() {
    // Tests run without a terminal: picocli prints without colour, and so does the prerendered help.
    for (String option : List.of("--help", "-h", "--version", "-V")) {
      assertThat(PrerenderedHelp.forArguments(List.of(option))).as(option).contains(printed(option));
    }
    assertThat(PrerenderedHelp.forArguments(List.of())).contains(printed());
  }

  @Test
  void withoutArgumentsSluicePrintsItsUsageAndExitsZero() {
    assertThat(printed()).startsWith("Usage: sluice [-hV] [COMMAND]").contains("Commands:", "  run ");
  }

  @Test
  void anythingElseIsLeftToTheCommandLine() {
    assertThat(PrerenderedHelp.forArguments(List.of("run", "--help"))).isEmpty();
    assertThat(PrerenderedHelp.forArguments(List.of("--help", "--version"))).isEmpty();
    assertThat(PrerenderedHelp.forArguments(List.of("CountWords"))).isEmpty();
    assertThat(PrerenderedHelp.forArguments(List.of("--helpp"))).isEmpty();
  }

  /** What {@code sluice ARGS} prints through picocli, as before there was a prerendered help. */
  private static String printed(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Cli.execute(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
