package io.sluice.scenarios.leases;

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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL for the lease scenarios, from {@code scripts/postgres-local.sh}: a fresh database in
 * the shared test cluster ({@code SLUICE_TEST_POSTGRES_URL}, else the script's {@code up}), or a
 * cluster of the test's own that it may restart. Without PostgreSQL the scenarios fail, never skip.
 */
final class LeaseDatabase {

  private static final Random RANDOM = new Random();
  private static final Path SCRIPT = Path.of("..", "scripts", "postgres-local.sh").toAbsolutePath().normalize();

  private LeaseDatabase() {}

  /** A new empty database in the shared test cluster; returns its URL. */
  static String fresh() throws Exception {
    String base = System.getenv("SLUICE_TEST_POSTGRES_URL");
    if (base == null || base.isBlank()) {
      base = script(Map.of(), "up");
    }
    String name = "lease_test_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    try (Connection admin = DriverManager.getConnection(base); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    }
    return base.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
  }

  /** Runs the script with {@code environment} added; returns its last line of output. */
  static String script(Map<String, String> environment, String command) throws IOException, InterruptedException {
    if (!Files.isExecutable(SCRIPT)) {
      fail(SCRIPT + " is missing: the lease scenarios need PostgreSQL");
    }
    ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      fail("'" + SCRIPT + " " + command + "' failed (exit " + process.exitValue() + "): the lease scenarios need PostgreSQL");
    }
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** One number from a query. */
  static long count(String url, String query) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement();
        var rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A throw-away cluster of one test's own (its own port and directory), which the test may restart. */
  record OwnCluster(Map<String, String> environment, String url) implements AutoCloseable {
    static OwnCluster start() throws IOException, InterruptedException {
      Map<String, String> environment = Map.of(
          "SLUICE_POSTGRES_PORT", Integer.toString(56000 + RANDOM.nextInt(2000)),
          "SLUICE_POSTGRES_DIR", "/var/tmp/sluice-postgres-lease-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE));
      return new OwnCluster(environment, script(environment, "up"));
    }

    void restart() throws IOException, InterruptedException {
      script(environment, "restart");
    }

    @Override
    public void close() throws IOException, InterruptedException {
      script(environment, "down");
    }
  }
}
