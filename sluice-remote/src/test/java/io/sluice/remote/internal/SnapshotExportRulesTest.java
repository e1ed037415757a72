package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A commit from elsewhere (a fetched branch run with {@code atCommit}) may hold trees that git
 * itself would refuse to check out. Exporting one must refuse it, naming the path, and write
 * nothing outside the snapshot. The crafted trees are built with JGit's low-level API, which
 * writes what it is given.
 */
class SnapshotExportRulesTest {

  @TempDir Path dir;
  private Path project;
  private Git git;
  private ObjectInserter inserter;
  private Snapshots snapshots;

  @BeforeEach
  void initRepository() throws Exception {
    project = Files.createDirectories(dir.resolve("project"));
    git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call();
    inserter = git.getRepository().newObjectInserter();
    snapshots = Snapshots.open(project, null);
  }

  @AfterEach
  void closeRepository() {
    inserter.close();
    git.close();
  }

  private ObjectId blob(String content) throws IOException {
    return inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A tree of one entry. */
  private ObjectId tree(String name, FileMode mode, ObjectId id) throws IOException {
    TreeFormatter tree = new TreeFormatter();
    tree.append(name, mode, id);
    return tree.insertTo(inserter);
  }

  private String commit(ObjectId tree) throws IOException {
    CommitBuilder commit = new CommitBuilder();
    PersonIdent who = new PersonIdent("elsewhere", "elsewhere@example.com");
    commit.setAuthor(who);
    commit.setCommitter(who);
    commit.setTreeId(tree);
    commit.setMessage("crafted\n");
    ObjectId id = inserter.insert(commit);
    inserter.flush();
    return id.name();
  }

  private Path snapshotsDir() {
    return project.resolve(".sluice/snapshots");
  }

  /** Every file under dir, but the repository's own objects. */
  private long filesNamed(String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().equals(name)).count();
    }
  }

  @Test
  void dotDotEntriesAreRefusedAndWriteNothingOutsideTheSnapshot() throws Exception {
    ObjectId escaped = tree("escaped.txt", FileMode.REGULAR_FILE, blob("outside"));
    String commit = commit(tree("..", FileMode.TREE, tree("..", FileMode.TREE, escaped)));

    assertThatThrownBy(() -> snapshots.export(commit))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining(commit.substring(0, 12))
        .hasMessageContaining("'..'");
    assertThat(filesNamed("escaped.txt")).isZero();
    assertThat(snapshotsDir().resolve(commit)).doesNotExist();
  }

  @Test
  void aDirectoryNamedLikeASymlinkBeforeItIsRefusedAndNothingIsWrittenThroughTheLink() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    TreeFormatter root = new TreeFormatter();
    // git's order: the link "a" sorts before the directory "a/"
    root.append("a", FileMode.SYMLINK, blob(outside.toString()));
    root.append("a", FileMode.TREE, tree("planted.txt", FileMode.REGULAR_FILE, blob("through the link")));
    String commit = commit(root.insertTo(inserter));

    assertThatThrownBy(() -> snapshots.export(commit))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'a'");
    assertThat(outside.resolve("planted.txt")).doesNotExist();
    assertThat(snapshotsDir().resolve(commit)).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {".git", ".GIT", ".Git", "GIT~1", ".git.", ".git ", ".g\u200cit"})
  void aGitDirectoryInTheTreeIsRefusedSoItsConfigNeverRunsAnything(String name) throws Exception {
    Path marker = dir.resolve("fsmonitor-ran");
    ObjectId config = blob("[core]\n\tfsmonitor = touch " + marker + "\n");
    String commit = commit(tree(name, FileMode.TREE, tree("config", FileMode.REGULAR_FILE, config)));

    assertThatThrownBy(() -> snapshots.export(commit))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'" + name + "'");
    assertThat(snapshotsDir().resolve(commit)).doesNotExist();
    assertThat(marker).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "a/b", ".git\\config", ".git:stream"})
  void otherNamesGitRefusesAreRefused(String name) throws Exception {
    String commit = commit(tree(name, FileMode.REGULAR_FILE, blob("x")));

    assertThatThrownBy(() -> snapshots.export(commit))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("cannot be exported");
    assertThat(snapshotsDir().resolve(commit)).doesNotExist();
  }

  @Test
  void aSymlinkedGitmodulesIsRefused() throws Exception {
    String commit = commit(tree(".gitmodules", FileMode.SYMLINK, blob("/etc/passwd")));

    assertThatThrownBy(() -> snapshots.export(commit))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("'.gitmodules'");
  }

  @Test
  void ordinaryFilesSymlinksAndDotFilesAreExportedAsBefore() throws Exception {
    TreeFormatter sub = new TreeFormatter();
    sub.append("data.txt", FileMode.REGULAR_FILE, blob("data"));
    TreeFormatter root = new TreeFormatter();
    root.append(".gitignore", FileMode.REGULAR_FILE, blob("target/\n"));
    root.append(".github", FileMode.TREE, tree("ci.yml", FileMode.REGULAR_FILE, blob("on: push")));
    root.append("link", FileMode.SYMLINK, blob("sub/data.txt"));
    root.append("sub", FileMode.TREE, sub.insertTo(inserter));
    String commit = commit(root.insertTo(inserter));

    Path snapshot = snapshots.export(commit);

    assertThat(snapshot.resolve(".gitignore")).hasContent("target/");
    assertThat(snapshot.resolve(".github/ci.yml")).hasContent("on: push");
    assertThat(Files.readSymbolicLink(snapshot.resolve("link"))).isEqualTo(Path.of("sub/data.txt"));
    assertThat(snapshot.resolve("link")).hasContent("data");
  }
}
