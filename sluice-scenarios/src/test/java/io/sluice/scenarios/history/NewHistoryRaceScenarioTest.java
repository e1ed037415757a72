package io.sluice.scenarios.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code sluice run} processes started at once on a project without a history yet race to
 * create its SQLite file and schema: the losers try again, every run is recorded, and none tells
 * its user of an error it recovered from.
 */
class NewHistoryRaceScenarioTest {

  private static final int PROCESSES = 4;

  @TempDir Path project;

  @Test
  void runsStartedTogetherOnANewHistoryAreAllRecordedAndPrintNoError() throws Exception {
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      runs.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          HistoryPipeline.class.getName(), "run", "Quick")
          .directory(project.toFile()).redirectErrorStream(true)
          .redirectOutput(project.resolve("run-" + i + ".log").toFile()).start());
    }
    StringBuilder all = new StringBuilder();
    List<Integer> exits = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      Process run = runs.get(i);
      if (!run.waitFor(60, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
      exits.add(run.isAlive() ? -1 : run.exitValue());
      all.append("--- run ").append(i).append(" ---\n")
          .append(Files.readString(project.resolve("run-" + i + ".log"), StandardCharsets.UTF_8));
    }

    assertThat(exits).as(all.toString()).containsOnly(0);
    assertThat(all.toString()).doesNotContain("[ERROR]").doesNotContain("failed!").doesNotContain("WARN");
    Process list = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        HistoryPipeline.class.getName(), "runs", "--json")
        .directory(project.toFile()).redirectErrorStream(true).start();
    String listed = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String compact = listed.replaceAll("\\s", "");
    assertThat(compact.split("\"exitCode\":0,\"state\":\"ended\"", -1)).as(listed).hasSize(PROCESSES + 1);
  }
}
