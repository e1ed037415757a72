package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.ScheduleFire;
import io.sluice.server.schedule.RunLauncher;
import io.sluice.server.schedule.Schedule;
import io.sluice.server.schedule.ScheduleSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules run by the server: real {@code sluice run}-like processes, a fast clock, the API over real HTTP. */
class SchedulesTest {

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private SluiceServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Starts the stand-in of {@code sluice run} with this JVM and this test's classpath, in {@code dir}. */
  static RunLauncher standIn(Path stateDir, Path projectDir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return RunLauncher.command(List.of(java, "-cp", System.getProperty("java.class.path"),
        ScheduledRunStandIn.class.getName(), stateDir.toAbsolutePath().toString()), List.of(), projectDir);
  }

  static List<Schedule> schedules(String cron, String catchUp) {
    return ScheduleSettings.parse(Map.of("nightly", Map.of("cron", cron, "task", "ScoreReport", "args",
        List.of("--workers", "3"), "catch_up", catchUp)), "sluice.toml");
  }

  private void serve(List<Schedule> schedules, Clock clock) throws Exception {
    Path state = dir.resolve("state");
    server = SluiceServer.start(HistoryConfig.sqlite(state), "127.0.0.1", 0, ServerOptions.defaults()
        .withSchedules(schedules, standIn(state, dir), state.resolve("schedule-logs"))
        .withClock(clock, Duration.ofMillis(20)));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Polls the schedule's fires until one satisfies {@code wanted} (processes take their time to start). */
  private JsonNode awaitFire(Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode schedule = null;
    while (System.nanoTime() < deadline) {
      schedule = get("/api/schedules").get("schedules").get(0);
      for (JsonNode fire : schedule.get("fires")) {
        if (wanted.test(fire)) {
          return fire;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No such fire within 60 s; the schedule: " + schedule);
  }

  private static boolean finished(JsonNode fire) {
    return fire.hasNonNull("runStatus") && !fire.get("runStatus").asText().equals("running");
  }

  @Test
  void aScheduleFiresOnItsCronTimeAndItsRunIsRecordedAsStartedByTheSchedule() throws Exception {
    // A minute of the clock is a real second.
    serve(schedules("* * * * *", "none"), new FastClock(Instant.parse("2026-11-30T10:00:30Z"), 60));

    JsonNode fire = awaitFire(SchedulesTest::finished);

    assertThat(fire.get("reason").asText()).isEqualTo("cron");
    assertThat(fire.get("runStatus").asText()).isEqualTo("succeeded");
    assertThat(Instant.parse(fire.get("dueAt").asText())).isAfter(Instant.parse("2026-11-30T10:00:30Z"));
    JsonNode run = get("/api/runs/" + fire.get("runId").asText());
    assertThat(run.get("startedBy").asText()).isEqualTo("schedule");
    assertThat(run.get("rootTask").asText()).isEqualTo("ScoreReport");
    assertThat(run.get("cwd").asText()).isEqualTo(dir.toAbsolutePath().toString());
    assertThat(Files.readString(Path.of(fire.get("logFile").asText()))).contains("ran ScoreReport --workers 3");
    // A minute passes while a run goes: those due times are skipped (overlap = "skip"), not piled up.
    JsonNode schedule = get("/api/schedules").get("schedules").get(0);
    assertThat(schedule.get("overlap").asText()).isEqualTo("skip");
    assertThat(Instant.parse(schedule.get("next").asText())).isAfter(Instant.parse(fire.get("dueAt").asText()));
  }

  @Test
  void runNowFromThePageStartsARunAndAnUnknownScheduleIsNotFound() throws Exception {
    serve(schedules("0 3 * * *", "none"), Clock.systemUTC());
    JsonNode session = get("/api/session");

    HttpResponse<String> started = post("/api/schedules/nightly/run", session.get("csrfToken").asText());
    HttpResponse<String> unknown = post("/api/schedules/nighty/run", session.get("csrfToken").asText());

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    assertThat(json.readTree(started.body()).get("outcome").asText()).isEqualTo("started");
    JsonNode fire = awaitFire(SchedulesTest::finished);
    assertThat(fire.get("reason").asText()).isEqualTo("manual");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("nighty").contains("/api/schedules");
  }

  @Test
  void aRestartedServerCatchesUpTheLastDueTimeItMissed() throws Exception {
    Path state = dir.resolve("state");
    try (HistoryDatabase history = HistoryDatabase.open(HistoryConfig.sqlite(state))) {
      Instant lastNight = Instant.parse("2026-11-27T03:00:00Z");
      history.scheduleFires().record(new ScheduleFire("nightly", lastNight, lastNight, "cron", "started", "test-host",
          1L, null, null, null));
    }

    serve(schedules("0 3 * * *", "last"), Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), java.time.ZoneOffset.UTC));

    JsonNode fire = awaitFire(f -> f.get("reason").asText().equals("catch-up") && finished(f));
    assertThat(fire.get("dueAt").asText()).isEqualTo("2026-11-30T03:00:00Z");
    assertThat(fire.get("runStatus").asText()).isEqualTo("succeeded");
  }

  private HttpResponse<String> post(String path, String csrf) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.noBody())
        .header("Origin", base()).header("X-Sluice-Csrf", csrf).build(), HttpResponse.BodyHandlers.ofString());
  }
}
