package io.sluice.cli;

import io.sluice.history.HistoryConfig;
import io.sluice.server.ServerOptions;
import io.sluice.server.SluiceServer;
import io.sluice.server.security.AccessToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice server}: the web UI and JSON API over the run history, until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Serves the run history as web pages and a JSON API (/api/openapi.json), and runs the"
        + " [schedules.NAME] of sluice.toml, until stopped (Ctrl-C).")
final class ServerCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--port", paramLabel = "PORT", description = "The port (default 8082; 0 for any free one).")
  int port = SluiceServer.DEFAULT_PORT;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "The address to listen on (default 127.0.0.1); any other needs an access token.")
  String bind = "127.0.0.1";

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the access token every request must show (default: $SLUICE_SERVER_TOKEN);"
          + " required to bind beyond loopback.")
  Path tokenFile;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "The state directory whose history.db to serve (default: [core] state_dir in sluice.toml, else"
          + " .sluice); [history] url, when set, names the database instead.")
  Path stateDir;

  @Option(names = "--nice", paramLabel = "N",
      description = "How much nicer (lower CPU priority, 0 to 19) than the server's start its request threads run,"
          + " so that page views do not slow running pipelines; scheduled runs keep the server's own (default "
          + ServerOptions.DEFAULT_NICENESS + ").")
  int nice = ServerOptions.DEFAULT_NICENESS;

  ServerCommand(Cli cli) {
    // the Cli is not needed: the history holds what is served
  }

  @Override
  public Integer call() throws Exception {
    ProjectConfig config = ProjectConfig.load(common.config);
    if (!RunHistory.enabled(config)) {
      throw new CliException("The run history is off ([history] enabled = false in " + ProjectConfig.FILE_NAME
          + "): there is nothing to serve");
    }
    HistoryConfig database = RunHistory.config(config, RunHistory.stateDir(stateDir, config));
    SluiceServer server;
    java.util.List<String> schedules;
    try {
      Path state = RunHistory.stateDir(stateDir, config);
      ServerOptions options = ServerOptions.defaults().withToken(AccessToken.from(tokenFile, System.getenv()))
          .withNiceness(nice);
      options = ServerSchedules.add(options, config, common, state);
      schedules = options.schedules().stream().map(io.sluice.server.schedule.Schedule::name).toList();
      server = SluiceServer.start(database, bind, port, options);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sluice-server-stop"));
    System.out.println("Serving the run history at " + database.where() + " on " + server.url() + " (Ctrl-C stops)");
    if (!schedules.isEmpty()) {
      System.out.println("Running the schedules " + String.join(", ", schedules) + " (" + server.url() + "schedules)");
    }
    server.join();
    return 0;
  }
}
