package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.server.SluiceServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
