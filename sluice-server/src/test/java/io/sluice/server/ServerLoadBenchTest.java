package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * Whether a server under page views slows a running pipeline, in the user's set-up of three
 * processes: a pipeline process (10k tasks that each write a file, 2 workers, recorded into a
 * SQLite history), a server process reading that history, and a browser, here this JVM sending
 * 20 page views a second of that very run (the page and the API call its script makes, over
 * kept-alive connections, bodies discarded), as browsers with a cache make them: they ask again
 * with the ETags they have, and do not fetch the scripts, which they keep for good. Browsers run on
 * their users' machines, not on the one that runs the pipeline: so that the figure is the server's
 * cost and not that of this stand-in, the viewer's threads and this JVM's compilers run at the
 * lowest CPU priority (niceness 19), and a round whose viewers fell behind the rate asked (by more
 * than 5 %) fails the bench instead of counting. Each round runs the pipeline alone and with the
 * views; the medians are compared. A benchmark, run on demand:
 * {@code mvn -o -pl sluice-server -am test -Dtest=ServerLoadBenchTest -Dsluice.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dsluice.bench.tasks}, {@code .views}, {@code .repeat} change the figures;
 * {@code -Dsluice.bench.jfr=FILE} records the server process with JFR).
 */
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class ServerLoadBenchTest {

  private static final int TASKS = Integer.getInteger("sluice.bench.tasks", 10_000);
  private static final int VIEWS_PER_SECOND = Integer.getInteger("sluice.bench.views", 20);
  private static final int REPEAT = Math.max(3, Integer.getInteger("sluice.bench.repeat", 3));
  private static final String JFR = System.getProperty("sluice.bench.jfr");
  /** JVM flags of the server process after the launcher's, e.g. {@code -XX:TieredStopAtLevel=4}. */
  private static final String SERVER_FLAGS = System.getProperty("sluice.bench.serverFlags", "");

  @TempDir
  Path dir;

  /** One pipeline run's figures; {@code viewsPerSecond} is 0 for a round without views. */
  private record Round(long wall, long pipelineCpu, long serverCpu, long clientCpu, String views,
      double viewsPerSecond) {}

  @Test
  void twentyPageViewsASecondSlowARunning10kTaskPipelineByAtMostTenPercent() throws Exception {
    Path history = dir.resolve("history");
    List<Round> alone = new ArrayList<>();
    List<Round> served = new ArrayList<>();
    List<String> flags = new ArrayList<>(SERVER_FLAGS.isBlank() ? List.of() : List.of(SERVER_FLAGS.trim().split("\\s+")));
    if (JFR != null) {
      flags.add("-XX:StartFlightRecording=filename=" + JFR + ",settings=profile");
    }
    RequestThreads.lowerCompilers(RequestThreads.NICEST);  // this JVM's: they compile the viewer
    try (ChildJvm server = ChildJvm.start(BenchServerProcess.class, flags, List.of(history.toString()),
        dir.resolve("server.err"))) {
      int port = Integer.parseInt(server.readLine("port=").substring("port=".length()));
      round(server, port, history, "warm-up", Math.min(TASKS, 2000), true); // JIT, schema, page cache
      for (int round = 0; round < REPEAT; round++) {
        // Every round adds its runs to the one history, which slows later rounds: the order
        // alternates so that neither kind of round always meets the bigger history.
        if (round % 2 == 0) {
          alone.add(round(server, port, history, "alone-" + round, TASKS, false));
          served.add(round(server, port, history, "served-" + round, TASKS, true));
        } else {
          served.add(round(server, port, history, "served-" + round, TASKS, true));
          alone.add(round(server, port, history, "alone-" + round, TASKS, false));
        }
      }
    }
    long medianAlone = median(alone.stream().map(Round::wall).toList());
    long medianServed = median(served.stream().map(Round::wall).toList());
    double ratio = (double) medianServed / medianAlone;
    System.out.printf("server load bench: %d tasks, %d views/s, separate processes; pipeline wall alone %s ms,"
            + " with views %s ms, medians %d / %d ms = %.3f; pipeline process CPU alone %s ms, with views %s ms;"
            + " server process CPU alone %s ms, with views %s ms; viewer (this JVM) CPU %s ms; views: %s%n",
        TASKS, VIEWS_PER_SECOND, walls(alone), walls(served), medianAlone, medianServed, ratio,
        alone.stream().map(Round::pipelineCpu).toList(), served.stream().map(Round::pipelineCpu).toList(),
        alone.stream().map(Round::serverCpu).toList(), served.stream().map(Round::serverCpu).toList(),
        served.stream().map(Round::clientCpu).toList(), served.stream().map(Round::views).toList());
    assertThat(served).as("rounds whose viewers made at least 95 %% of the %d views/s asked", VIEWS_PER_SECOND)
        .allSatisfy(round -> assertThat(round.viewsPerSecond()).isGreaterThanOrEqualTo(0.95 * VIEWS_PER_SECOND));
    assertThat(ratio).as("pipeline wall time with views / alone (medians of %d rounds)", REPEAT)
        .isLessThanOrEqualTo(1.10);
  }

  private Round round(ChildJvm server, int port, Path history, String runId, int tasks, boolean views)
      throws Exception {
    long began = System.nanoTime();
    long serverCpu = server.cpuMillis();
    long clientCpu = ownCpuMillis();
    String line;
    String summary = "";
    double viewsPerSecond = 0;
    try (Viewers viewers = views ? new Viewers(port, runId) : null;
        ChildJvm pipeline = ChildJvm.start(BenchPipelineProcess.class, List.of(),
            List.of(history.toString(), dir.resolve(runId).toString(), runId, Integer.toString(tasks)),
            dir.resolve(runId + ".err"))) {
      line = pipeline.readLine("wall=");
      if (pipeline.waitFor(600) != 0) {
        throw new IllegalStateException("The pipeline process of " + runId + " failed; see " + dir.resolve(runId + ".err"));
      }
      if (viewers != null) {
        viewsPerSecond = viewers.perSecond();
        summary = viewers.summary() + String.format(", server CPU %.2f ms per view",
            (double) (server.cpuMillis() - serverCpu) / Math.max(1, viewers.done()));
      }
    }
    String[] fields = line.split(" ");
    System.out.printf("server load bench: round %s: %s, server CPU %d ms, %s (%d s since the start of the round)%n",
        runId, line, server.cpuMillis() - serverCpu, summary, (System.nanoTime() - began) / 1_000_000_000);
    return new Round(Long.parseLong(fields[0].substring("wall=".length())),
        Long.parseLong(fields[1].substring("cpu=".length())), server.cpuMillis() - serverCpu,
        ownCpuMillis() - clientCpu, summary, viewsPerSecond);
  }

  private static List<Long> walls(List<Round> rounds) {
    return rounds.stream().map(Round::wall).toList();
  }

  private static long ownCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /**
   * A page view of the run every 1/VIEWS_PER_SECOND s, as a browser makes it: the page, then the
   * calls its script makes, over up to 4 kept-alive connections.
   */
  private static final class Viewers implements AutoCloseable {
    private static final int CONNECTIONS = 4;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    /** The stand-in browsers, at the lowest priority; the clock that paces them keeps its own. */
    private final ExecutorService viewers = Executors.newFixedThreadPool(CONNECTIONS, work -> new Thread(() -> {
      RequestThreads.lowerCallingThread(RequestThreads.NICEST);
      work.run();
    }, "bench-viewer"));
    private final BlockingQueue<PageViewer> connections = new ArrayBlockingQueue<>(CONNECTIONS);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger calls304 = new AtomicInteger();
    private final AtomicInteger callsAll = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final long begin = System.nanoTime();
    private final List<String> calls;

    Viewers(int port, String runId) {
      for (int i = 0; i < CONNECTIONS; i++) {
        connections.add(new PageViewer("127.0.0.1", port));
      }
      // What run.js asks on a page's first view: the run, graph, timeline and first tasks in one answer.
      calls = List.of("/runs/" + runId, "/api/runs/" + runId + "/overview");
      ticks.scheduleAtFixedRate(() -> viewers.execute(this::view), 0, 1_000_000 / VIEWS_PER_SECOND,
          TimeUnit.MICROSECONDS);
    }

    private void view() {
      long start = System.nanoTime();
      PageViewer connection = connections.poll();
      if (connection == null) {
        failed.incrementAndGet();  // every connection busy: the server is behind
        return;
      }
      try {
        for (String call : calls) {
          // A 404 before the run's first record is a view too: the page says so.
          if (connection.get(call) == 304) {
            calls304.incrementAndGet();
          }
          callsAll.incrementAndGet();
        }
        done.incrementAndGet();
        nanos.addAndGet(System.nanoTime() - start);
      } catch (IOException e) {
        connection.close();
        failed.incrementAndGet();
      } finally {
        connections.add(connection);
      }
    }

    int done() {
      return done.get();
    }

    double perSecond() {
      return done.get() / ((System.nanoTime() - begin) / 1e9);
    }

    String summary() {
      return String.format("%.1f views/s, %d ms mean, %d failed, %d%% of calls 304", perSecond(),
          done.get() == 0 ? 0 : nanos.get() / done.get() / 1_000_000, failed.get(),
          callsAll.get() == 0 ? 0 : 100 * calls304.get() / callsAll.get());
    }

    @Override
    public void close() throws InterruptedException {
      ticks.shutdownNow();
      viewers.shutdownNow();
      viewers.awaitTermination(10, TimeUnit.SECONDS);
      connections.forEach(PageViewer::close);
    }
  }
}
