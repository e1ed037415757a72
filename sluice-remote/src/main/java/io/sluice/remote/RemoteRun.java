package io.sluice.remote;

import io.sluice.LocalTarget;
import io.sluice.RetryPolicy;
import io.sluice.RunScope;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskId;
import io.sluice.remote.internal.RemoteRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A task that runs a command on another machine of a hardware tier, from the project's files
 * at a commit, waits for it, and copies its single output file back (atomically, only when the
 * run succeeded). Like any task it is skipped when its output exists, retried per policy and
 * shown in the summary.
 *
 * <pre>{@code
 * RemoteRun.of(List.of("HelloPipeline.java", "Hello")).tier("Small").output("out/hello.txt")
 * }</pre>
 *
 * <p>A command starting with a {@code .java} file runs that single-file pipeline from the
 * snapshot with Java's source launcher; {@code sluice ...} runs the Sluice command; anything
 * else (e.g. {@code python3 train.py}) runs as it is. Many files travel as one archive: see
 * {@link io.sluice.Archives}.
 *
 * @param command the program and its arguments
 * @param tierName the hardware tier, defined in sluice.toml
 * @param outputPath the one file to bring back, relative to the project's working directory
 * @param commit the commit to run at; null for the commit this run started from
 * @param environment extra environment variables; their values are kept out of the task's id
 *     and display, and reach the remote side in a file only the user can read
 * @param runTimeout how long the remote command may take; null for the tier's time limit
 * @param retry how a failed run is submitted again; {@link RetryPolicy#none()} by default
 */
public record RemoteRun(
    List<String> command,
    String tierName,
    String outputPath,
    String commit,
    Map<String, String> environment,
    Duration runTimeout,
    RetryPolicy retry) implements Task {

  public RemoteRun {
    if (command == null || command.isEmpty()) {
      throw new SchedulingException("A remote run needs a command");
    }
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    retry = retry == null ? RetryPolicy.none() : retry;
    for (int i = 0; i < command.size(); i++) {
      checkNoNul("Argument " + (i + 1) + " of a remote run's command", command.get(i));
    }
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      if (!variable.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new SchedulingException("Environment variable name '" + variable.getKey() + "' of a remote run is"
            + " not valid: use letters, digits and '_', not starting with a digit");
      }
      checkNoNul("The value of environment variable " + variable.getKey() + " of a remote run", variable.getValue());
    }
    if (outputPath != null) {
      checkNoNul("The output path of a remote run", outputPath);
      checkOutputPath(outputPath);
    }
  }

  /** A remote run of a command, on tier {@code Small} until told otherwise. */
  public static RemoteRun of(List<String> command) {
    return new RemoteRun(command, "Small", null, null, Map.of(), null, RetryPolicy.none());
  }

  /** The same run on another tier. */
  public RemoteRun tier(String tier) {
    return new RemoteRun(command, tier, outputPath, commit, environment, runTimeout, retry);
  }

  /** The same run, bringing back this file (relative to the project's working directory). */
  public RemoteRun output(String path) {
    return new RemoteRun(command, tierName, path, commit, environment, runTimeout, retry);
  }

  /** The same run, bringing back this file (relative to the project's working directory). */
  public RemoteRun output(Path path) {
    return output(path.toString());
  }

  /** The same run at another commit (id, prefix, branch or tag). */
  public RemoteRun atCommit(String revision) {
    return new RemoteRun(command, tierName, outputPath, revision, environment, runTimeout, retry);
  }

  /** The same run with one more environment variable. */
  public RemoteRun env(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(environment);
    more.put(name, value);
    return new RemoteRun(command, tierName, outputPath, commit, more, runTimeout, retry);
  }

  /** The same run with a time limit for the remote command. */
  public RemoteRun timeLimit(Duration limit) {
    return new RemoteRun(command, tierName, outputPath, commit, environment, limit, retry);
  }

  /** The same run, submitted again after a failure as the policy says. */
  public RemoteRun retry(RetryPolicy policy) {
    return new RemoteRun(command, tierName, outputPath, commit, environment, runTimeout, policy);
  }

  @Override
  public RetryPolicy retryPolicy() {
    return retry;
  }

  @Override
  public LocalTarget output() {
    if (outputPath == null) {
      throw new SchedulingException("Remote run " + command + " has no output: give it one with .output(path)");
    }
    return LocalTarget.of(outputPath);
  }

  /**
   * Shown as {@code RemoteRun(command=X.java Hello, tier=Small, output=out/hello.txt)}; unset
   * parts left out. Environment values may be secrets: the id holds their names and a short
   * hash of the values ({@code env=API_KEY,MODE#3fa9c1d2}), so that runs with other values are
   * other tasks while no value reaches the console, the summary, reports or log file names.
   */
  @Override
  public TaskId id() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("command", String.join(" ", command));
    params.put("tier", tierName);
    if (outputPath != null) {
      params.put("output", outputPath);
    }
    if (commit != null) {
      params.put("commit", commit);
    }
    if (!environment.isEmpty()) {
      params.put("env", environmentDigest(environment));
    }
    if (runTimeout != null) {
      params.put("timeout", runTimeout);
    }
    return new TaskId("RemoteRun", params);
  }

  /**
   * The git ids of the project's files its command names ({@code HelloPipeline.java},
   * {@code train.py}) at the commit it runs: under the fingerprint policy a change committed to
   * one runs it again, an uncommitted edit (which the remote side never sees) does not. Its
   * command, tier and environment (names and digest) are in its id, so in its fingerprint too.
   */
  @Override
  public Map<String, String> codeVersions(io.sluice.Settings settings) {
    return io.sluice.remote.internal.CodeVersions.of(command, commit, settings, Path.of(""));
  }

  /**
   * The git ids of {@code files} (paths relative to the working directory) at the commit this run
   * runs, for a task that starts it and declares what the remote side will run as its code: an
   * uncommitted edit, which the remote side never sees, changes nothing.
   */
  public Map<String, String> codeVersionsOf(List<Path> files, io.sluice.Settings settings) {
    return io.sluice.remote.internal.CodeVersions.of(files.stream().map(Path::toString).toList(), commit, settings,
        Path.of(""));
  }

  /** The task id, never the environment's values. */
  @Override
  public String toString() {
    return id().toString();
  }

  /**
   * The names and 32 bits of SHA-256 over names and values: enough to tell runs apart, too few
   * to confirm a strong key (one hash fits 2^96 keys of 128 bits). A value from a small set (a
   * short password) could be confirmed by trying candidates: see docs/security.md.
   */
  static String environmentDigest(Map<String, String> environment) {
    Map<String, String> sorted = new TreeMap<>(environment);
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sorted.forEach((name, value) -> {
        sha256.update((name + "=" + value.length() + ":" + value + "\n").getBytes(StandardCharsets.UTF_8));
      });
      return String.join(",", sorted.keySet()) + "#" + HexFormat.of().formatHex(sha256.digest(), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static void checkNoNul(String what, String value) {
    int at = value.indexOf('\0');
    if (at >= 0) {
      throw new SchedulingException(what + " holds a NUL character (at position " + (at + 1) + "), which no"
          + " program can receive: remove it");
    }
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.empty();
  }

  /**
   * Refuses the run before anything starts when this remote run could not go: an unknown
   * backend or tier, uncommitted changes without {@code --snapshot-dirty}, an unknown commit, or
   * an output that leaves the project.
   */
  @Override
  public void checkBeforeRun(RunScope run) {
    RemoteRunner.check(this, run);
  }

  @Override
  public void run(TaskContext context) throws Exception {
    RemoteRunner.run(this, context);
  }

  private static void checkOutputPath(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute() || path.isBlank() || p.normalize().startsWith("..") || p.normalize().toString().isEmpty()) {
      throw new SchedulingException("Remote run output '" + path + "' would leave the project: give a path"
          + " relative to the project, without '..'");
    }
  }
}
