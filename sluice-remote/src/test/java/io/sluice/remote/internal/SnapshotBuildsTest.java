package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
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
  void anUntouchedBuildIsSealedAndReusedByLaterRunsWithoutBuildingAgain() throws Exception {
    Path count = dir.resolve("count");

    Path classes = countingBuilds(count).classpath(COMMIT, snapshot).get(0);
    List<Path> later = countingBuilds(count).classpath(COMMIT, snapshot);

    assertThat(later).containsExactly(classes);
    assertThat(count).as("built once, by the first run").hasContent("built");
    assertThat(CacheManifest.fileFor(builds.resolve(COMMIT))).as("the build's manifest, beside it").isRegularFile();
    assertThat(Files.getPosixFilePermissions(classes.resolve("source.txt")))
        .as("the build's files are sealed").doesNotContain(PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  }

  @Test
  void aBuildChangedAfterItWasMadeIsBuiltAgainBeforeALaterRunUsesIt() throws Exception {
    Path count = dir.resolve("count");
    Path classes = countingBuilds(count).classpath(COMMIT, snapshot).get(0);
    // The attacker: a remote command running as root reaches the build through its classpath.
    Path file = classes.resolve("source.txt");
    assertThat(file.toFile().setWritable(true)).isTrue();
    Files.writeString(file, "tampered\n");

    List<Path> later = countingBuilds(count).classpath(COMMIT, snapshot);

    assertThat(count).as("the changed build was built again").hasContent("built\nbuilt");
    assertThat(later.get(0).resolve("source.txt")).hasContent("code");
  }

  @Test
  void aBuildChangedByOneRemoteRunIsBuiltAgainBeforeTheNextRemoteRunOfTheSameRun() throws Exception {
    Path count = dir.resolve("count");
    SnapshotBuilds oneRun = countingBuilds(count);
    Path file = oneRun.classpath(COMMIT, snapshot).get(0).resolve("source.txt");
    assertThat(file.toFile().setWritable(true)).isTrue();
    FileTime made = Files.getLastModifiedTime(file);
    Files.writeString(file, "tampered\n");
    Files.setLastModifiedTime(file, made);  // and covers its tracks

    List<Path> next = oneRun.classpath(COMMIT, snapshot);

    assertThat(count).hasContent("built\nbuilt");
    assertThat(next.get(0).resolve("source.txt")).hasContent("code");
  }

  @Test
  void aBuildAddedToAfterItWasMadeIsBuiltAgain() throws Exception {
    Path count = dir.resolve("count");
    Path classes = countingBuilds(count).classpath(COMMIT, snapshot).get(0);
    Files.writeString(classes.resolve("Injected.class"), "not from the commit\n");

    List<Path> later = countingBuilds(count).classpath(COMMIT, snapshot);

    assertThat(count).hasContent("built\nbuilt");
    assertThat(later.get(0).resolve("Injected.class")).doesNotExist();
  }

  @Test
  void aBuildLeftFromBeforeManifestsIsBuiltAgain() throws Exception {
    Path old = Files.createDirectories(builds.resolve(COMMIT).resolve("classes"));
    Files.writeString(old.resolve("source.txt"), "unchecked\n");
    Files.writeString(builds.resolve(COMMIT).resolve(".sluice-build-done"), COMMIT + "\n");
    Path count = dir.resolve("count");

    List<Path> classpath = countingBuilds(count).classpath(COMMIT, snapshot);

    assertThat(count).as("built, not taken on trust").hasContent("built");
    assertThat(classpath.get(0).resolve("source.txt")).hasContent("code");
    assertThat(CacheManifest.fileFor(builds.resolve(COMMIT))).isRegularFile();
  }

  /** A build that copies the snapshot's source into classes/ and counts its runs in {@code count}. */
  private SnapshotBuilds countingBuilds(Path count) {
    return new SnapshotBuilds(builds,
        List.of("sh", "-c", "echo built >> '" + count + "' && mkdir classes && cp source.txt classes/"), List.of("classes"));
  }

  @Test
  void aBuildPutInPlaceMeanwhileWithoutTheLockIsReplacedByTheCheckedOneInsteadOfFailing() throws Exception {
    // The build command plays a process that ignores the lock: it puts its own build in place first.
    String other = "../" + COMMIT;
    SnapshotBuilds snapshotBuilds = new SnapshotBuilds(builds, List.of("sh", "-c",
        "mkdir classes && mkdir -p " + other + "/classes && echo other > " + other + "/classes/marker"
            + " && echo " + COMMIT + " > " + other + "/.sluice-build-done"),
        List.of("classes"));

    List<Path> classpath = snapshotBuilds.classpath(COMMIT, snapshot);

    assertThat(classpath).containsExactly(builds.resolve(COMMIT).resolve("classes"));
    assertThat(classpath.get(0).resolve("marker")).as("an unchecked build is not used").doesNotExist();
    assertThat(CacheManifest.matches(builds.resolve(COMMIT), CacheManifest.fileFor(builds.resolve(COMMIT)))).isTrue();
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
    // The other process: takes the commit's build lock, builds for a while, publishes (with its
    // manifest), exits.
    Process other = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
        "import fcntl, hashlib, os, sys, time",
        "builds, commit, locked = sys.argv[1:4]",
        "os.makedirs(builds, exist_ok=True)",
        "lock = open(os.path.join(builds, '.' + commit + '.lock'), 'w')",
        "fcntl.lockf(lock, fcntl.LOCK_EX)",
        "open(locked, 'w').close()",
        "time.sleep(1)",
        "build = os.path.join(builds, commit)",
        "os.makedirs(os.path.join(build, 'classes'))",
        "open(os.path.join(build, '.sluice-build-done'), 'w').write(commit)",
        "os.chmod(os.path.join(build, '.sluice-build-done'), 0o444)",
        // The manifest in CacheManifest's format: entries sorted, kind, name, mode, SHA-256.
        "done = open(os.path.join(build, '.sluice-build-done'), 'rb').read()",
        "open(build + '.manifest', 'w').write('f .sluice-build-done r--r--r-- '"
            + " + hashlib.sha256(done).hexdigest() + '\\nd classes\\n')"),
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
