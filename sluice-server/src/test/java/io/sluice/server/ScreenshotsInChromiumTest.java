package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The main pages of real runs of the model ensemble, as pictures: the ones in docs/server.md.
 * Written under the test's directory; {@code -Dsluice.screenshots=docs/images} (a path from the
 * module, e.g. {@code ../docs/images}) copies them there too.
 */
class ScreenshotsInChromiumTest {

  @TempDir
  Path dir;

  @Test
  void theMainPagesOfAnEnsembleRunAreShownWithTheirGraphTimelineAndTaskDetails() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    String out = dir.resolve("out").toString();
    RecordedRuns.record(config, dir.resolve("state"), "20261130-100000-ens001", "gpu-host-1",
        Instant.now(), new TestTasks.Ensemble(out, 8, 7));
    Files.delete(dir.resolve("out/data.csv")); // the next run prepares again: more than one past run
    RecordedRuns.record(config, dir.resolve("state"), "20261201-100000-ens002", "gpu-host-1",
        Instant.now(), new TestTasks.Ensemble(out, 8, 7));
    Path gate = dir.resolve("open-the-gate");
    Thread running = new Thread(() -> RecordedRuns.record(config, dir.resolve("state2"), "20261202-100000-busy03",
        "gpu-host-2", Instant.now(), new TestTasks.Busy(gate.toString())));
    running.start();
    Path pictures = dir.resolve("pictures");
    Files.createDirectories(pictures);
    ChromeDriver browser = Chromium.start(dir.resolve("chromium-profile"));
    try (SluiceServer server = SluiceServer.start(config, "127.0.0.1", 0)) {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1300, 1250));
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

      browser.get(server.url().toString());
      wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("20261202-100000-busy03")));
      shoot(browser, pictures, "runs.png");

      browser.get(server.url() + "runs/20261130-100000-ens001");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline-svg rect.g-failed")));
      browser.findElement(By.cssSelector("#graph-svg g.node[data-family='TrainModel'] rect.box")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#graph-svg a.task-cell")));
      shoot(browser, pictures, "run.png");

      browser.findElement(By.cssSelector("#timeline-svg rect.g-failed")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("duration-chart")));
      shoot(browser, pictures, "task.png");

      browser.get(server.url() + "now");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("runs"), "2 tasks running"));
      shoot(browser, pictures, "now.png");
    } finally {
      browser.quit();
      Files.createFile(gate);
      running.join(60_000);
    }
    assertThat(pictures.resolve("run.png")).isNotEmptyFile();
    String target = System.getProperty("sluice.screenshots");
    if (target != null) {
      try (var files = Files.list(pictures)) {
        for (Path picture : files.toList()) {
          Files.copy(picture, Path.of(target).resolve("server-" + picture.getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void shoot(ChromeDriver browser, Path pictures, String name) throws Exception {
    Files.write(pictures.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }
}
