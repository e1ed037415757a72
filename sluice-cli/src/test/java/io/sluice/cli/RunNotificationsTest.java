package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run} tells of its end through {@code [notify]}: here to a local webhook. */
class RunNotificationsTest {

  /** Fails while the file {@code fail} is in {@link #dir}; writes {@code flip.txt} otherwise. */
  record Flip() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("flip.txt"));
    }

    @Override
    public void run(TaskContext context) throws Exception {
      if (Files.exists(dir.resolve("fail"))) {
        throw new IllegalStateException("the flip is stuck");
      }
      try (var out = output().openWriter()) {
        out.write("flipped");
      }
    }
  }

  static volatile Path dir;

  @TempDir Path temp;
  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private String stderr;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private int sluice(Path config, String... args) {
    dir = temp;
    List<String> arguments = new java.util.ArrayList<>(List.of(args));
    arguments.addAll(List.of("--state-dir", temp.resolve("state").toString(), "--config", config.toString()));
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(arguments.toArray(String[]::new), RunNotificationsTest.class);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      stderr = err.toString(StandardCharsets.UTF_8);
    }
  }

  private String receiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private Path config(String webhook) throws Exception {
    return Files.writeString(temp.resolve("sluice.toml"), String.join("\n", "[notify]",
        "on = [\"failure\", \"recovery\"]", "server_url = \"http://sluice.example:8082/\"", "[notify.webhook]",
        "url = \"" + webhook + "\"", ""));
  }

  private String text(int notice) throws Exception {
    return new ObjectMapper().readTree(received.get(notice)).get("text").asText();
  }

  @Test
  void aFailedRunPostsItsFailureWithALinkAndTheNextGoodRunOfTheTaskPostsItsRecovery() throws Exception {
    Path config = config(receiver());
    Files.createFile(temp.resolve("fail"));

    assertThat(sluice(config, "run", "Flip")).isEqualTo(1);
    assertThat(received).hasSize(1);
    assertThat(text(0)).startsWith("Sluice: Flip() failed (exit 1) on ").contains("Flip(): ")
        .contains("the flip is stuck").containsPattern("http://sluice\\.example:8082/runs/\\d{8}-\\d{6}-[0-9a-f]{6}");

    Files.delete(temp.resolve("fail"));
    assertThat(sluice(config, "run", "Flip")).isZero();
    assertThat(received).hasSize(2);
    assertThat(text(1)).startsWith("Sluice: Flip() succeeded again on ");

    // Success after success is not told: on = ["failure", "recovery"].
    Files.delete(temp.resolve("flip.txt"));
    assertThat(sluice(config, "run", "Flip")).isZero();
    assertThat(received).hasSize(2);
  }

  @Test
  void aWebhookThatCannotBeReachedIsAWarningAndTheRunKeepsItsExitCode() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path config = config("http://127.0.0.1:" + closed + "/hook");
    Files.createFile(temp.resolve("fail"));

    assertThat(sluice(config, "run", "Flip")).isEqualTo(1);
    assertThat(stderr).contains("Could not post the failure notice to the webhook http://127.0.0.1");
    Files.delete(temp.resolve("fail"));
    assertThat(sluice(config, "run", "Flip")).isZero();
  }

  @Test
  void aMistakeInNotifyStopsTheRunBeforeAnythingRuns() throws Exception {
    Path config = Files.writeString(temp.resolve("sluice.toml"), "[notify]\non = [\"failures\"]\n");

    assertThat(sluice(config, "run", "Flip")).isEqualTo(2);
    assertThat(stderr).contains("[notify] on has \"failures\"");
    assertThat(temp.resolve("flip.txt")).doesNotExist();
  }
}
