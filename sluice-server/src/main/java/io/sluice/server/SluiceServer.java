package io.sluice.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.sluice.history.HistoryConfig;
import io.sluice.server.schedule.ScheduleService;
import io.sluice.server.security.RequestGuard;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The web UI and JSON API over the run history ({@code sluice server}), and the runner of the
 * project's schedules. It reads the history (and records what its schedules did), so a pipeline
 * never waits for it.
 *
 * <pre>{@code
 * try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(Path.of(".sluice")), "127.0.0.1", 8082)) {
 *   System.out.println("Serving " + server.url());
 *   server.join();
 * }
 * }</pre>
 */
public final class SluiceServer implements AutoCloseable {

  /** The port when none is given. */
  public static final int DEFAULT_PORT = 8082;

  /** Views of runs kept in memory (a few per run: graph, timeline, family counts, pages of tasks). */
  private static final int RUN_VIEWS = 256;

  private final HistoryAccess history;
  private final ScheduleService schedules;
  private final Javalin server;
  private final URI url;

  private SluiceServer(HistoryAccess history, ScheduleService schedules, Javalin server, String bind) {
    this.history = history;
    this.schedules = schedules;
    this.server = server;
    this.url = URI.create("http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + server.port() + "/");
  }

  /** Serves the history on {@code bind}:{@code port} with no token and no schedules; see the other {@code start}. */
  public static SluiceServer start(HistoryConfig config, String bind, int port) throws IOException {
    return start(config, bind, port, ServerOptions.defaults());
  }

  /**
   * Opens the history and serves it on {@code bind}:{@code port} (port 0: any free port), running the
   * options' schedules.
   *
   * @throws IllegalArgumentException when {@code bind} is not a loopback address and there is no access token
   * @throws IOException when the history cannot be read or the port is taken; the message says which
   */
  public static SluiceServer start(HistoryConfig config, String bind, int port, ServerOptions options)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(bind, "bind");
    RequestGuard.checkBind(bind, options.token());
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port " + port + " is not from 0 to 65535");
    }
    HistoryAccess history = new HistoryAccess(config);
    try {
      history.open();
    } catch (SQLException e) {
      throw new IOException("Cannot open the run history at " + config.where() + ": " + e.getMessage(), e);
    }
    ScheduleService schedules = options.schedules().isEmpty() ? null : ScheduleService.start(options.schedules(),
        new HistoryScheduleLog(history), options.launcher(), options.clock(), options.tick(),
        options.scheduleLogDir(), io.sluice.history.LocalHost.name());
    SecurityRoutes security = new SecurityRoutes(RequestGuard.create(options.token(), new SecureRandom()));
    ScheduleRoutes scheduleRoutes = new ScheduleRoutes(history, schedules);
    java.time.Clock clock = java.time.Clock.systemUTC();
    RunViews finished = new RunViews(RUN_VIEWS, Duration.ofSeconds(1), clock);
    RunLookup runs = new RunLookup(history, Duration.ofSeconds(1), clock);
    ApiRoutes api = new ApiRoutes(history, runs, new RunAnswers(history, clock), finished);
    NowRoutes now = new NowRoutes(history, clock);
    PageRoutes pages = new PageRoutes();
    try {
      Javalin server = Javalin.create(javalin -> {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.jetty.host = bind;
        javalin.jetty.port = port;
        javalin.jetty.threadPool = RequestThreads.pool(options.niceness());
        // Every answer is gzipped once by the server itself (JsonAnswer, PageRoutes); Javalin's own
        // compression would only wrap each response's stream to find that out.
        javalin.http.compressionStrategy = CompressionStrategy.NONE;
        security.register(javalin);
        api.register(javalin);
        scheduleRoutes.register(javalin);
        now.register(javalin);
        pages.register(javalin);
      }).start();
      RequestThreads.lowerCompilers(options.niceness());
      return new SluiceServer(history, schedules, server, bind);
    } catch (RuntimeException e) {
      if (schedules != null) {
        schedules.close();
      }
      history.close();
      throw new IOException("Cannot serve on " + bind + ":" + port + " (" + e.getMessage()
          + "); is the port taken? Give another with --port", e);
    }
  }

  /** The address of the front page. */
  public URI url() {
    return url;
  }

  /** The port it listens on (the one chosen when 0 was given). */
  public int port() {
    return server.port();
  }

  /** Waits until the process is stopped. */
  public void join() throws InterruptedException {
    Thread.currentThread().join();
  }

  @Override
  public void close() {
    if (schedules != null) {
      schedules.close();
    }
    server.stop();
    history.close();
  }
}
