package io.sluice.domino.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code bin/domino-emulator}: starts a {@link DominoEmulator} and serves until interrupted. */
public final class Main {

  static final String HELP = """
      Usage: domino-emulator [--port PORT] [--api-key KEY] [--data-dir DIR] [--tier NAME=N]...
                             [--owner OWNER] [--project PROJECT]

      A TEST DOUBLE of Domino's public REST API (not Domino): one project kept as commits of files,
      runs as local processes in workspaces made from their commit, hardware tiers as limits on
      runs at once, faults on request (POST /_emulator/faults). It does not model auth scopes,
      datasets, environments and images, git-based projects' repositories, workspaces, apps,
      billing or the scheduling of real machines: see docs/domino-emulator.md.

        --port PORT        port on 127.0.0.1 (default 0: any free port; the ready line names it)
        --api-key KEY      the key every request must carry (default emulator-key)
        --data-dir DIR     where commits, blobs and runs are kept (default: a new temporary directory,
                           removed on exit); an existing one is reopened with its commits
        --tier NAME=N      a hardware tier running at most N runs at once, added to the defaults
                           Small=2, Large=1, "GPU (K80)"=1 (give a default's name to change its N)
        --owner OWNER      project owner (default sluice)
        --project PROJECT  project name (default sluice-examples)

      When ready it prints one line:
        domino-emulator listening on http://127.0.0.1:PORT (api key: KEY)
      then point a client at it with DOMINO_API_HOST=http://127.0.0.1:PORT DOMINO_USER_API_KEY=KEY.
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    int code = run(args, System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /** Parses the arguments and serves; returns an exit code for bad input or --help, or -1 after serving. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    DominoEmulator.Options options;
    try {
      options = parse(List.of(args));
    } catch (IllegalArgumentException e) {
      err.println("domino-emulator: " + e.getMessage());
      err.println("Try domino-emulator --help");
      return 2;
    }
    if (options == null) {
      out.print(HELP);
      return 0;
    }
    DominoEmulator emulator;
    try {
      emulator = DominoEmulator.start(options);
    } catch (IOException e) {
      err.println("domino-emulator: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "domino-emulator-shutdown"));
    out.println("domino-emulator listening on " + emulator.url() + " (api key: " + emulator.apiKey() + ")");
    out.flush();
    err.println("Serving project " + emulator.owner() + "/" + emulator.project() + " (id " + emulator.projectId()
        + "), hardware tiers " + options.tiers() + ", data in " + emulator.dataDir()
        + ". This is an emulator for tests, not Domino. Ctrl-C stops it and every run.");
    stopped.await();
    return -1;
  }

  /** The options the arguments give, or null for --help. */
  static DominoEmulator.Options parse(List<String> args) {
    DominoEmulator.Options options = DominoEmulator.Options.defaults();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (!List.of("--port", "--api-key", "--data-dir", "--tier", "--owner", "--project").contains(name)) {
        throw new IllegalArgumentException("Unknown option '" + arg + "'");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("Option " + name + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "--port" -> options = options.port(integer(value, "--port"));
        case "--api-key" -> options = options.apiKey(value);
        case "--data-dir" -> options = options.dataDir(Path.of(value));
        case "--owner" -> options = options.owner(value);
        case "--project" -> options = options.project(value);
        case "--tier" -> {
          int at = value.lastIndexOf('=');
          if (at <= 0) {
            throw new IllegalArgumentException("--tier '" + value + "' needs NAME=N, e.g. --tier 'GPU (V100)=2'");
          }
          options = options.tier(value.substring(0, at), integer(value.substring(at + 1), "--tier " + value.substring(0, at)));
        }
        default -> throw new IllegalStateException(name);
      }
    }
    return options;
  }

  private static int integer(String value, String option) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
    }
  }
}
