package io.sluice.domino;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.domino.emulator.DominoEmulator;
import io.sluice.domino.emulator.EmulatedRun;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What the Domino backend adds to a run over the emulator's own run time: N trivial runs
 * ({@code sh -c 'echo done > out.txt'}), one after the other, each submitted, followed until the
 * backend sees it finished, its log read and its output fetched, as the remote session does
 * (which polls when the backend's listener wakes it, else every {@link #SESSION_WAIT}). The
 * backend's time for a run is from the call to submit to the fetched output; the emulator's own
 * is from the run's queued to its completed time. The snapshot is uploaded before the first
 * measured run (once per commit). Run it with
 * {@code bin/domino-bench [runs, default 50] [poll interval, default the product's: 1s]}.
 */
public final class DominoBench {

  /** How long the remote session's poller waits when no listener wakes it ({@code [remote] poll_interval}'s default). */
  static final Duration SESSION_WAIT = Duration.ofMillis(500);

  private static final Tier TIER = new Tier("Small", 1, 0, 0, null, 0, Map.of("domino", Map.of("tier", "Small")));

  private DominoBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("domino-bench");
    // One monotonic clock for the emulator's run times and the backend's: a wall clock stepped by
    // the system during the bench would count the step as overhead.
    Clock clock = MonotonicClock.startingNow();
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().port(0)
        .dataDir(dir.resolve("emulator")).clock(clock))) {
      Map<String, Object> domino = new HashMap<>(Map.of("owner", emulator.owner(), "project", emulator.project()));
      if (args.length > 1) {
        domino.put("poll_interval", args[1]);
      }
      Settings settings = new Settings(Map.of("remote", Map.of("domino", domino)));
      Map<String, String> environment = Map.of("DOMINO_API_HOST", emulator.url().toString(), "DOMINO_USER_API_KEY",
          emulator.apiKey());
      Duration interval = DominoConfig.from(settings, environment).pollInterval();
      DominoBackend backend = DominoBackendProvider.create(dir.resolve("project"), dir.resolve("state"), settings,
          environment, clock, Sleeper.system());
      Semaphore changed = new Semaphore(0);
      backend.onChange(changed::release);
      Path snapshot = Files.createDirectories(dir.resolve("snapshot"));
      Files.writeString(snapshot.resolve("input.txt"), "bench\n");
      String commit = "b".repeat(40);
      long upload = System.nanoTime();
      backend.uploads().commitFor(commit, snapshot, List.of());
      System.out.printf("upload of the snapshot (once per commit): %d ms%n", (System.nanoTime() - upload) / 1_000_000);
      List<Long> overheads = new ArrayList<>();
      List<Long> own = new ArrayList<>();
      List<Long> submitting = new ArrayList<>();
      List<Long> seenLate = new ArrayList<>();
      List<Long> collecting = new ArrayList<>();
      long listingsBefore = emulator.requests("GET", emulator.runsPath());
      for (int i = 0; i < runs; i++) {
        RunSpec spec = new RunSpec("run-bench-" + i, "Bench", List.of("sh", "-c", "echo done > out.txt"), TIER,
            snapshot, commit, List.of(), Map.of(), null, "", "out.txt");
        long start = System.nanoTime();
        RunHandle run = backend.submit(spec);
        submitting.add((System.nanoTime() - start) / 1_000_000);
        RunState state;
        while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
          changed.tryAcquire(SESSION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        long seen = clock.millis();
        long collect = System.nanoTime();
        backend.readLog(run, 0);
        if (!backend.fetch(run, "out.txt", dir.resolve("out-" + i))) {
          throw new IllegalStateException("run " + run.id() + " " + state + " has no output");
        }
        long total = (System.nanoTime() - start) / 1_000_000;
        collecting.add((System.nanoTime() - collect) / 1_000_000);
        EmulatedRun emulated = emulator.run(run.id()).orElseThrow();
        seenLate.add(seen - emulated.completed().toEpochMilli());
        long emulatorTime = Duration.between(emulated.queued(), emulated.completed()).toMillis();
        own.add(emulatorTime);
        overheads.add(total - emulatorTime);
      }
      double listings = (emulator.requests("GET", emulator.runsPath()) - listingsBefore) / (double) runs;
      backend.close();
      System.out.printf("%d runs, poll interval %d ms: emulator's own run time median %d ms; backend overhead per run"
          + " median %d ms, mean %d ms, p90 %d ms, max %d ms; %.1f listings per run%n", runs, interval.toMillis(),
          median(own), median(overheads), mean(overheads),
          percentile(overheads, 90), Collections.max(overheads), listings);
      System.out.printf("submit call median %d ms, mean %d ms; seen finished after its end median %d ms, mean %d ms;"
          + " log and output read median %d ms, mean %d ms%n", median(submitting), mean(submitting), median(seenLate),
          mean(seenLate), median(collecting), mean(collecting));
    }
  }

  private static long mean(List<Long> values) {
    return Math.round(values.stream().mapToLong(Long::longValue).average().orElse(0));
  }

  private static long median(List<Long> values) {
    return percentile(values, 50);
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
