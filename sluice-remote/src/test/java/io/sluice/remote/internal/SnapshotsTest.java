package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {

  @TempDir Path project;
  private Git git;
  private Snapshots snapshots;

  @BeforeEach
  void initRepository() throws Exception {
    git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call();
    snapshots = Snapshots.open(project, null);
  }

  @AfterEach
  void closeRepository() {
    git.close();
  }

  private void write(String path, String content) throws IOException {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private String commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    RevCommit commit = git.commit().setMessage(message).setAuthor("test", "test@example.com")
        .setCommitter("test", "test@example.com").setSign(false).call();
    return commit.name();
  }

  private Map<String, ObjectId> refs() throws IOException {
    Map<String, ObjectId> refs = new TreeMap<>();
    for (Ref ref : git.getRepository().getRefDatabase().getRefs()) {
      refs.put(ref.getName(), ref.getObjectId());
    }
    return refs;
  }

  @Test
  void exportOfACommitHoldsThatCommitsFilesNotLaterOnes() throws Exception {
    write("pipeline/Model.java", "version one");
    String first = commit("first");
    write("pipeline/Model.java", "version two");
    write("README.md", "added later");
    String second = commit("second");

    Path early = snapshots.export(first);
    Path late = snapshots.export(second);

    assertThat(early).isEqualTo(project.resolve(".sluice/snapshots/" + first));
    assertThat(early.resolve("pipeline/Model.java")).hasContent("version one");
    assertThat(early.resolve("README.md")).doesNotExist();
    assertThat(late.resolve("pipeline/Model.java")).hasContent("version two");
    assertThat(late.resolve("README.md")).hasContent("added later");
  }

  @Test
  void exportKeepsTheExecutableBitOfScripts() throws Exception {
    write("run.sh", "#!/bin/sh\necho hi\n");
    project.resolve("run.sh").toFile().setExecutable(true);
    String commit = commit("script");

    assertThat(Files.isExecutable(snapshots.export(commit).resolve("run.sh"))).isTrue();
  }

  @Test
  void aCommitIsExportedOnceAndThenShared() throws Exception {
    write("data.txt", "content");
    String commit = commit("data");
    Path first = snapshots.export(commit);
    FileTime exportedAt = Files.getLastModifiedTime(first.resolve("data.txt"));

    Path again = snapshots.export(commit);
    Path fromAnotherSession = Snapshots.open(project, null).export(commit);

    assertThat(again).isEqualTo(first);
    assertThat(fromAnotherSession).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(again.resolve("data.txt"))).isEqualTo(exportedAt);
    try (var entries = Files.list(project.resolve(".sluice/snapshots"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(commit, commit + ".manifest");
    }
  }

  @Test
  void exportGoesToTheGivenCacheDirectory() throws Exception {
    write("data.txt", "content");
    String commit = commit("data");
    Path cache = project.resolve("elsewhere");

    assertThat(Snapshots.open(project, cache).export(commit)).isEqualTo(cache.resolve(commit));
  }

  @Test
  void headIsTheCurrentCommitWhenTheTreeIsClean() throws Exception {
    write("data.txt", "content");
    String commit = commit("data");
    write("notes.txt", "untracked files do not make the tree dirty");

    assertThat(snapshots.head(false)).isEqualTo(commit);
    assertThat(snapshots.headId()).isEqualTo(commit);
  }

  @Test
  void uncommittedChangesToTrackedFilesAreRefusedNamingTheFile() throws Exception {
    write("src/Model.java", "committed");
    write("other.txt", "committed");
    commit("first");
    write("src/Model.java", "changed, not committed");

    assertThatThrownBy(() -> snapshots.head(false))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("uncommitted changes")
        .hasMessageContaining("src/Model.java")
        .hasMessageNotContaining("other.txt")
        .hasMessageContaining("--snapshot-dirty");
  }

  @Test
  void stagedAndDeletedFilesCountAsUncommittedChanges() throws Exception {
    write("kept.txt", "committed");
    write("gone.txt", "committed");
    commit("first");
    Files.delete(project.resolve("gone.txt"));
    write("staged.txt", "new and staged");
    git.add().addFilepattern("staged.txt").call();

    assertThatThrownBy(() -> snapshots.head(false))
        .hasMessageContaining("gone.txt")
        .hasMessageContaining("staged.txt");
  }

  @Test
  void aDirtyTreeBecomesACommitOnNoBranchWithTheWorkingFiles() throws Exception {
    write(".gitignore", "*.log\nbuild/\n");
    write("src/Model.java", "committed");
    String head = commit("first");
    Map<String, ObjectId> refsBefore = refs();
    write("src/Model.java", "changed, not committed");
    write("src/New.java", "untracked");
    write("debug.log", "ignored");
    write("build/classes.txt", "ignored directory");

    String snapshot = snapshots.head(true);

    assertThat(snapshot).isNotEqualTo(head);
    assertThat(refs()).isEqualTo(refsBefore);
    assertThat(git.getRepository().resolve("HEAD").name()).isEqualTo(head);
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(snapshot));
      assertThat(commit.getParentCount()).isEqualTo(1);
      assertThat(commit.getParent(0).name()).isEqualTo(head);
    }
    Path files = snapshots.export(snapshot);
    assertThat(files.resolve("src/Model.java")).hasContent("changed, not committed");
    assertThat(files.resolve("src/New.java")).hasContent("untracked");
    assertThat(files.resolve(".gitignore")).exists();
    assertThat(files.resolve("debug.log")).doesNotExist();
    assertThat(files.resolve("build")).doesNotExist();
    assertThat(files.resolve(".git")).doesNotExist();
    // the working tree itself is left as it was
    assertThat(project.resolve("src/Model.java")).hasContent("changed, not committed");
    assertThat(git.status().call().getModified()).containsExactly("src/Model.java");
  }

  @Test
  void sluicesOwnStateIsNeverPartOfADirtySnapshotEvenWhenNotIgnored() throws Exception {
    write("data.txt", "committed");
    String head = commit("first");
    snapshots.export(head);
    write(".sluice/runs/run-1/workspace/data.txt", "an earlier run's copy");
    write("data.txt", "changed, not committed");

    Path files = snapshots.export(snapshots.head(true));

    assertThat(files.resolve("data.txt")).hasContent("changed, not committed");
    assertThat(files.resolve(".sluice")).doesNotExist();
  }

  @Test
  void aCleanTreeIsNotSnapshottedAgainWhenDirtySnapshotsAreAllowed() throws Exception {
    write("data.txt", "content");
    String head = commit("data");

    assertThat(snapshots.head(true)).isEqualTo(head);
  }

  @Test
  void aPinnedStartCommitIsUsedEvenAfterHeadMoved() throws Exception {
    write("data.txt", "one");
    String start = commit("one");
    write("data.txt", "two");
    commit("two");

    assertThat(snapshots.head(start, false)).isEqualTo(start);
  }

  @Test
  void revisionsResolveToFullCommitIdsAndUnknownOnesAreNamed() throws Exception {
    write("data.txt", "one");
    String commit = commit("one");
    git.tag().setName("v1").setSigned(false).setAnnotated(true).setMessage("v1")
        .setTagger(new org.eclipse.jgit.lib.PersonIdent("test", "test@example.com")).call();

    assertThat(snapshots.resolve(commit.substring(0, 8))).isEqualTo(commit);
    assertThat(snapshots.resolve("main")).isEqualTo(commit);
    assertThat(snapshots.resolve("v1")).isEqualTo(commit);
    assertThatThrownBy(() -> snapshots.resolve("no-such-branch"))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'no-such-branch'");
  }

  @Test
  void aRepositoryWithoutCommitsOrADirectoryWithoutOneIsRefused(@TempDir Path notARepository) {
    assertThatThrownBy(() -> snapshots.head(false))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("no commit yet");
    assertThatThrownBy(() -> Snapshots.open(notARepository, null))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("not inside a git repository");
  }
}
