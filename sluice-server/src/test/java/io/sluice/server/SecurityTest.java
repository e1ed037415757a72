package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.history.HistoryConfig;
import io.sluice.server.security.AccessToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access token and the protection of POSTs against cross-site requests, over real HTTP. */
class SecurityTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private SluiceServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HistoryConfig history() {
    return HistoryConfig.sqlite(dir.resolve("state"));
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path));
  }

  @Test
  void aNonLoopbackAddressWithoutAnAccessTokenIsRefusedSayingHowToGiveOne() {
    assertThatThrownBy(() -> SluiceServer.start(history(), "0.0.0.0", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0.0.0.0'")
        .hasMessageContaining("SLUICE_SERVER_TOKEN").hasMessageContaining("--token-file")
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void aShortTokenIsRefusedAndATokenFileIsRead() throws Exception {
    assertThatThrownBy(() -> AccessToken.from(null, Map.of("SLUICE_SERVER_TOKEN", "secret")))
        .hasMessageContaining("SLUICE_SERVER_TOKEN has 6 characters; give at least 16");
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");

    assertThat(AccessToken.from(file, Map.of()).orElseThrow().matches(TOKEN)).isTrue();
    assertThat(AccessToken.from(null, Map.of())).isEmpty();
  }

  @Test
  void withATokenEveryRequestMustShowItInAHeaderOrTheCookieAFirstVisitSets() throws Exception {
    server = SluiceServer.start(history(), "0.0.0.0", 0, ServerOptions.defaults()
        .withToken(Optional.of(AccessToken.of(TOKEN, "test"))));

    assertThat(send(request("/api/runs")).statusCode()).isEqualTo(401);
    assertThat(send(request("/")).statusCode()).isEqualTo(401);
    assertThat(send(request("/api/runs").header("Authorization", "Bearer wrong-wrong-wrong-wrong")).statusCode())
        .isEqualTo(401);
    assertThat(send(request("/api/runs").header("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);

    HttpResponse<String> firstVisit = send(request("/?token=" + TOKEN));
    assertThat(firstVisit.statusCode()).isEqualTo(303);
    assertThat(firstVisit.headers().firstValue("Location")).contains("/");
    String cookie = firstVisit.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("sluice_token=" + TOKEN).contains("HttpOnly").contains("SameSite=Strict");
    assertThat(send(request("/").header("Cookie", "sluice_token=" + TOKEN)).statusCode()).isEqualTo(200);
  }

  @Test
  void aCrossSitePostIsRefusedAndASameOriginOneWithTheServersTokenIsAccepted() throws Exception {
    server = SluiceServer.start(history(), "127.0.0.1", 0, ServerOptions.defaults()
        .withSchedules(SchedulesTest.schedules("0 3 * * *", "none"), SchedulesTest.standIn(dir.resolve("state"), dir),
            dir.resolve("logs"))
        .withClock(Clock.systemUTC(), java.time.Duration.ofSeconds(1)));
    String csrf = new ObjectMapper().readTree(send(request("/api/session")).body()).get("csrfToken").asText();
    String path = "/api/schedules/nightly/run";

    // What a form or a fetch on another site makes a browser send: the site is told, the token unknown.
    HttpResponse<String> crossSite = send(request(path).POST(HttpRequest.BodyPublishers.noBody())
        .header("Sec-Fetch-Site", "cross-site").header("Origin", "https://evil.example").header("X-Sluice-Csrf", csrf));
    HttpResponse<String> otherOrigin = send(request(path).POST(HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example").header("X-Sluice-Csrf", csrf));
    HttpResponse<String> noToken = send(request(path).POST(HttpRequest.BodyPublishers.noBody())
        .header("Sec-Fetch-Site", "same-origin").header("Origin", base()));
    HttpResponse<String> noOrigin = send(request(path).POST(HttpRequest.BodyPublishers.noBody())
        .header("X-Sluice-Csrf", csrf));

    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).contains("another site");
    assertThat(otherOrigin.statusCode()).isEqualTo(403);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("X-Sluice-Csrf");
    assertThat(noOrigin.statusCode()).isEqualTo(403);

    HttpResponse<String> sameOrigin = send(request(path).POST(HttpRequest.BodyPublishers.noBody())
        .header("Sec-Fetch-Site", "same-origin").header("Origin", base()).header("X-Sluice-Csrf", csrf));
    assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(202);
  }
}
