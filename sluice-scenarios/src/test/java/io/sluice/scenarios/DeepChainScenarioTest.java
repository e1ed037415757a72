package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complete chain of make-style tasks far deeper than a thread's stack is re-checked in a fresh
 * JVM with the command line's flags (where frames are largest) and found complete.
 */
class DeepChainScenarioTest {

  @TempDir Path tempDir;

  @Test
  void completeChainOf8000UpToDateTasksReRunsWithExit0InAFreshJvm() throws Exception {
    Path project = ProjectFiles.create(tempDir);
    Path out = Files.createDirectories(project.resolve("out"));
    // Oldest first, as a finished run leaves them.
    for (int n = 0; n < 8_000; n++) {
      Files.writeString(out.resolve("chain-" + n), n + "\n");
    }

    try (ChildJvm child = ChildJvm.start(project, "chain", "chain", "8000")) {
      int exit = child.awaitExit();

      assertThat(exit).as(child.output()).isZero();
      assertThat(child.stdout()).as(child.output()).contains("Nothing to do: everything was complete already.");
    }
  }
}
