package io.sluice.slurm;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.internal.ParamConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [slurm]} section of sluice.toml.
 *
 * <pre>
 * [slurm]
 * shared_dir = "/shared/sluice-runs"   # seen by this machine and every node; default .sluice/slurm-runs
 * query_interval = "250ms"             # at most one squeue per interval, however many runs
 * command_timeout = "60s"              # how long sbatch, squeue or scancel may take
 * </pre>
 *
 * @param sharedDir where run directories go: a filesystem that this machine and the nodes share
 * @param queryInterval the shortest time between two squeue calls
 * @param commandTimeout how long one Slurm command may take before it counts as failed
 */
record SlurmConfig(Path sharedDir, Duration queryInterval, Duration commandTimeout) {

  private static final Set<String> KEYS = Set.of("shared_dir", "query_interval", "command_timeout");

  /**
   * Reads the section.
   *
   * @param projectRoot relative paths are taken from here
   * @param stateDir the project's {@code .sluice} directory, home of the default shared directory
   * @throws SchedulingException naming the setting that is wrong
   */
  static SlurmConfig from(Path projectRoot, Path stateDir, Settings settings) {
    Map<String, Object> section = settings.section("slurm");
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [slurm] has unknown setting '" + key
            + "' (known: shared_dir, query_interval, command_timeout)");
      }
    }
    Object shared = section.get("shared_dir");
    Path sharedDir = shared == null ? stateDir.resolve("slurm-runs") : projectRoot.resolve(String.valueOf(shared));
    return new SlurmConfig(sharedDir.toAbsolutePath().normalize(),
        duration(section, "query_interval", Duration.ofMillis(250)),
        duration(section, "command_timeout", Duration.ofSeconds(60)));
  }

  private static Duration duration(Map<String, Object> section, String key, Duration fallback) {
    Object value = section.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return ParamConverter.parseDuration(String.valueOf(value));
    } catch (RuntimeException e) {
      throw new SchedulingException("sluice.toml: [slurm] " + key + " = \"" + value
          + "\" is not a duration such as \"500ms\", \"30s\" or \"2m\"");
    }
  }
}
