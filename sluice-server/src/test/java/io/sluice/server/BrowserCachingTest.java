package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a browser's cache may keep: answers it asks again for with their ETag, scripts kept for good by version. */
class BrowserCachingTest {

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

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void serveARun() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    RecordedRuns.record(config, dir.resolve("state"), "run-report", "host-a", Instant.parse("2026-11-30T10:00:00Z"),
        new TestTasks.Report(dir.resolve("out").toString(), 5));
    server = SluiceServer.start(config, "127.0.0.1", 0);
  }

  @Test
  void anApiAnswerAskedAgainWithItsETagIsABodiless304AndOneWithAnOtherTagIsSentWhole() throws Exception {
    serveARun();
    for (String path : new String[] {"/api/runs/run-report", "/api/runs/run-report/overview", "/api/runs/run-report/graph",
        "/api/runs/run-report/timeline", "/api/runs/run-report/tasks?offset=0&limit=100", "/api/runs"}) {
      HttpResponse<byte[]> first = get(path);
      assertThat(first.statusCode()).as(path).isEqualTo(200);
      assertThat(first.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
      String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + " has no ETag"));

      HttpResponse<byte[]> again = get(path, "If-None-Match", etag);
      assertThat(again.statusCode()).as(path).isEqualTo(304);
      assertThat(again.body()).as(path).isEmpty();
      assertThat(get(path, "If-None-Match", "\"other\", W/" + etag).statusCode()).as(path).isEqualTo(304);

      HttpResponse<byte[]> stale = get(path, "If-None-Match", "\"other\"");
      assertThat(stale.statusCode()).as(path).isEqualTo(200);
      assertThat(stale.body()).as(path).isEqualTo(first.body());
    }
  }

  @Test
  void aGzippedAnswerHasATagOfItsOwnSinceItsBytesDiffer() throws Exception {
    serveARun();
    String plain = get("/api/runs/run-report/tasks").headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> gzipped = get("/api/runs/run-report/tasks", "Accept-Encoding", "gzip");
    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String tag = gzipped.headers().firstValue("ETag").orElseThrow();
    assertThat(tag).isNotEqualTo(plain);
    assertThat(get("/api/runs/run-report/tasks", "Accept-Encoding", "gzip", "If-None-Match", tag).statusCode()).isEqualTo(304);
    assertThat(get("/api/runs/run-report/tasks", "If-None-Match", tag).statusCode()).isEqualTo(200);
  }

  @Test
  void thePagesNameTheirScriptsByVersionAndABrowserKeepsAVersionedScriptForGood() throws Exception {
    serveARun();
    HttpResponse<byte[]> page = get("/runs/run-report");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    Matcher script = Pattern.compile("\"(/static/run\\.js\\?v=([0-9a-f]+))\"")
        .matcher(new String(page.body(), StandardCharsets.UTF_8));
    assertThat(script.find()).as("run.html names run.js with its version").isTrue();

    HttpResponse<byte[]> versioned = get(script.group(1));
    assertThat(versioned.statusCode()).isEqualTo(200);
    assertThat(versioned.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(versioned.body()).isEqualTo(get("/static/run.js").body());

    // Without its version, or with an old one (a page kept from before an upgrade): asked again each time.
    assertThat(get("/static/run.js").headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(get("/static/run.js?v=0ld").headers().firstValue("Cache-Control")).hasValue("no-cache");
  }
}
