package io.sluice.slurm;

import io.sluice.Settings;
import io.sluice.remote.Tier;
import io.sluice.remote.Tiers;
import io.sluice.remote.spi.RunSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Tiers and run specs for tests. */
final class TestRuns {

  /** The tiers of the repository's sluice.toml, as Jackson reads them. */
  static final Tiers PROJECT_TIERS = Tiers.from(new Settings(Map.of("tiers", Map.of(
      "Small", Map.of("cpus", 1, "memory", "1g", "time_limit", "1h", "max_parallel", 2,
          "slurm", Map.of("partition", "small")),
      "Large", Map.of("cpus", 2, "memory", "4g", "time_limit", "4h", "max_parallel", 1,
          "slurm", Map.of("partition", "large")),
      "GPU", Map.of("cpus", 1, "memory", "4g", "gpus", 1, "time_limit", "4h", "max_parallel", 1,
          "slurm", Map.of("partition", "large", "gres", "gpu:fake:1"))))));

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestRuns() {}

  /** A tier on a partition, with the given memory in MiB (0 for none). */
  static Tier tier(String partition, long memoryMb) {
    return new Tier("Test", 1, memoryMb, 0, null, 0, Map.of(SlurmBackend.NAME, Map.of("partition", partition)));
  }

  /** A run of a command in a workspace copied from {@code snapshot}, bringing back {@code output}. */
  static RunSpec spec(Path snapshot, Tier tier, Duration timeout, String output, String... command) {
    String runId = "run-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    return new RunSpec(runId, "RemoteRun(" + String.join(" ", command) + ")", List.of(command), tier, snapshot,
        "0123456789abcdef0123456789abcdef01234567", List.of(), Map.of(), timeout, "", output);
  }
}
