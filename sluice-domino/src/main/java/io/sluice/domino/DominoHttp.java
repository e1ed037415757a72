package io.sluice.domino;

import io.sluice.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to Domino and sees it through transient failures: 408, 429, every 5xx and
 * connection errors are retried with {@link Backoff} until the retry window (from the first
 * attempt) runs out; a 401 or 409 reads the credentials again and retries once (a 409 after that
 * is retried like a transient error). 2xx and 404 are answered; anything else is a
 * {@link DominoApiException} naming the request and Domino's words.
 */
final class DominoHttp {

  private static final Logger LOG = LoggerFactory.getLogger(DominoHttp.class);

  /** One request's answer: its status and body. */
  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    boolean found() {
      return status != 404;
    }
  }

  private final URI host;
  private final DominoCredentials credentials;
  private final Duration window;
  private final Backoff backoff;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final HttpClient client;
  private final Duration requestTimeout;

  DominoHttp(URI host, DominoCredentials credentials, Duration window, Backoff backoff, Clock clock, Sleeper sleeper,
      RandomGenerator random, Duration requestTimeout) {
    this.host = host;
    this.credentials = credentials;
    this.window = window;
    this.backoff = backoff;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  URI host() {
    return host;
  }

  Answer get(String path) throws IOException {
    return send("GET", path, HttpRequest.BodyPublishers.noBody(), null, window);
  }

  Answer postJson(String path, String json) throws IOException {
    return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json", window);
  }

  /**
   * A POST retried for at most {@code limit} (and the window): a stop on Ctrl-C must not keep
   * the user waiting through a long outage.
   */
  Answer postJson(String path, String json, Duration limit) throws IOException {
    Duration shorter = limit.compareTo(window) < 0 ? limit : window;
    return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json", shorter);
  }

  Answer put(String path, HttpRequest.BodyPublisher body) throws IOException {
    return send("PUT", path, body, "application/octet-stream", window);
  }

  private Answer send(String method, String path, HttpRequest.BodyPublisher body, String contentType,
      Duration window) throws IOException {
    String what = method + " " + host + path;
    Instant deadline = clock.instant().plus(window);
    boolean reread = false;
    int attempt = 0;
    while (true) {
      String failure;
      try {
        String[] header = credentials.header();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host + path)).timeout(requestTimeout)
            .method(method, body).header(header[0], header[1]).header("Accept", "application/json");
        if (contentType != null) {
          request.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        Answer answer = new Answer(status, response.body());
        if (status / 100 == 2 || status == 404) {
          return answer;
        }
        if ((status == 401 || status == 409) && !reread) {
          // A rotated token: read it again, once, before taking the refusal as final.
          reread = true;
          credentials.reload();
          continue;
        }
        if (!(status == 408 || status == 409 || status == 429 || status / 100 == 5)) {
          throw new DominoApiException(status, what + " answered " + status + ": " + excerpt(answer.text())
              + (status == 401 || status == 403 ? " (check " + credentials + ")" : ""));
        }
        failure = "HTTP " + status + " " + excerpt(answer.text());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during " + what);
      } catch (DominoApiException e) {
        throw e;
      } catch (IOException e) {
        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        failure = e.toString();
      }
      Duration delay = backoff.delay(attempt++, random);
      if (clock.instant().plus(delay).isAfter(deadline)) {
        throw new DominoApiException(0, what + " kept failing for the retry window of " + describe(window)
            + " (" + attempt + " attempts; last: " + failure + "). Is Domino at " + host + " up? A longer"
            + " retry_window under [remote.domino] rides out longer outages.");
      }
      if (attempt == 1 || attempt % 10 == 0) {
        LOG.warn("{} failed ({}); retrying for up to {}", what, failure, describe(window));
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while retrying " + what);
      }
    }
  }

  private static String excerpt(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  static String describe(Duration duration) {
    return duration.toString().substring(2).toLowerCase();
  }
}
