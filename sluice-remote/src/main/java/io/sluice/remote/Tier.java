package io.sluice.remote;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hardware tier: the kind of machine a remote run asks for.
 *
 * @param name the tier's name, as in {@code [tiers.Small]}
 * @param cpus CPUs for one run
 * @param memoryMb memory for one run, in MiB; 0 for no limit
 * @param gpus GPUs for one run
 * @param timeLimit how long one run may take; null for no limit
 * @param maxParallel how many runs of this tier may run at once; 0 for no limit
 * @param backendOptions per backend name, that backend's own settings ({@code [tiers.Small.slurm]})
 */
public record Tier(
    String name,
    int cpus,
    long memoryMb,
    int gpus,
    Duration timeLimit,
    int maxParallel,
    Map<String, Map<String, Object>> backendOptions) {

  public Tier {
    if (cpus < 1) {
      throw new IllegalArgumentException("tier " + name + ": cpus is " + cpus + "; it must be 1 or more");
    }
    if (memoryMb < 0 || gpus < 0 || maxParallel < 0) {
      throw new IllegalArgumentException("tier " + name + ": memory, gpus and max_parallel must be 0 or more");
    }
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    backendOptions.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    backendOptions = Collections.unmodifiableMap(copy);
  }

  /** A tier's settings for one backend; empty when it has none. */
  public Map<String, Object> optionsFor(String backend) {
    return backendOptions.getOrDefault(backend, Map.of());
  }
}
