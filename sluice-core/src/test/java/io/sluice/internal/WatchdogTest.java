package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's script on its own: the test plays the JVM, and closing the script's input plays
 * the JVM's death (the kernel closes the pipe then, whatever killed it).
 */
class WatchdogTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Process watchdog;
  private final List<Process> sessions = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    sessions.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
  }

  /** A session led by {@code sh}, with a background child in it; returns the child's pid. */
  private long session(String name, String trap) throws Exception {
    Process leader = new ProcessBuilder("setsid", "sh", "-c",
        trap + " sleep 300 & echo $! > " + name + ".tmp; mv " + name + ".tmp " + name + "; wait")
        .directory(dir.toFile()).start();
    sessions.add(leader);
    Path file = dir.resolve(name);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("%s appears", file).isLessThan(deadline);
      Thread.sleep(10);
    }
    return Long.parseLong(Files.readString(file).trim());
  }

  private OutputStream startWatchdog() throws Exception {
    watchdog = new ProcessBuilder("sh", "-c", Watchdog.SCRIPT, "watchdog", "1").start();
    return watchdog.getOutputStream();
  }

  private static void send(OutputStream in, String line) throws Exception {
    in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  @Test
  void atEndOfInputItEndsEverySessionItStillHoldsAndExits() throws Exception {
    long first = session("first", "");
    long second = session("second", "");
    OutputStream in = startWatchdog();
    send(in, "add " + sessions.get(0).pid());
    send(in, "add " + sessions.get(1).pid());

    in.close();

    assertThat(watchdog.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Pids.alive(first)).isFalse();
    assertThat(Pids.alive(second)).isFalse();
    assertThat(sessions.get(0).waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aSessionThatWasRemovedIsLeftAlone() throws Exception {
    long kept = session("kept", "");
    long ended = session("ended", "");
    OutputStream in = startWatchdog();
    send(in, "add " + sessions.get(0).pid());
    send(in, "add " + sessions.get(1).pid());
    send(in, "del " + sessions.get(0).pid());

    in.close();

    assertThat(watchdog.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Pids.alive(kept)).isTrue();
    assertThat(Pids.alive(ended)).isFalse();
  }

  @Test
  void whatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    long stubborn = session("stubborn", "trap '' TERM;");
    OutputStream in = startWatchdog();
    send(in, "add " + sessions.get(0).pid());
    long closed = System.nanoTime();

    in.close();

    assertThat(watchdog.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(Pids.goneWithin(stubborn, 1000)).isTrue();
  }
}
