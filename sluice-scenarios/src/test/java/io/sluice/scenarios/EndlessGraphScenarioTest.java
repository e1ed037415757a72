package io.sluice.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A requires() that always asks for a new task makes a graph without end. The run must still
 * end, with the scheduling error's exit code and a message naming the path that keeps growing,
 * rather than fill the heap and collect garbage for hours (what a JVM nearly out of memory does).
 */
class EndlessGraphScenarioTest {

  @TempDir Path tempDir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chain", "tree"})
  void aGraphThatNeverStopsGrowingEndsTheRunWithASchedulingErrorNamingWhereItGrows(String shape) throws Exception {
    Path project = ProjectFiles.create(tempDir);

    try (ChildJvm child = ChildJvm.start(project, shape, List.of("-Xmx96m"), "endless", shape)) {
      int exit = child.awaitExit();

      assertThat(exit).as(child.output()).isEqualTo(2);
      String root = shape.equals("tree") ? "EndlessTree\\(level=0, n=0\\)" : "EndlessChain\\(n=0\\)";
      String deep = shape.equals("tree") ? "EndlessTree\\(level=\\d+, n=\\d+\\)" : "EndlessChain\\(n=\\d+\\)";
      assertThat(child.stdout()).as(child.output())
          .containsPattern("The task graph grew to \\d+ tasks and fills the memory of this JVM \\(\\d+ MB of heap\\)")
          .contains("Does a requires() never end")
          .containsPattern(deep + " is required \\d+ levels down from " + root + ": " + root + " -> ");
      assertThat(child.output()).doesNotContain("OutOfMemoryError");
    }
  }
}
