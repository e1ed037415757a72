package io.sluice.scenarios.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sluice run} process killed with -9 never records its end: {@code sluice runs} and
 * {@code show} say it is lost instead of running forever.
 */
class LostRunScenarioTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path project;

  @Test
  void aRunWhoseProcessWasKilledWithSigkillShowsAsLostNotRunning() throws Exception {
    Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        HistoryPipeline.class.getName(), "run", "Hang")
        .directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(project.resolve("run.log").toFile()).start();
    try {
      await(() -> Files.exists(project.resolve("started")), "the task to start");
      await(() -> sluice("runs", "--json").replaceAll("\\s", "").contains("\"state\":\"running\""),
          "the run to be recorded as running");
      await(() -> sluice("show", "last").contains("Hang()  RUNNING"), "the task to be recorded as running");
      assertThat(sluice("runs")).contains("running").doesNotContain("lost");

      run.destroyForcibly();  // SIGKILL: no shutdown hook, no end recorded
      assertThat(run.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

      String runs = sluice("runs");
      assertThat(runs).as(runs).contains("lost (its process died").doesNotContain("running");
      assertThat(sluice("show", "last")).contains("lost (its process died", "Hang()  RUNNING (lost)");
      assertThat(sluice("runs", "--json").replaceAll("\\s", "")).contains("\"state\":\"lost\"");
    } finally {
      run.destroyForcibly();
    }
  }

  /** Runs a history command in this JVM against the project's state directory; its stdout. */
  private String sluice(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      List<String> arguments = new java.util.ArrayList<>(List.of(args));
      arguments.addAll(List.of("--state-dir", project.resolve(".sluice").toString()));
      Cli.execute(arguments.toArray(String[]::new), HistoryPipeline.class);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Waited " + DEADLINE.toSeconds() + " s for " + what + "; the run printed:\n"
            + Files.readString(project.resolve("run.log")));
      }
      Thread.sleep(50);
    }
  }
}
