package io.sluice.scenarios;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a scenario left on disk. */
final class ProjectFiles {

  private ProjectFiles() {}

  /** A fresh project directory under the test's temporary directory. */
  static Path create(Path tempDir) throws IOException {
    return Files.createDirectories(tempDir.resolve("project"));
  }

  /** Every regular file under {@code dir}, hidden ones included, relative and sorted; empty if no dir. */
  static List<String> under(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .map(file -> dir.relativize(file).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }
}
