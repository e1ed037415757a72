package io.sluice.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the walkthrough works with: the repository, this build's archive, and a local Maven
 * repository of its own, seeded from the user's one and holding this build's artifacts.
 */
final class Distribution {

  static final String VERSION = requiredProperty("sluice.version");

  /** The modules a user's project resolves from the local repository. */
  private static final List<String> JARS = List.of("sluice-core", "sluice-remote", "sluice-slurm", "sluice-cli");

  private Distribution() {}

  static Path repositoryRoot() {
    return Path.of("").toAbsolutePath().getParent();
  }

  static Path archive() {
    Path archive = repositoryRoot().resolve("sluice-dist/target/sluice-" + VERSION + ".tar.gz");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(archive + " is missing: the walkthrough runs after the package phase (mvn verify)");
    }
    return archive;
  }

  /**
   * A local repository in {@code target}: the files of {@code source} (the user's ~/.m2
   * repository) as hard links, except Sluice's own and the files Maven rewrites in place
   * (metadata, _remote.repositories), which are copied so that the source never changes; then
   * this build's artifacts, laid out as {@code mvn install} lays them out.
   */
  static void seedLocalRepository(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path relative = source.relativize(file);
        if (relative.startsWith(Path.of("io", "sluice")) || !Files.isRegularFile(file)) {
          continue;
        }
        Path copy = target.resolve(relative);
        Files.createDirectories(copy.getParent());
        String name = file.getFileName().toString();
        if (name.endsWith(".jar") || name.endsWith(".pom")) {
          try {
            Files.createLink(copy, file);
            continue;
          } catch (IOException | UnsupportedOperationException e) {
            // another file system: copy instead
          }
        }
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    Path root = repositoryRoot();
    install(target, "sluice-parent", root.resolve("pom.xml"), null);
    install(target, "sluice-bom", root.resolve("sluice-bom/pom.xml"), null);
    for (String module : JARS) {
      install(target, module, root.resolve(module).resolve("pom.xml"),
          root.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar"));
    }
  }

  private static void install(Path repository, String artifact, Path pom, Path jar) throws IOException {
    Path dir = repository.resolve("io/sluice").resolve(artifact).resolve(VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build the modules first (mvn verify)");
      }
      Files.copy(jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("System property " + name + " is not set: run this test through Maven (mvn verify -pl sluice-dist)");
    }
    return value;
  }
}
