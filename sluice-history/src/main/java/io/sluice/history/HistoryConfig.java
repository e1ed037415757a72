package io.sluice.history;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the history lives: a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...})
 * and, for PostgreSQL, the credentials when they are not in the URL.
 *
 * @param url the JDBC URL
 * @param user the database user, or null (SQLite, or given in the URL)
 * @param password the password, or null
 */
public record HistoryConfig(String url, String user, String password) {

  /** The environment variables the credentials of a PostgreSQL history are read from. */
  public static final String USER_VARIABLE = "SLUICE_HISTORY_USER";
  public static final String PASSWORD_VARIABLE = "SLUICE_HISTORY_PASSWORD";

  /** The file name of the default history under the state directory. */
  public static final String SQLITE_FILE = "history.db";

  public HistoryConfig {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("History URL '" + redact(url) + "' is neither jdbc:sqlite:FILE nor"
          + " jdbc:postgresql://HOST:PORT/DATABASE; set [history] url to one of them, or leave it out for the"
          + " embedded SQLite file");
    }
  }

  /** The embedded default: {@code history.db} in the state directory. */
  public static HistoryConfig sqlite(Path stateDir) {
    return new HistoryConfig("jdbc:sqlite:" + stateDir.resolve(SQLITE_FILE), null, null);
  }

  /**
   * The history at {@code url}, or the embedded default when {@code url} is null; the credentials
   * come from {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE} when set.
   */
  public static HistoryConfig of(String url, Path stateDir, Map<String, String> environment) {
    if (url == null) {
      return sqlite(stateDir);
    }
    return new HistoryConfig(url, environment.get(USER_VARIABLE), environment.get(PASSWORD_VARIABLE));
  }

  /** Whether this is the embedded SQLite file. */
  public boolean sqlite() {
    return url.startsWith("jdbc:sqlite:");
  }

  /** The URL without its password, for messages. */
  public String where() {
    return redact(url);
  }

  @Override
  public String toString() {
    return "HistoryConfig[" + where() + (user == null ? "" : ", user " + user) + "]";
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@:]+:[^/@]*@", "//***@");
  }
}
