package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspaces share the files of their commit's snapshot instead of copying them, and the shared
 * snapshot is checked against its manifest before each reuse: what one run changes there, later
 * runs at that commit never see (root ignores file modes, so the check is what holds).
 */
class SnapshotReuseTest {

  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());

  @TempDir Path project;
  @TempDir Path work;
  private Git git;
  private Snapshots snapshots;
  private LocalBackend backend;
  private String commit;
  private int runs;

  @BeforeEach
  void repository() throws Exception {
    git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call();
    Files.writeString(project.resolve("data.txt"), "as committed\n");
    git.add().addFilepattern(".").call();
    commit = git.commit().setMessage("data").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
        .setSign(false).call().name();
    snapshots = Snapshots.open(project, null);
    backend = new LocalBackend(work.resolve("runs"));
  }

  @AfterEach
  void close() {
    backend.close();
    git.close();
  }

  private RunHandle runToEnd(String script) throws Exception {
    Path snapshot = snapshots.export(commit);
    RunHandle run = backend.submit(new RunSpec("run-" + ++runs, "Test", List.of("sh", "-c", script), SMALL, snapshot,
        commit, List.of(), Map.of(), null, "", "out.txt"));
    Instant deadline = Instant.now().plusSeconds(30);
    RunState state;
    while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
      assertThat(Instant.now()).as("run still %s", state).isBefore(deadline);
      Thread.sleep(20);
    }
    assertThat(state.status()).as("%s", state).isEqualTo(RunStatus.SUCCEEDED);
    return run;
  }

  private String fetched(RunHandle run) throws IOException {
    Path destination = work.resolve("fetched-" + run.id());
    assertThat(backend.fetch(run, "out.txt", destination)).isTrue();
    return Files.readString(destination);
  }

  @Test
  void aWorkspaceSharesTheSnapshotsFilesInsteadOfCopyingThem() throws Exception {
    RunHandle run = runToEnd("true");

    Path shared = snapshots.export(commit).resolve("data.txt");
    Path inWorkspace = work.resolve("runs").resolve(run.id()).resolve(RunFiles.WORKSPACE).resolve("data.txt");
    assertThat(Files.isSameFile(shared, inWorkspace)).isTrue();
    assertThat(Files.isWritable(shared) && !System.getProperty("user.name").equals("root")).isFalse();
  }

  @Test
  void aRunThatEditsASharedFileInPlaceDoesNotChangeWhatTheNextRunAtThatCommitSees() throws Exception {
    runToEnd("chmod u+w data.txt 2>/dev/null; echo tampered > data.txt; true");

    RunHandle next = runToEnd("cat data.txt > out.txt");

    assertThat(fetched(next)).isEqualTo("as committed\n");
  }

  @Test
  void aSnapshotChangedBehindItsBackIsExportedAgainBeforeReuse() throws Exception {
    Path snapshot = snapshots.export(commit);
    Path file = snapshot.resolve("data.txt");
    file.toFile().setWritable(true);
    Files.writeString(file, "changed in the cache\n");
    Files.writeString(snapshot.resolve("planted.txt"), "not in the commit\n");

    Path again = snapshots.export(commit);

    assertThat(again.resolve("data.txt")).hasContent("as committed");
    assertThat(again.resolve("planted.txt")).doesNotExist();
    assertThat(Files.exists(CacheManifest.fileFor(again), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
