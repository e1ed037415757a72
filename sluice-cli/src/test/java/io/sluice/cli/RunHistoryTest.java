package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The id a run records under. */
class RunHistoryTest {

  private static final Instant START = Instant.parse("2026-11-30T21:00:00Z");

  @Test
  void aRunTakesTheIdItsParentGaveAndNotOneInheritedFromFurtherUpOrMalformed() {
    Map<String, String> fromServer = Map.of("SLUICE_RUN_ID", "20261130-210000-abcdef", "SLUICE_RUN_ID_STARTER", "42");

    assertThat(RunHistory.runId(fromServer, 42, START)).isEqualTo("20261130-210000-abcdef");
    // A sluice run started by a task of that run inherits the variables, but its parent is not the server.
    assertThat(RunHistory.runId(fromServer, 4242, START)).startsWith("20261130-210000-")
        .isNotEqualTo("20261130-210000-abcdef");
    assertThat(RunHistory.runId(Map.of("SLUICE_RUN_ID", "x; DROP TABLE runs", "SLUICE_RUN_ID_STARTER", "42"), 42,
        START)).matches("20261130-210000-[0-9a-f]{6}");
    assertThat(RunHistory.runId(Map.of(), 42, START)).matches("20261130-210000-[0-9a-f]{6}");
  }
}
