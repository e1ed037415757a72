package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.TestDatabases;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageFilesTest {

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBrowserWhoseCopyOfAScriptIsCurrentGetsA304AndOneThatTakesGzipGetsItGzipped() throws Exception {
    try (SluiceServer server = SluiceServer.start(TestDatabases.SQLITE.create(dir), "127.0.0.1", 0)) {
      URI script = URI.create(server.url() + "static/run.js");
      HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(script).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      String etag = first.headers().firstValue("ETag").orElseThrow();

      HttpResponse<byte[]> again = http.send(HttpRequest.newBuilder(script).header("If-None-Match", etag).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();

      HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(script).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
        assertThat(in.readAllBytes()).isEqualTo(first.body());
      }
      HttpResponse<byte[]> stale = http.send(HttpRequest.newBuilder(script).header("If-None-Match", "\"old\"").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.body()).isEqualTo(first.body());
    }
  }
}
