package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.history.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a server under page views slows a running pipeline: a 10k-task pipeline (each task
 * writes a file, recorded into SQLite) runs alone, then while the server answers 20 views a
 * second of that very run's page (the page and the four API calls its script makes), in turns.
 * A benchmark, run on demand:
 * {@code mvn -o -pl sluice-server -am test -Dtest=ServerLoadBenchTest -Dsluice.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * (-Dsluice.bench.tasks, .views, .repeat change the figures).
 */
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class ServerLoadBenchTest {

  private static final int TASKS = Integer.getInteger("sluice.bench.tasks", 10_000);
  private static final int VIEWS_PER_SECOND = Integer.getInteger("sluice.bench.views", 20);
  private static final int REPEAT = Integer.getInteger("sluice.bench.repeat", 3);

  @TempDir
  Path dir;

  @Test
  void twentyPageViewsASecondSlowARunning10kTaskPipelineByAtMostTenPercent() throws Exception {
    HistoryConfig config = TestDatabases.SQLITE.create(dir);
    List<Long> alone = new ArrayList<>();
    List<Long> served = new ArrayList<>();
    List<Long> aloneCpu = new ArrayList<>();
    List<Long> servedCpu = new ArrayList<>();
    List<Long> serverCpu = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    try (SluiceServer server = SluiceServer.start(config, "127.0.0.1", 0)) {
      pipeline(config, "warm-up", Math.min(TASKS, 2000)); // JIT and the schema, before any figure
      for (int round = 0; round < REPEAT; round++) {
        long cpu = cpuMillis();
        alone.add(pipeline(config, "alone-" + round, TASKS));
        aloneCpu.add(cpuMillis() - cpu);
        String runId = "served-" + round;
        try (Viewers views = new Viewers(server, runId)) {
          cpu = cpuMillis();
          Map<Long, Long> serverThreads = serverThreadsCpu();
          served.add(pipeline(config, runId, TASKS));
          servedCpu.add(cpuMillis() - cpu);
          Map<Long, Long> after = serverThreadsCpu();
          serverCpu.add(after.entrySet().stream().mapToLong(t -> t.getValue() - serverThreads.getOrDefault(t.getKey(), 0L))
              .sum() / 1_000_000);
          loads.add(views.summary());
        }
      }
    }
    long medianAlone = median(alone);
    long medianServed = median(served);
    double ratio = (double) medianServed / medianAlone;
    // The server and its viewers share this process with the pipeline: the CPU the process spends
    // beyond the pipeline's own is what the views cost, an upper bound of what they take from it.
    System.out.printf("server load bench: %d tasks, %d views/s; pipeline alone %s ms, with views %s ms;"
        + " medians %d / %d ms = %.3f; process CPU alone %s ms, with views %s ms, medians %d / %d ms = %.3f;"
        + " of which the server's threads %s ms; views: %s%n", TASKS, VIEWS_PER_SECOND, alone, served, medianAlone, medianServed, ratio, aloneCpu,
        servedCpu, median(aloneCpu), median(servedCpu), (double) median(servedCpu) / median(aloneCpu), serverCpu, loads);
    assertThat(ratio).as("pipeline time with views / alone").isLessThanOrEqualTo(1.10);
  }

  private long pipeline(HistoryConfig config, String runId, int tasks) {
    long start = System.nanoTime();
    RecordedRuns.record(config, dir.resolve("state-" + runId), runId, "bench-host", Instant.now(),
        new TestTasks.Scores(dir.resolve("out-" + runId).toString(), tasks));
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /** CPU nanoseconds of each of the HTTP server's threads (Jetty's pool), by thread id. */
  private static Map<Long, Long> serverThreadsCpu() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && (info.getThreadName().contains("Jetty") || info.getThreadName().startsWith("qtp"))) {
        cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return cpu;
  }

  private static long cpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** A page view of the run every 1/VIEWS_PER_SECOND s: the page, then the calls its script makes. */
  private static final class Viewers implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService viewers = Executors.newFixedThreadPool(4);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final long begin = System.nanoTime();
    private final List<URI> calls;

    Viewers(SluiceServer server, String runId) {
      String base = server.url().toString();
      calls = List.of(URI.create(base + "runs/" + runId), URI.create(base + "api/runs/" + runId),
          URI.create(base + "api/runs/" + runId + "/graph"), URI.create(base + "api/runs/" + runId + "/timeline"),
          URI.create(base + "api/runs/" + runId + "/tasks?offset=0&limit=100"));
      ticks.scheduleAtFixedRate(() -> viewers.execute(this::view), 0, 1_000_000 / VIEWS_PER_SECOND,
          TimeUnit.MICROSECONDS);
    }

    private void view() {
      long start = System.nanoTime();
      try {
        for (URI call : calls) {
          // A 404 before the run's first record is a view too: the page says so.
          http.send(HttpRequest.newBuilder(call).build(), HttpResponse.BodyHandlers.discarding());
        }
        done.incrementAndGet();
        nanos.addAndGet(System.nanoTime() - start);
      } catch (Exception e) {
        failed.incrementAndGet();
      }
    }

    String summary() {
      double seconds = (System.nanoTime() - begin) / 1e9;
      return String.format("%.1f views/s, %d ms mean, %d failed", done.get() / seconds,
          done.get() == 0 ? 0 : nanos.get() / done.get() / 1_000_000, failed.get());
    }

    @Override
    public void close() throws InterruptedException {
      ticks.shutdownNow();
      viewers.shutdownNow();
      viewers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
