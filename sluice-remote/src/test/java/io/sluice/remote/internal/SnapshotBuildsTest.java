package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
