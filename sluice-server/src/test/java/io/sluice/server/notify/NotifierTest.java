package io.sluice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notices of a run's end, to a local HTTP receiver and a local SMTP server. */
class NotifierTest {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final RunSummary FAILED = new RunSummary("20261130-030000-abcdef", "ScoreReport(day=2026-11-30)", 1,
      "Failure: 1 task failed, 3 ran successfully", List.of("FitModel(seed=1): out of memory"),
      Duration.ofSeconds(75), "host-1", "http://sluice.example:8082/runs/20261130-030000-abcdef");

  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  /** A local webhook that keeps what it is posted and answers {@code status}. */
  private String receiver(int status) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hooks/T000/B000", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/T000/B000";
  }

  private NotifySettings settings(Map<String, Object> section) {
    return NotifySettings.parse(section, Map.of("SLUICE_SMTP_USER", "sluice", "SLUICE_SMTP_PASSWORD", "secret"),
        "sluice.toml");
  }

  @Test
  void aFailedRunIsPostedToTheWebhookAsSlackJsonWithItsSummaryAndTheLinkToItsPage() throws Exception {
    String url = receiver(200);

    new Notifier(settings(Map.of("webhook", Map.of("url", url))), warnings::add).notify(FAILED, null);

    assertThat(warnings).isEmpty();
    assertThat(received).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(received.get(0));
    assertThat(json.fieldNames()).toIterable().containsExactly("text");
    assertThat(json.get("text").asText()).startsWith("Sluice: ScoreReport(day=2026-11-30) failed (exit 1) on host-1\n")
        .contains("Failure: 1 task failed").contains("FitModel(seed=1): out of memory")
        .contains("http://sluice.example:8082/runs/20261130-030000-abcdef");
  }

  @Test
  void aFailedRunIsMailedThroughSmtpToEveryRecipientWithTheCredentialsOfTheEnvironment() throws Exception {
    SMTP.setUser("sluice", "secret");
    NotifySettings settings = settings(Map.of("email", Map.of("smtp_host", "127.0.0.1", "smtp_port",
        (long) SMTP.getSmtp().getPort(), "from", "sluice@example.com", "to", List.of("a@example.com", "b@example.com"))));

    new Notifier(settings, warnings::add).notify(FAILED, null);

    assertThat(warnings).isEmpty();
    MimeMessage[] mails = SMTP.getReceivedMessages();
    assertThat(mails).hasSize(2);
    assertThat(mails[0].getSubject()).isEqualTo("Sluice: ScoreReport(day=2026-11-30) failed (exit 1) on host-1");
    assertThat(GreenMailUtil.getBody(mails[0])).contains("FitModel(seed=1): out of memory")
        .contains("/runs/20261130-030000-abcdef");
  }

  @Test
  void aWebhookThatFailsOrCannotBeReachedIsAWarningAndNeverAnError() throws Exception {
    String failing = receiver(500);
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    new Notifier(settings(Map.of("webhook", Map.of("url", failing))), warnings::add).notify(FAILED, null);
    new Notifier(settings(Map.of("webhook", Map.of("url", "http://127.0.0.1:" + closed + "/hook"))), warnings::add)
        .notify(FAILED, null);

    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("answered 500").doesNotContain("/hooks/T000");
    assertThat(warnings.get(1)).startsWith("Could not post the failure notice to the webhook http://127.0.0.1");
  }

  @Test
  void successIsToldOnlyWhenAskedAndRecoveryOnlyAfterAFailedRun() {
    Set<NotifyEvent> failureAndRecovery = Set.of(NotifyEvent.FAILURE, NotifyEvent.RECOVERY);

    assertThat(NotifyEvent.of(false, true, failureAndRecovery)).contains(NotifyEvent.FAILURE);
    assertThat(NotifyEvent.of(true, false, failureAndRecovery)).contains(NotifyEvent.RECOVERY);
    assertThat(NotifyEvent.of(true, true, failureAndRecovery)).isEmpty();
    assertThat(NotifyEvent.of(true, null, failureAndRecovery)).isEmpty();
    assertThat(NotifyEvent.of(true, true, Set.of(NotifyEvent.SUCCESS))).contains(NotifyEvent.SUCCESS);
    assertThat(NotifyEvent.of(false, null, Set.of(NotifyEvent.SUCCESS))).isEmpty();
  }

  @Test
  void wrongSettingsAreErrorsNamingTheKeyAndTheValue() {
    assertThatThrownBy(() -> settings(Map.of("on", List.of("failures")))).hasMessage("sluice.toml: [notify] on has"
        + " \"failures\", which is not one of \"failure\", \"success\", \"recovery\"");
    assertThatThrownBy(() -> settings(Map.of("webhook", Map.of("url", "hooks.slack.com/x")))).hasMessage(
        "sluice.toml: [notify.webhook] url = \"hooks.slack.com/x\" is not an http:// or https:// address");
    assertThatThrownBy(() -> settings(Map.of("email", Map.of("smtp_host", "h", "from", "f@x", "to", List.of("t@x"),
        "port", 25L)))).hasMessageContaining("[notify.email] has an unknown key 'port'");
    assertThatThrownBy(() -> settings(Map.of("mail", Map.of()))).hasMessageContaining("unknown key 'mail'");
  }
}
