package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fault, injected from Java and over HTTP; durations pass on a clock the test moves. */
class FaultsTest {

  @TempDir Path temp;
  final MutableClock clock = new MutableClock();
  DominoEmulator emulator;
  ApiClient api;
  String runs;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp).clock(clock));
    api = new ApiClient(emulator);
    runs = project(emulator) + "/runs";
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void burstOfErrorsAnswersEveryRequestForItsDurationThenStops() {
    emulator.faults().failRequests(503, Duration.ofMinutes(2));

    assertThat(statuses(3)).containsOnly(503);
    assertThat(new ApiClient(emulator.url(), null).get(runs).status()).as("before the key check").isEqualTo(503);
    clock.advance(Duration.ofSeconds(119));
    assertThat(api.get(runs).status()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(1));
    assertThat(statuses(2)).containsOnly(200);
  }

  @Test
  void countedErrorsAnswerTheNextRequestsOnly() {
    emulator.faults().failNextRequests(502, 3);

    assertThat(statuses(5)).containsExactly(502, 502, 502, 200, 200);
  }

  @Test
  void conflictsComeAfterTheKeyCheck() {
    emulator.faults().rejectNextWithConflict(2);

    assertThat(new ApiClient(emulator.url(), "wrong").get(runs).status()).isEqualTo(401);
    assertThat(statuses(3)).containsExactly(409, 409, 200);
  }

  @Test
  void slowResponsesWaitTheDelayForTheDuration() {
    emulator.faults().delayResponses(Duration.ofMillis(400), Duration.ofMinutes(1));

    long start = System.nanoTime();
    assertThat(api.get(runs).status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    clock.advance(Duration.ofMinutes(1));
    assertThat(emulator.faults().currentDelay()).isZero();
  }

  @Test
  void hiddenRunIsMissingFromTheListForAWhileButFoundById() {
    String runId = api.startRun(emulator, List.of("true"), "Small", null);
    api.awaitCompleted(emulator, runId);

    emulator.faults().hideRunFromList(runId, Duration.ofSeconds(30));

    assertThat(listedIds()).doesNotContain(runId);
    assertThat(api.get(runs + "/" + runId).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    assertThat(listedIds()).contains(runId);
  }

  @Test
  void nextRunEndsInTheGivenStatusWhateverItsCommandDoes() {
    emulator.faults().nextRunEndsIn("Error").nextRunEndsIn("Failed");

    JsonNode error = api.awaitCompleted(emulator, api.startRun(emulator, List.of("true"), "Small", null));
    JsonNode failed = api.awaitCompleted(emulator, api.startRun(emulator, List.of("true"), "Small", null));

    assertThat(error.get("status").asText()).isEqualTo("Error");
    assertThat(failed.get("status").asText()).isEqualTo("Failed");
  }

  @Test
  void clearRemovesEveryFault() {
    emulator.faults().failRequests(503, Duration.ofMinutes(5)).rejectNextWithConflict(3);

    emulator.faults().clear();

    assertThat(statuses(2)).containsOnly(200);
  }

  @Test
  void faultsOverHttpAreTheSameAsFromJava() {
    ApiClient control = new ApiClient(emulator.url(), null);

    ApiClient.Answer answer = control.post("/_emulator/faults",
        Map.of("failNextRequests", Map.of("status", 502, "count", 1), "rejectNextWithConflict", 1));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("applied")).extracting(JsonNode::asText)
        .containsExactly("failNextRequests", "rejectNextWithConflict");
    assertThat(statuses(3)).containsExactly(502, 409, 200);
  }

  @Test
  void burstOverHttpTakesDurationsInTheUsualForms() {
    ApiClient control = new ApiClient(emulator.url(), null);

    control.post("/_emulator/faults", Map.of("failRequests", Map.of("status", 503, "during", "2m")));
    assertThat(statuses(1)).containsOnly(503);
    clock.advance(Duration.ofMinutes(2));
    control.post("/_emulator/faults", Map.of("failRequests", Map.of("status", 502, "during", 1000)));
    assertThat(statuses(1)).containsOnly(502);
    clock.advance(Duration.ofSeconds(1));
    control.post("/_emulator/faults", Map.of("delayResponses", Map.of("delay", "PT0.1S", "during", "10s")));
    assertThat(emulator.faults().currentDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(statuses(1)).containsOnly(200);
  }

  @Test
  void hiddenRunAndRunEndingOverHttp() {
    ApiClient control = new ApiClient(emulator.url(), null);
    control.post("/_emulator/faults", Map.of("nextRunEndsIn", "Error"));
    String runId = api.startRun(emulator, List.of("true"), "Small", null);

    control.post("/_emulator/faults", Map.of("hideRunFromList", Map.of("runId", runId, "during", "5s")));

    assertThat(listedIds()).doesNotContain(runId);
    assertThat(api.awaitCompleted(emulator, runId).get("status").asText()).isEqualTo("Error");
  }

  @Test
  void theEmulatorsOwnEndpointIsNeverFaulted() {
    emulator.faults().failRequests(503, Duration.ofMinutes(5));

    ApiClient.Answer answer = new ApiClient(emulator.url(), null).post("/_emulator/faults", Map.of("clear", true));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(statuses(1)).containsOnly(200);
  }

  @Test
  void badFaultRequestsAre400NamingTheValue() {
    ApiClient control = new ApiClient(emulator.url(), null);

    assertThat(control.post("/_emulator/faults", Map.of("explode", true)).json().get("message").asText())
        .contains("'explode'");
    ApiClient.Answer badStatus = control.post("/_emulator/faults",
        Map.of("failRequests", Map.of("status", 200, "during", "1m")));
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.json().get("message").asText()).contains("200");
    assertThat(control.post("/_emulator/faults", Map.of("failRequests", Map.of("status", 503, "during", "soon")))
        .json().get("message").asText()).contains("soon");
    assertThat(control.post("/_emulator/faults", Map.of("nextRunEndsIn", "Exploded")).json().get("message").asText())
        .contains("Exploded");
  }

  @Test
  void badFaultsFromJavaSayWhatIsWrong() {
    assertThatThrownBy(() -> emulator.faults().failNextRequests(302, 1)).hasMessageContaining("302");
    assertThatThrownBy(() -> emulator.faults().rejectNextWithConflict(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> emulator.faults().failRequests(503, Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> emulator.faults().nextRunEndsIn("Running")).hasMessageContaining("Running");
  }

  private List<Integer> statuses(int requests) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(api.get(runs).status());
    }
    return statuses;
  }

  private List<String> listedIds() {
    List<String> ids = new ArrayList<>();
    api.get(runs).json().get("data").forEach(run -> ids.add(run.get("id").asText()));
    return ids;
  }
}
