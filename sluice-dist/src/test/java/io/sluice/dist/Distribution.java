package io.sluice.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * What the walkthrough works with: the repository and its working tree, this build's archive,
 * and a local Maven repository of its own, seeded from the user's one.
 */
final class Distribution {

  static final String VERSION = requiredProperty("sluice.version");

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
   * repository) as hard links, except Sluice's own, which the walkthrough's {@code mvn install}
   * puts there, and the files Maven rewrites in place (metadata, _remote.repositories), which are
   * copied so that the source never changes.
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
  }

  /**
   * A git repository at {@code target} holding this repository's working tree (uncommitted changes
   * and new files included) as one commit on top of its HEAD: what the walkthrough clones, so
   * that it builds the code under test, committed or not.
   */
  static void snapshotWorkingTree(Shell shell, Path target) throws IOException, InterruptedException {
    Path root = repositoryRoot();
    String script = "git clone -q '" + root + "' '" + target + "'\n"
        + "cd '" + root + "'\n"
        + "git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - | tar -xf - -C '" + target + "'\n"
        + "git ls-files -z --deleted | (cd '" + target + "' && xargs -0 -r rm -f --)\n"
        + "cd '" + target + "' && git add -A && git commit -q --allow-empty -m 'The working tree under test'\n";
    Shell.Result result = shell.run(root, script, 5);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("Cannot snapshot the working tree of " + root + " into " + target + ":\n" + result.output());
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
