package io.sluice.server;

import io.javalin.Javalin;
import io.sluice.history.HistoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The web UI and JSON API over the run history ({@code sluice server}). It only reads the
 * history, so a pipeline never waits for it.
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
  private final Javalin server;
  private final URI url;

  private SluiceServer(HistoryAccess history, Javalin server, String bind) {
    this.history = history;
    this.server = server;
    this.url = URI.create("http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + server.port() + "/");
  }

  /**
   * Opens the history and serves it on {@code bind}:{@code port} (port 0: any free port).
   *
   * @throws IllegalArgumentException when {@code bind} is not a loopback address: the server has no
   *     authentication yet, so it must not be reachable from other machines
   * @throws IOException when the history cannot be read or the port is taken; the message says which
   */
  public static SluiceServer start(HistoryConfig config, String bind, int port) throws IOException {
    Objects.requireNonNull(config, "config");
    requireLoopback(bind);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port " + port + " is not from 0 to 65535");
    }
    HistoryAccess history = new HistoryAccess(config);
    try {
      history.open();
    } catch (SQLException e) {
      throw new IOException("Cannot open the run history at " + config.where() + ": " + e.getMessage(), e);
    }
    java.time.Clock clock = java.time.Clock.systemUTC();
    RunViews finished = new RunViews(RUN_VIEWS, Duration.ofSeconds(1), clock);
    ApiRoutes api = new ApiRoutes(history, finished);
    GraphRoutes graphs = new GraphRoutes(history, clock, finished);
    NowRoutes now = new NowRoutes(history, clock);
    PageRoutes pages = new PageRoutes();
    try {
      Javalin server = Javalin.create(javalin -> {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.jetty.host = bind;
        javalin.jetty.port = port;
        api.register(javalin);
        graphs.register(javalin);
        now.register(javalin);
        pages.register(javalin);
      }).start();
      return new SluiceServer(history, server, bind);
    } catch (RuntimeException e) {
      history.close();
      throw new IOException("Cannot serve on " + bind + ":" + port + " (" + e.getMessage()
          + "); is the port taken? Give another with --port", e);
    }
  }

  private static void requireLoopback(String bind) {
    Objects.requireNonNull(bind, "bind");
    try {
      if (!InetAddress.getByName(bind).isLoopbackAddress()) {
        throw new IllegalArgumentException("Bind address '" + bind + "' is not a loopback address; the server has no"
            + " access tokens yet, so it serves this machine only: bind 127.0.0.1 (the default) and reach it from"
            + " elsewhere through an SSH tunnel (ssh -L 8082:127.0.0.1:8082 HOST)");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Bind address '" + bind + "' is not a known host or IP address", e);
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
    server.stop();
    history.close();
  }
}
