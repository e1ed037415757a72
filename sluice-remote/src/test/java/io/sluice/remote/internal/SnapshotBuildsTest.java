package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds of a snapshot, once per commit, shared by the runs of every process. */
class SnapshotBuildsTest {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  Path dir;

  private Path snapshot;
  private Path builds;

  @BeforeEach
  void makeSnapshot() throws Exception {
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    Files.writeString(snapshot.resolve("source.txt"), "code\n");
    builds = dir.resolve("builds");
  }

  @Test
  void aCommitIsBuiltOnceAndItsClasspathPointsIntoTheBuild() throws Exception {
    Path count = dir.resolve("count");
    SnapshotBuilds snapshotBuilds = new SnapshotBuilds(builds,
        List.of("sh", "-c", "echo built >> '" + count + "' && mkdir classes && cp source.txt classes/"), List.of("classes"));

    List<Path> first = snapshotBuilds.classpath(COMMIT, snapshot);
    List<Path> second = snapshotBuilds.classpath(COMMIT, snapshot);

    assertThat(first).containsExactly(builds.resolve(COMMIT).resolve("classes")).isEqualTo(second);
    assertThat(first.get(0).resolve("source.txt")).hasContent("code");
    assertThat(count).hasContent("built");
  }

  @Test
  void aBuildAnotherProcessFinishedMeanwhileIsUsedInsteadOfFailing() throws Exception {
    // The build command plays the other process too: it finishes the same commit's build first.
    String other = "../" + COMMIT;
    SnapshotBuilds snapshotBuilds = new SnapshotBuilds(builds, List.of("sh", "-c",
        "mkdir classes && mkdir -p " + other + "/classes && echo other > " + other + "/classes/marker"
            + " && echo " + COMMIT + " > " + other + "/.sluice-build-done"),
        List.of("classes"));

    List<Path> classpath = snapshotBuilds.classpath(COMMIT, snapshot);

    assertThat(classpath).containsExactly(builds.resolve(COMMIT).resolve("classes"));
    assertThat(classpath.get(0).resolve("marker")).hasContent("other");
    try (var left = Files.list(builds)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".building-"));
    }
  }

  @Test
  void aBuildDirectoryLeftByADeadProcessIsRemovedByTheNextBuild() throws Exception {
    Path leftover = Files.createDirectories(builds.resolve("." + COMMIT + ".building-12345"));
    Files.writeString(leftover.resolve("half-built.jar"), "partial\n");
    Path otherCommit = Files.createDirectories(builds.resolve(".fedcba.building-1"));
    SnapshotBuilds snapshotBuilds = new SnapshotBuilds(builds, List.of("mkdir", "classes"), List.of("classes"));

    snapshotBuilds.classpath(COMMIT, snapshot);

    assertThat(leftover).doesNotExist();
    assertThat(otherCommit).as("another commit's build is not this build's business").exists();
    assertThat(builds.resolve(COMMIT).resolve("classes")).isDirectory();
  }

  @Test
  void whileAnotherProcessBuildsTheCommitTheBuildWaitsForItAndUsesItsResult() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/python3")))
        .as("python3 plays the other process: it takes the same POSIX lock as Java").isTrue();
    Path locked = dir.resolve("locked");
    Path count = dir.resolve("count");
    // The other process: takes the commit's build lock, builds for a while, publishes, exits.
    Process other = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
        "import fcntl, os, sys, time",
        "builds, commit, locked = sys.argv[1:4]",
        "os.makedirs(builds, exist_ok=True)",
        "lock = open(os.path.join(builds, '.' + commit + '.lock'), 'w')",
        "fcntl.lockf(lock, fcntl.LOCK_EX)",
        "open(locked, 'w').close()",
        "time.sleep(1)",
        "os.makedirs(os.path.join(builds, commit, 'classes'))",
        "open(os.path.join(builds, commit, '.sluice-build-done'), 'w').write(commit)"),
        builds.toString(), COMMIT, locked.toString()).inheritIO().start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.exists(locked) && other.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(locked).as("the other process holds the lock").exists();
      SnapshotBuilds snapshotBuilds = new SnapshotBuilds(builds,
          List.of("sh", "-c", "echo built >> '" + count + "' && mkdir classes"), List.of("classes"));

      List<Path> classpath = snapshotBuilds.classpath(COMMIT, snapshot);

      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(other.exitValue()).isZero();
      assertThat(count).as("this process did not build the commit too").doesNotExist();
      assertThat(classpath).containsExactly(builds.resolve(COMMIT).resolve("classes"));
    } finally {
      other.destroyForcibly();
    }
  }
}
