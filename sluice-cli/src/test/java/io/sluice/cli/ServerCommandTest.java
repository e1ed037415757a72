package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.server.ServerOptions;
import io.sluice.server.SluiceServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice server} and what it serves of the runs {@code sluice run} recorded. */
class ServerCommandTest {

  @TempDir Path dir;
  private String stderr;

  private int sluice(String... args) {
    TestPipeline.dir = dir;
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(arguments.toArray(String[]::new), TestPipeline.class);
    } finally {
      System.setErr(originalErr);
      stderr = err.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aNonLoopbackBindAddressIsRefusedWithWhatToDoInstead() {
    assertThat(sluice("server", "--bind", "0.0.0.0", "--port", "0")).isEqualTo(2);

    assertThat(stderr).contains("'0.0.0.0'").contains("127.0.0.1").contains("ssh -L");
  }

  @Test
  void aNicenessOutOfRangeIsRefusedNamingIt() {
    assertThat(sluice("server", "--nice", "25", "--port", "0")).isEqualTo(2);

    assertThat(stderr).contains("Niceness 25 is not from 0 to 19");
  }

  @Test
  void aScheduleOfSluiceTomlStartsSluiceRunInTheProjectAndTheHistoryRecordsItAsStartedByTheSchedule()
      throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path toml = Files.writeString(project.resolve("sluice.toml"), String.join("\n", "[schedules.stamp]",
        "cron = \"* * * * *\"", "task = \"Stamp\"", "args = [\"--module\", \"io.sluice.cli.scheduled\"]", ""));
    CommonOptions common = new CommonOptions();
    common.config = toml;
    Path state = dir.resolve("state");
    // The server's clock runs a minute in two real seconds, from 30 s before a due time.
    Instant start = Instant.parse("2026-11-30T10:00:30Z");
    long real = System.nanoTime();
    Clock fast = new Clock() {
      @Override
      public Instant instant() {
        return start.plusNanos((System.nanoTime() - real) * 30);
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
    ServerOptions options = ServerSchedules.add(ServerOptions.defaults(), ProjectConfig.load(toml), common, state)
        .withClock(fast, Duration.ofMillis(20));

    try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(state), "127.0.0.1", 0, options)) {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      JsonNode run = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (run == null && System.nanoTime() < deadline) {
        JsonNode schedule = json.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/schedules"))
            .build(), HttpResponse.BodyHandlers.ofString()).body()).get("schedules").get(0);
        for (JsonNode fire : schedule.get("fires")) {
          if (fire.path("runStatus").asText().equals("succeeded")) {
            run = json.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/runs/"
                + fire.get("runId").asText())).build(), HttpResponse.BodyHandlers.ofString()).body());
          }
        }
        Thread.sleep(200);
      }

      assertThat(run).as("a succeeded run of the schedule within 90 s; its logs: %s", logs(state)).isNotNull();
      assertThat(run.get("startedBy").asText()).isEqualTo("schedule");
      assertThat(run.get("rootTask").asText()).isEqualTo("Stamp()");
      assertThat(run.get("cwd").asText()).isEqualTo(project.toAbsolutePath().toString());
      assertThat(project.resolve("stamp.txt")).hasContent("stamped");
    }
  }

  private static String logs(Path state) throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(state.resolve("schedule-logs"))) {
      for (Path file : files.toList()) {
        text.append(file.getFileName()).append(":\n").append(Files.readString(file));
      }
    }
    return text.toString();
  }

  @Test
  void theServerListsTheRunsThatSluiceRunRecordedInTheStateDirectory() throws Exception {
    assertThat(sluice("run", "Repeat", "--times", "2")).isZero();

    try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(dir.resolve("state")), "127.0.0.1", 0)) {
      HttpResponse<String> runs = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.url() + "api/runs")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(runs.statusCode()).isEqualTo(200);
      assertThat(runs.body()).contains("\"rootTask\":\"Repeat(times=2, day=2024-01-31)\"").contains("\"status\":\"succeeded\"");
    }
  }
}
