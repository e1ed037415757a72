package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Units of limited resources held against other runs: all a task needs at once, or none. */
class SharedResourcesTest {

  @TempDir Path dir;

  @Test
  void aTaskGetsAllItsUnitsOrNoneAndHoldsNoneWhileItCannotHaveAll() throws Exception {
    try (SharedResources mine = new SharedResources(dir, Map.of("gpu", 2, "memory_gb", 8));
        SharedResources other = new SharedResources(dir, Map.of("gpu", 2, "memory_gb", 8))) {
      SharedResources.Held oneGpu = other.acquire(Resources.of("gpu", 1), Duration.ZERO, () -> false);
      assertThat(oneGpu).isNotNull();

      assertThat(mine.acquire(Resources.of("gpu", 2, "memory_gb", 4), Duration.ZERO, () -> false))
          .as("one GPU of two is taken").isNull();
      SharedResources.Held memory = other.acquire(Resources.of("memory_gb", 8), Duration.ZERO, () -> false);
      assertThat(memory).as("the memory the refused request tried first was let go").isNotNull();
      memory.close();

      oneGpu.close();
      SharedResources.Held both = mine.acquire(Resources.of("gpu", 2, "memory_gb", 4), Duration.ZERO, () -> false);
      assertThat(both).isNotNull();
      assertThat(other.acquire(Resources.of("memory_gb", 4), Duration.ZERO, () -> false)).as("4 of 8 left").isNotNull();
      assertThat(other.acquire(Resources.of("memory_gb", 1), Duration.ZERO, () -> false)).as("none left").isNull();
    }
  }

  @Test
  void resourcesWithoutALimitAndZeroAmountsHoldNothing() throws Exception {
    try (SharedResources shared = new SharedResources(dir, Map.of("gpu", 1))) {
      assertThat(shared.limits(Resources.of("cpu", 64))).isFalse();
      assertThat(shared.limits(Resources.of("gpu", 0))).isFalse();
      assertThat(shared.limits(Resources.of("gpu", 1))).isTrue();
      SharedResources.Held first = shared.acquire(Resources.of("gpu", 1), Duration.ZERO, () -> false);
      assertThat(shared.acquire(Resources.of("cpu", 64).and("gpu", 0), Duration.ZERO, () -> false)).isNotNull();
      first.close();
    }
  }

  @Test
  void aWaitEndsWhenTheUnitsAreFreedOrWhenToldToStop() throws Exception {
    try (SharedResources mine = new SharedResources(dir, Map.of("gpu", 1));
        SharedResources other = new SharedResources(dir, Map.of("gpu", 1))) {
      SharedResources.Held held = other.acquire(Resources.of("gpu", 1), Duration.ZERO, () -> false);
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
        held.close();
      });
      release.start();

      assertThat(mine.acquire(Resources.of("gpu", 1), Duration.ofSeconds(10), () -> false)).isNotNull();
      assertThat(other.acquire(Resources.of("gpu", 1), Duration.ofSeconds(10), () -> true)).as("told to stop").isNull();
      release.join();
    }
  }
}
