package io.sluice.internal;

import io.sluice.ParameterValues;
import io.sluice.Sleeper;
import io.sluice.TaskClaims;
import io.sluice.TaskListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Everything that shapes one run of the engine; {@code fsync} makes its output commits durable
 * against power loss (each file and its directory synced); {@code claims} keeps tasks once-only
 * across machines.
 */
public record EngineSettings(
    int workers,
    Map<String, Integer> resourceLimits,
    List<TaskListener> listeners,
    boolean force,
    Set<String> forceFamilies,
    boolean dryRun,
    Clock clock,
    Sleeper sleeper,
    Random random,
    Path stateDir,
    Duration lockTimeout,
    int checkerThreads,
    io.sluice.Settings projectSettings,
    Duration timeoutGrace,
    boolean fsync,
    ParameterValues parameterValues,
    TaskClaims claims) {

  /** How long a task past its timeout has to stop after being interrupted, by default. */
  public static final Duration DEFAULT_TIMEOUT_GRACE = Duration.ofSeconds(5);

  public EngineSettings {
    resourceLimits = Map.copyOf(resourceLimits);
    listeners = List.copyOf(listeners);
    forceFamilies = Set.copyOf(forceFamilies);
    java.util.Objects.requireNonNull(parameterValues, "parameterValues");
    java.util.Objects.requireNonNull(claims, "claims");
  }

  /** Where per-task log files go. */
  public Path logDir() {
    return stateDir.resolve("logs");
  }
}
