package io.sluice.scenarios.containment;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * A git repository for {@link ContainmentPipeline}: its settings (a {@code Small} tier with a time
 * limit, a snapshot build by {@code build.sh}) committed, and {@code markers/} where its processes
 * report. The build script counts its starts in {@code markers/builds.log}, leaves a file in its
 * build directory, and holds like the other tasks while {@code markers/hold-build} exists.
 */
record ContainmentProject(Path root) {

  private static final String SETTINGS = """
      [remote]
      poll_interval = "100ms"
      build = ["sh", "build.sh"]
      build_classpath = ["%s"]

      [local]
      work_dir = "../local-work"   # beside the project, inside the test's directory

      [tiers.Small]
      cpus = 1
      time_limit = "10m"

      [tasks]
      packages = ["io.sluice.scenarios.containment"]
      """;

  private static final String BUILD = """
      echo "build started" >> '%1$s/builds.log'
      mkdir -p classes && echo partial > classes/partial
      if [ -e '%1$s/hold-build' ]; then
        %2$s
      fi
      echo built
      """;

  /** Creates the repository in {@code dir}, committed, with the build set to hold. */
  static ContainmentProject create(Path dir) throws IOException, GitAPIException {
    Path root = Files.createDirectories(dir);
    Path markers = Files.createDirectories(root.resolve("markers"));
    Files.writeString(markers.resolve("hold-build"), "");
    // The remote side finds the pipeline's classes (Produce) in the build's classpath.
    Files.writeString(root.resolve("sluice.toml"), SETTINGS.formatted(testClasses()));
    Files.writeString(root.resolve("build.sh"), BUILD.formatted(markers,
        ContainmentPipeline.HOLD.formatted("'" + markers.resolve("started") + "'")));
    Files.writeString(root.resolve(".gitignore"), ".sluice/\nout/\nmarkers/\n");
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("Containment pipeline").setAuthor("scenario", "scenario@example.com")
          .setCommitter("scenario", "scenario@example.com").setSign(false).call();
    }
    return new ContainmentProject(root);
  }

  Path file(String path) {
    return root.resolve(path);
  }

  /** Lets the snapshot build finish instead of holding. */
  void releaseBuild() throws IOException {
    Files.deleteIfExists(file("markers/hold-build"));
  }

  /** How many times the build script started. */
  long buildStarts() throws IOException {
    Path log = file("markers/builds.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** The names in {@code .sluice/builds} of build directories in progress or left behind. */
  List<String> unfinishedBuilds() throws IOException {
    Path builds = file(".sluice/builds");
    if (!Files.isDirectory(builds)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(builds)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.contains(".building-")).sorted().toList();
    }
  }

  private static String testClasses() {
    try {
      return Path.of(ContainmentPipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
