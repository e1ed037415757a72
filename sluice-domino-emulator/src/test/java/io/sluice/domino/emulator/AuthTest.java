package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every API request needs the key, in either header python-domino sends. */
class AuthTest {

  @TempDir Path temp;
  DominoEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().apiKey("s3cret").dataDir(temp));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void requestWithoutAKeyIs401SayingWhereTheKeyGoes() {
    ApiClient.Answer answer = new ApiClient(emulator.url(), null).get(project(emulator) + "/runs");

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().get("message").asText()).contains("X-Domino-Api-Key").contains("Bearer");
  }

  @Test
  void requestWithAWrongKeyIs401OnEveryEndpoint() {
    ApiClient wrong = new ApiClient(emulator.url(), "guess");

    assertThat(wrong.get(project(emulator) + "/runs").status()).isEqualTo(401);
    assertThat(wrong.put(project(emulator) + "/a.txt", "a".getBytes()).status()).isEqualTo(401);
    assertThat(wrong.get("/v4/gateway/projects/findProjectByOwnerAndName?ownerName=sluice&projectName=sluice-examples")
        .status()).isEqualTo(401);
    assertThat(wrong.post("/v4/jobs/stop", "{}").status()).isEqualTo(401);
  }

  @Test
  void keyInTheApiKeyHeaderIsAccepted() {
    assertThat(new ApiClient(emulator).get(project(emulator) + "/runs").status()).isEqualTo(200);
  }

  @Test
  void keyAsABearerTokenIsAccepted() {
    ApiClient noKey = new ApiClient(emulator.url(), null);

    ApiClient.Answer answer = noKey.send(noKey.request(project(emulator) + "/runs")
        .header("Authorization", "Bearer s3cret").GET());
    ApiClient.Answer wrong = noKey.send(noKey.request(project(emulator) + "/runs")
        .header("Authorization", "Bearer other").GET());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(wrong.status()).isEqualTo(401);
  }

  @Test
  void defaultKeyIsEmulatorKey() throws Exception {
    try (DominoEmulator defaults = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("d")))) {
      assertThat(defaults.apiKey()).isEqualTo("emulator-key");
      assertThat(new ApiClient(defaults.url(), "emulator-key").get(project(defaults) + "/runs").status()).isEqualTo(200);
    }
  }
}
