package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * sluice.jar bundles its libraries under {@code io.sluice.shaded}, so a pipeline on the same
 * classpath brings its own versions of Jackson, JGit, picocli or ClassGraph without a clash.
 * SLF4J stays in place: its Logger is part of Sluice's API. ({@code mvn verify} builds the jar
 * before these tests.)
 */
class DistributionJarTest {

  private static final Path SLUICE_JAR = Path.of("..", "sluice-cli", "target", "sluice.jar").toAbsolutePath();

  private static final List<String> RELOCATED = List.of("com/fasterxml/", "org/eclipse/jgit/", "picocli/",
      "io/github/classgraph/", "nonapi/", "com/googlecode/javaewah", "org/apache/commons/codec/");

  @Test
  void bundledLibrariesAreRelocatedSoPipelinesCanBringTheirOwnVersions() throws IOException {
    try (ZipFile jar = new ZipFile(SLUICE_JAR.toFile())) {
      List<String> unrelocated = jar.stream().map(ZipEntry::getName)
          .filter(name -> name.endsWith(".class") && RELOCATED.stream().anyMatch(name::startsWith))
          .toList();

      assertThat(unrelocated).isEmpty();
      assertThat(jar.getEntry("io/sluice/shaded/jackson/databind/ObjectMapper.class")).isNotNull();
      assertThat(jar.getEntry("io/sluice/shaded/jgit/api/Git.class")).isNotNull();
      assertThat(jar.getEntry("io/sluice/shaded/jgit/internal/JGitText.properties"))
          .as("JGit's messages move with its classes").isNotNull();
      assertThat(jar.getEntry("org/slf4j/Logger.class")).as("SLF4J, part of the API, is not relocated").isNotNull();
    }
  }
}
