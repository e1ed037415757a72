package io.sluice.server;

import io.sluice.history.HistoryConfig;
import java.nio.file.Path;

/**
 * What {@code sluice server} does in the load bench, in a process of its own: serves the SQLite
 * history under {@code HISTORY_DIR} on a free loopback port, prints {@code port=N}, and stops
 * when its input ends. Argument: {@code HISTORY_DIR}.
 */
public final class BenchServerProcess {

  private BenchServerProcess() {}

  public static void main(String[] args) throws Exception {
    try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(Path.of(args[0])), "127.0.0.1", 0,
        ServerOptions.defaults().withNiceness(Integer.getInteger("sluice.bench.serverNice", ServerOptions.DEFAULT_NICENESS)))) {
      System.out.println("port=" + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent closes our input
      }
    }
  }
}
