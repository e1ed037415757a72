package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.history.HistoryConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The schedules page and the protection of its actions, in a real headless Chromium. */
class SchedulesInChromiumTest {

  @TempDir
  Path dir;

  private SluiceServer server;
  private HttpServer otherSite;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser() {
    browser = Chromium.start(dir.resolve("chromium-profile"));
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (otherSite != null) {
      otherSite.stop(0);
    }
  }

  private void serve(String cron, Clock clock) throws Exception {
    Path state = dir.resolve("state");
    server = SluiceServer.start(HistoryConfig.sqlite(state), "127.0.0.1", 0, ServerOptions.defaults()
        .withSchedules(SchedulesTest.schedules(cron, "none"), SchedulesTest.standIn(state, dir),
            state.resolve("schedule-logs"))
        .withClock(clock, Duration.ofMillis(20)));
  }

  @Test
  void aScheduleFiresWithAFastClockAndItsRunAppearsInTheRunsPageAsStartedByTheSchedule() throws Exception {
    // A minute of the server's clock is a real second.
    serve("* * * * *", new FastClock(Instant.parse("2026-11-30T10:00:30Z"), 60));

    browser.get(server.url() + "schedules");
    WebElement runLink = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".schedule[data-schedule='nightly'] tr.fire a[href^='/runs/']")));
    String runId = runLink.getText();
    assertThat(browser.findElement(By.cssSelector(".schedule[data-schedule='nightly']")).getText())
        .contains("sluice run ScoreReport --workers 3").contains("* * * * *");

    browser.get(server.url().toString());
    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText(runId)))
        .findElement(By.xpath("./ancestor::tr"));
    assertThat(row.getText()).contains("ScoreReport").contains("schedule");
  }

  @Test
  void runNowOnTheSchedulesPageStartsARunThatTheHistoryRecords() throws Exception {
    serve("0 3 * * *", Clock.systemUTC());

    browser.get(server.url() + "schedules");
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.run-now[data-schedule='nightly']")))
        .click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action"), "nightly: started"));
    WebElement fire = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".schedule[data-schedule='nightly'] tr.fire a[href^='/runs/']")))
        .findElement(By.xpath("./ancestor::tr"));
    assertThat(fire.getText()).contains("manual");
  }

  @Test
  void aPostFromAPageOfAnotherSiteIsRefusedAndStartsNothing() throws Exception {
    serve("0 3 * * *", Clock.systemUTC());
    // Another site (localhost is not 127.0.0.1 to a browser) whose page posts a form to the server at load.
    String target = "http://127.0.0.1:" + server.port() + "/api/schedules/nightly/run";
    byte[] page = ("<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\""
        + target + "\"><input name=\"x\" value=\"1\"></form></body></html>").getBytes(StandardCharsets.UTF_8);
    otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otherSite.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    otherSite.start();

    browser.get("http://localhost:" + otherSite.getAddress().getPort() + "/");

    wait.until(ExpectedConditions.urlToBe(target));
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("Refused a POST from another site");
    HttpResponse<String> schedules = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.url() + "api/schedules")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(schedules.body()).contains("\"fires\":[]");
  }
}
