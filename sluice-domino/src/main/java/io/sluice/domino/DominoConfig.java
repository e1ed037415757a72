package io.sluice.domino;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.internal.ParamConverter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [remote.domino]} table of sluice.toml, completed from the environment as
 * python-domino does: a value set in the file wins, else {@code DOMINO_API_HOST},
 * {@code DOMINO_PROJECT_OWNER} and {@code DOMINO_PROJECT_NAME} (which Domino sets inside a run).
 * The API key is never read from the file (see {@link DominoCredentials}).
 *
 * <pre>
 * [remote.domino]
 * host = "https://domino.example.com"   # else DOMINO_API_HOST
 * owner = "sluice"                      # else DOMINO_PROJECT_OWNER
 * project = "sluice-examples"           # else DOMINO_PROJECT_NAME
 * poll_interval = "1s"                  # the longest gap between two listings of the project's runs
 * retry_window = "10m"                  # how long one request is retried through transient errors
 * </pre>
 *
 * @param host the API's base URL
 * @param owner the project's owner
 * @param project the project's name
 * @param pollInterval the longest gap between two listings of the project's runs (sooner after a change: {@link PollCadence})
 * @param retryWindow how long one request is retried through 408, 429, 5xx and connection errors
 * @param runId the Domino run this driver runs inside ({@code DOMINO_RUN_ID}), or null outside Domino
 */
public record DominoConfig(URI host, String owner, String project, Duration pollInterval, Duration retryWindow,
    String runId) {

  private static final Set<String> KEYS = Set.of("host", "owner", "project", "poll_interval", "retry_window");

  /**
   * Reads the table and the environment.
   *
   * @throws SchedulingException naming the setting that is wrong or missing
   */
  public static DominoConfig from(Settings settings, Map<String, String> environment) {
    Object raw = settings.get("remote", "domino");
    if (raw != null && !(raw instanceof Map<?, ?>)) {
      throw new SchedulingException("sluice.toml: remote.domino must be a table such as [remote.domino]");
    }
    Map<String, Object> section = new LinkedHashMap<>();
    if (raw instanceof Map<?, ?> table) {
      table.forEach((k, v) -> section.put(String.valueOf(k), v));
    }
    for (String key : section.keySet()) {
      if (key.equals("api_key") || key.equals("token")) {
        throw new SchedulingException("sluice.toml: [remote.domino] " + key + " is refused: a key in the project's"
            + " file ends up in its commits. Set DOMINO_USER_API_KEY or DOMINO_TOKEN_FILE in the environment.");
      }
      if (!KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [remote.domino] has unknown setting '" + key
            + "' (known: host, owner, project, poll_interval, retry_window)");
      }
    }
    String host = value(section, "host", environment, "DOMINO_API_HOST");
    String owner = value(section, "owner", environment, "DOMINO_PROJECT_OWNER");
    String project = value(section, "project", environment, "DOMINO_PROJECT_NAME");
    URI uri;
    try {
      uri = URI.create(host.endsWith("/") ? host.substring(0, host.length() - 1) : host);
    } catch (IllegalArgumentException e) {
      throw new SchedulingException("Domino host '" + host + "' is not a URL such as https://domino.example.com");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new SchedulingException("Domino host '" + host + "' is not an http(s) URL such as https://domino.example.com");
    }
    String runId = environment.get("DOMINO_RUN_ID");
    return new DominoConfig(uri, owner, project, duration(section, "poll_interval", Duration.ofSeconds(1)),
        duration(section, "retry_window", Duration.ofMinutes(10)), runId == null || runId.isBlank() ? null : runId);
  }

  private static String value(Map<String, Object> section, String key, Map<String, String> environment,
      String variable) {
    Object value = section.get(key);
    if (value != null && !String.valueOf(value).isBlank()) {
      return String.valueOf(value).strip();
    }
    String fromEnvironment = environment.get(variable);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.strip();
    }
    throw new SchedulingException("The Domino backend needs its " + key + ": set " + variable
        + " in the environment, or " + key + " = \"...\" under [remote.domino] in sluice.toml");
  }

  private static Duration duration(Map<String, Object> section, String key, Duration fallback) {
    Object value = section.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      Duration duration = ParamConverter.parseDuration(String.valueOf(value));
      if (duration.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return duration;
    } catch (RuntimeException e) {
      throw new SchedulingException("sluice.toml: [remote.domino] " + key + " = \"" + value
          + "\" is not a duration such as \"500ms\", \"30s\" or \"10m\"");
    }
  }

  /** The base of the project's v1 routes: {@code /v1/projects/{owner}/{project}}. */
  String projectPath() {
    return "/v1/projects/" + DominoPaths.segment(owner) + "/" + DominoPaths.segment(project);
  }
}
