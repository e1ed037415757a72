package io.sluice.remote.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.remote.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command and heap rules every backend shares. */
class RemoteCommandTest {

  private static Tier tier(long memoryMb) {
    return new Tier("T", 1, memoryMb, 0, null, 0, Map.of());
  }

  @Test
  void javaSourceFilesAndTheSluiceCommandAreJavaCommandsAndNothingElseIs() {
    assertThat(RemoteCommand.isJava(List.of("HelloPipeline.java", "Hello"))).isTrue();
    assertThat(RemoteCommand.isJava(List.of("sluice", "run", "FitForest"))).isTrue();
    assertThat(RemoteCommand.isJava(List.of("python3", "train.java.py"))).isFalse();
    assertThat(RemoteCommand.isJava(List.of("sh", "-c", "java -version"))).isFalse();
  }

  @Test
  void theHeapIsThreeQuartersOfTheTiersMemoryAndAtLeast64MiB() {
    assertThat(RemoteCommand.heapOptions(tier(4096))).containsExactly("-Xmx3072m");
    assertThat(RemoteCommand.heapOptions(tier(32))).containsExactly("-Xmx64m");
    assertThat(RemoteCommand.heapOptions(tier(0))).isEmpty();
  }

  @Test
  void aJavaCommandGetsTheJvmItsOptionsAndTheClasspathAndOtherCommandsStayAsGiven() {
    assertThat(RemoteCommand.argv(List.of("sluice", "run", "A"), "java", List.of("a.jar", "lib/*"), List.of("-Xmx64m")))
        .containsExactly("java", "-Xmx64m", "-cp", "a.jar:lib/*", "io.sluice.cli.Main", "run", "A");
    assertThat(RemoteCommand.argv(List.of("P.java", "Hello"), "/jdk/bin/java", List.of("a.jar"), List.of()))
        .containsExactly("/jdk/bin/java", "-cp", "a.jar", "P.java", "Hello");
    assertThat(RemoteCommand.argv(List.of("sh", "-c", "true"), "java", List.of("a.jar"), List.of("-Xmx64m")))
        .containsExactly("sh", "-c", "true");
  }
}
