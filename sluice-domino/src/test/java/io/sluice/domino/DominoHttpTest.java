package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One request, seen through Domino's transient failures: real HTTP, exact time. */
class DominoHttpTest {

  @TempDir Path dir;
  private HttpServer server;
  private final MutableClock clock = new MutableClock();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** Serves every request with {@code answer(n)} for the n-th request (0-based): status and body. */
  private URI serve(Function<Integer, Object[]> answer) throws IOException {
    AtomicInteger count = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", (HttpExchange exchange) -> {
      String key = exchange.getRequestHeaders().getFirst("X-Domino-Api-Key");
      authorizations.add(key != null ? "key " + key : String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      Object[] reply = answer.apply(count.getAndIncrement());
      byte[] body = String.valueOf(reply[1]).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders((Integer) reply[0], body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private DominoHttp http(URI host, DominoCredentials credentials, Duration window) {
    return new DominoHttp(host, credentials, window, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), clock,
        duration -> {
          waits.add(duration);
          clock.advance(duration);
        }, new Random(7), Duration.ofSeconds(10));
  }

  private static DominoCredentials key(String key) {
    return DominoCredentials.from(Map.of("DOMINO_USER_API_KEY", key));
  }

  @Test
  void transientFailuresAreRetriedWithGrowingJitteredWaitsUntilDominoAnswers() throws Exception {
    int[] statuses = {503, 502, 504, 408, 429, 500};
    URI host = serve(n -> n < statuses.length ? new Object[] {statuses[n], "busy"} : new Object[] {200, "{\"ok\":1}"});

    DominoHttp.Answer answer = http(host, key("k"), Duration.ofMinutes(10)).get("/v1/x");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("{\"ok\":1}");
    assertThat(waits).hasSize(6);
    long[] ceilings = {100, 200, 400, 800, 1600, 2000};
    for (int i = 0; i < waits.size(); i++) {
      assertThat(waits.get(i).toMillis()).as("wait %d", i).isBetween(ceilings[i] / 2, ceilings[i]);
    }
    assertThat(authorizations).allMatch("key k"::equals);
  }

  @Test
  void aFailureThatOutlastsTheRetryWindowFailsNamingTheWindowAndTheLastAnswer() throws Exception {
    URI host = serve(n -> new Object[] {503, "maintenance"});

    assertThatThrownBy(() -> http(host, key("k"), Duration.ofSeconds(30)).get("/v1/x"))
        .isInstanceOf(DominoApiException.class)
        .hasMessageContaining("GET " + host + "/v1/x kept failing for the retry window of 30s")
        .hasMessageContaining("HTTP 503 maintenance")
        .hasMessageContaining("retry_window");
    Duration waited = waits.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isLessThanOrEqualTo(Duration.ofSeconds(30)).isGreaterThan(Duration.ofSeconds(25));
  }

  @Test
  void aRequestWithAShorterLimitGivesUpAtThatLimitNotAtTheWindow() throws Exception {
    URI host = serve(n -> new Object[] {503, "down"});

    assertThatThrownBy(() -> http(host, key("k"), Duration.ofMinutes(10)).postJson("/v4/jobs/stop", "{}",
        Duration.ofSeconds(20)))
        .hasMessageContaining("kept failing for the retry window of 20s");
    assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aConnectionRefusedIsRetriedLikeATransientAnswer() throws Exception {
    URI host = serve(n -> new Object[] {200, "{}"});
    server.stop(0);
    server = null;

    assertThatThrownBy(() -> http(host, key("k"), Duration.ofSeconds(5)).get("/v1/x"))
        .isInstanceOf(DominoApiException.class)
        .hasMessageContaining("kept failing for the retry window of 5s")
        .hasMessageContaining("ConnectException");
    assertThat(waits).hasSizeGreaterThan(2);
  }

  @Test
  void aBadRequestIsNotRetriedAndSaysWhatDominoSaid() throws Exception {
    URI host = serve(n -> new Object[] {400, "{\"message\":\"Unknown hardware tier 'XL'\"}"});

    assertThatThrownBy(() -> http(host, key("k"), Duration.ofMinutes(10)).postJson("/v1/runs", "{}"))
        .isInstanceOf(DominoApiException.class)
        .hasMessageContaining("POST " + host + "/v1/runs answered 400")
        .hasMessageContaining("Unknown hardware tier 'XL'");
    assertThat(waits).isEmpty();
  }

  @Test
  void aRotatedTokenIsReadAgainWhenTheFileChangesAndOnceMoreOnA401() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "token-1\n");
    URI host = serve(n -> {
      String last = authorizations.get(authorizations.size() - 1);
      return last.equals("Bearer " + (n < 1 ? "token-1" : "token-2")) ? new Object[] {200, "{}"} : new Object[] {401, "expired"};
    });
    DominoCredentials credentials = DominoCredentials.from(Map.of("DOMINO_TOKEN_FILE", file.toString()));
    DominoHttp http = http(host, credentials, Duration.ofMinutes(10));
    assertThat(http.get("/v1/a").status()).isEqualTo(200);
    // Rotated in place with the same size and modification time: only the 401 tells.
    FileTime modified = Files.getLastModifiedTime(file);
    Files.writeString(file, "token-2\n");
    Files.setLastModifiedTime(file, modified);

    assertThat(http.get("/v1/b").status()).isEqualTo(200);

    assertThat(authorizations).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    assertThat(waits).isEmpty();
  }

  @Test
  void aKeyRefusedAfterReadingItAgainFailsSayingWhichCredentialsWereUsed() throws Exception {
    URI host = serve(n -> new Object[] {401, "bad key"});

    assertThatThrownBy(() -> http(host, key("wrong"), Duration.ofMinutes(10)).get("/v1/x"))
        .isInstanceOf(DominoApiException.class)
        .hasMessageContaining("answered 401").hasMessageContaining("DOMINO_USER_API_KEY")
        .hasMessageNotContaining("wrong");
    assertThat(authorizations).hasSize(2);
  }

  @Test
  void aConflictIsRetriedAfterTheCredentialsAreReadAgain() throws Exception {
    URI host = serve(n -> n < 3 ? new Object[] {409, "conflict"} : new Object[] {200, "{}"});

    assertThat(http(host, key("k"), Duration.ofMinutes(10)).get("/v1/x").status()).isEqualTo(200);
    assertThat(authorizations).hasSize(4);
    assertThat(waits).hasSize(2);
  }
}
