package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process group ends as a whole: children, detached grandchildren, new process groups, stubborn ones. */
class ProcessGroupTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** Starts {@code sh -c script} in the temp dir; waits until it wrote each of {@code pidFiles}. */
  private ProcessGroup start(String script, String... pidFiles) throws Exception {
    ProcessGroup group = ProcessGroup.start(new ProcessBuilder("sh", "-c", script).directory(dir.toFile()));
    for (String file : pidFiles) {
      awaitFile(dir.resolve(file));
    }
    return group;
  }

  @Test
  void killEndsTheProcessItsChildrenItsDetachedGrandchildrenAndTheGroupsTheyMade() throws Exception {
    ProcessGroup group = start("sleep 300 & echo $! > child.tmp; mv child.tmp child;"
        + " (sleep 301 & echo $! > detached.tmp; mv detached.tmp detached) ;"
        + " timeout 300 sleep 302 & echo $! > timeout.tmp; mv timeout.tmp timeout; wait",
        "child", "detached", "timeout");
    List<Long> pids = List.of(pid("child"), pid("detached"), pid("timeout"), group.id());
    assertThat(pids).allMatch(Pids::alive);

    group.kill();

    assertThat(pids).noneMatch(Pids::alive);
  }

  @Test
  void whatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    ProcessGroup group = start("trap '' TERM; sleep 300 & echo $! > child.tmp; mv child.tmp child; wait", "child");
    long child = pid("child");
    long started = System.nanoTime();

    group.kill();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(ProcessGroup.GRACE);
    assertThat(Pids.alive(child)).isFalse();
    assertThat(Pids.alive(group.id())).isFalse();
  }

  @Test
  void closingAfterTheProcessExitedEndsWhatItLeftInTheBackground() throws Exception {
    ProcessGroup group = start("sleep 300 > /dev/null 2>&1 & echo $! > child.tmp; mv child.tmp child", "child");
    assertThat(group.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    long child = pid("child");
    assertThat(Pids.alive(child)).isTrue();

    group.close();

    assertThat(Pids.alive(child)).isFalse();
  }

  @Test
  void aProcessWhoseStarterDiesBeforeTheWatchdogHoldsItNeverRunsItsCommand() throws Exception {
    // The starter's end closes the process's stdin, as the kernel does when the JVM dies.
    Process orphan = new ProcessBuilder("sh", "-c", ProcessGroup.GO_AHEAD, "sluice-start", "touch", "orphan-ran")
        .directory(dir.toFile()).start();
    Process started = new ProcessBuilder("sh", "-c", ProcessGroup.GO_AHEAD, "sluice-start", "touch", "started-ran")
        .directory(dir.toFile()).start();

    orphan.getOutputStream().close();
    started.getOutputStream().write('\n');
    started.getOutputStream().close();

    assertThat(orphan.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(started.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("orphan-ran")).doesNotExist();
    assertThat(dir.resolve("started-ran")).exists();
  }

  @Test
  void aProgramThatDoesNotExistFailsToStartAsWithoutAGroup() {
    assertThatThrownBy(() -> ProcessGroup.start(new ProcessBuilder("no-such-program-anywhere", "--flag")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot run program \"no-such-program-anywhere\"");
  }

  private long pid(String file) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve(file)).trim());
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("%s appears", file).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
