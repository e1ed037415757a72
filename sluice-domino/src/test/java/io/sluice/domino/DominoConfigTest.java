package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DominoConfigTest {

  private static Settings domino(Map<String, Object> table) {
    return new Settings(Map.of("remote", Map.of("domino", table)));
  }

  @Test
  void theFileWinsOverTheEnvironmentAndTheEnvironmentFillsWhatTheFileLeavesOut() {
    DominoConfig config = DominoConfig.from(domino(Map.of("owner", "sluice", "project", "examples")),
        Map.of("DOMINO_API_HOST", "http://127.0.0.1:9/", "DOMINO_PROJECT_OWNER", "someone-else",
            "DOMINO_RUN_ID", "r-1"));

    assertThat(config.host()).isEqualTo(URI.create("http://127.0.0.1:9"));
    assertThat(config.owner()).isEqualTo("sluice");
    assertThat(config.project()).isEqualTo("examples");
    assertThat(config.runId()).isEqualTo("r-1");
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retryWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(DominoConfig.from(domino(Map.of("host", "https://d.example.com", "owner", "o", "project", "p",
        "retry_window", "2m", "poll_interval", "250ms")), Map.of("DOMINO_API_HOST", "http://other")))
        .extracting(DominoConfig::host, DominoConfig::retryWindow, DominoConfig::pollInterval)
        .containsExactly(URI.create("https://d.example.com"), Duration.ofMinutes(2), Duration.ofMillis(250));
  }

  @Test
  void aMissingHostSaysWhereToSetIt() {
    assertThatThrownBy(() -> DominoConfig.from(domino(Map.of("owner", "o", "project", "p")), Map.of()))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("DOMINO_API_HOST").hasMessageContaining("[remote.domino]");
  }

  @Test
  void aKeyInTheFileIsRefusedAndTheEnvironmentIsNamedInstead() {
    assertThatThrownBy(() -> DominoConfig.from(domino(Map.of("api_key", "secret")), Map.of()))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("DOMINO_USER_API_KEY").hasMessageNotContaining("secret");
  }

  @Test
  void badValuesAreNamed() {
    Map<String, String> env = Map.of("DOMINO_API_HOST", "http://h", "DOMINO_PROJECT_OWNER", "o",
        "DOMINO_PROJECT_NAME", "p");
    assertThatThrownBy(() -> DominoConfig.from(domino(Map.of("retry_window", "soon")), env))
        .hasMessageContaining("retry_window = \"soon\"");
    assertThatThrownBy(() -> DominoConfig.from(domino(Map.of("hots", "x")), env))
        .hasMessageContaining("unknown setting 'hots'");
    assertThatThrownBy(() -> DominoConfig.from(domino(Map.of("host", "domino.example.com")), env))
        .hasMessageContaining("'domino.example.com' is not an http(s) URL");
  }

  @Test
  void withoutKeyOrTokenFileTheErrorNamesBoth() {
    assertThatThrownBy(() -> DominoCredentials.from(Map.of()))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("DOMINO_USER_API_KEY").hasMessageContaining("DOMINO_TOKEN_FILE");
  }
}
