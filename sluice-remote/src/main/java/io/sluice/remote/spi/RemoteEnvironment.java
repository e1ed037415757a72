package io.sluice.remote.spi;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which variables of the caller's environment a remote command sees: a short allow-list, every
 * {@code SLUICE_*} variable, and the names {@code [remote] pass_env} adds. Everything else (API
 * keys, cloud credentials, tokens of the shell that started the run) stays behind; the run's
 * own {@code RemoteRun.env(...)} variables come on top.
 *
 * <pre>
 * [remote]
 * pass_env = ["CUDA_VISIBLE_DEVICES", "HTTPS_PROXY"]
 * </pre>
 *
 * @param names the variables passed on, besides {@code SLUICE_*}
 */
public record RemoteEnvironment(List<String> names) {

  /** Passed on by default: what programs need to find themselves, their files and their locale. */
  public static final List<String> DEFAULT_NAMES =
      List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME");

  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

  public RemoteEnvironment {
    names = List.copyOf(names);
  }

  /** The default allow-list only. */
  public static RemoteEnvironment defaults() {
    return new RemoteEnvironment(DEFAULT_NAMES);
  }

  /**
   * The default allow-list and {@code [remote] pass_env}.
   *
   * @throws SchedulingException when pass_env is not a list of variable names
   */
  public static RemoteEnvironment from(Settings settings) {
    Object value = settings.get("remote", "pass_env");
    if (value == null) {
      return defaults();
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(o -> o instanceof String s && s.matches(NAME))) {
      throw new SchedulingException("sluice.toml: [remote] pass_env = " + value + " must be a list of environment"
          + " variable names, such as pass_env = [\"CUDA_VISIBLE_DEVICES\", \"HTTPS_PROXY\"]");
    }
    List<String> names = new ArrayList<>(DEFAULT_NAMES);
    list.stream().map(String.class::cast).filter(n -> !names.contains(n)).forEach(names::add);
    return new RemoteEnvironment(names);
  }

  /** Whether a variable of the caller's environment is passed on. */
  public boolean passes(String name) {
    return names.contains(name) || name.startsWith("SLUICE_");
  }

  /** The part of the caller's environment passed on, sorted by name. */
  public Map<String, String> select(Map<String, String> caller) {
    Map<String, String> passed = new TreeMap<>();
    caller.forEach((name, value) -> {
      if (passes(name)) {
        passed.put(name, value);
      }
    });
    return passed;
  }

  /** The builder with its environment replaced by what this process passes on. */
  public ProcessBuilder apply(ProcessBuilder builder) {
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(select(System.getenv()));
    return builder;
  }

  /**
   * sbatch's {@code --export} for this process: the passed names that are set here (sbatch
   * takes their values from its own environment), or {@code NONE} when there are none.
   */
  public String sbatchExport() {
    List<String> set = List.copyOf(select(System.getenv()).keySet());
    return "--export=" + (set.isEmpty() ? "NONE" : String.join(",", set));
  }
}
