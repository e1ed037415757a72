package io.sluice.history;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A fresh, empty history for a test, in either database. PostgreSQL comes from
 * {@code SLUICE_TEST_POSTGRES_URL} (set by .ci/run), else from {@code scripts/postgres-local.sh up}
 * run here; without either the test fails: a shared history untested is a shared history broken.
 */
public enum TestDatabases {
  SQLITE,
  POSTGRES;

  static final String URL_VARIABLE = "SLUICE_TEST_POSTGRES_URL";
  private static final Random RANDOM = new Random();
  private static String postgresUrl;

  /** A new empty history: a file under {@code dir}, or a new database in the test cluster. */
  public HistoryConfig create(Path dir) throws Exception {
    if (this == SQLITE) {
      return HistoryConfig.sqlite(dir.resolve("state"));
    }
    String base = postgresUrl();
    String name = "history_test_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    try (Connection admin = DriverManager.getConnection(base); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return new HistoryConfig(base.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"), null, null);
  }

  static synchronized String postgresUrl() throws IOException, InterruptedException, SQLException {
    if (postgresUrl != null) {
      return postgresUrl;
    }
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      url = startLocalCluster();
    }
    try (Connection check = DriverManager.getConnection(url)) {
      postgresUrl = url;
    }
    return postgresUrl;
  }

  /** Runs scripts/postgres-local.sh up from the repository root; its last line is the URL. */
  private static String startLocalCluster() throws IOException, InterruptedException {
    Path script = Path.of("..", "scripts", "postgres-local.sh").toAbsolutePath().normalize();
    if (!Files.isExecutable(script)) {
      fail(URL_VARIABLE + " is not set and " + script + " is missing: these tests need PostgreSQL");
    }
    Process process = new ProcessBuilder(script.toString(), "up").redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      fail(URL_VARIABLE + " is not set and '" + script + " up' failed (exit " + process.exitValue()
          + "): these tests need PostgreSQL");
    }
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.get(lines.size() - 1);
  }
}
