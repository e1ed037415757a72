package io.sluice.remote.internal;

import io.sluice.SchedulingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * The project's files at a commit, read with JGit and exported once per commit into
 * {@code .sluice/snapshots/<commit>}, shared by every remote run that uses that commit.
 */
public final class Snapshots {

  /** Sluice's state directory, at the project root; never part of a snapshot. */
  static final String STATE_DIR = ".sluice";

  private final Repository repository;
  private final Path root;
  private final Path cache;
  private final Map<String, Object> exportLocks = new ConcurrentHashMap<>();

  private Snapshots(Repository repository, Path cache) {
    this.repository = repository;
    this.root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
    this.cache = cache != null ? cache : root.resolve(STATE_DIR).resolve("snapshots");
  }

  /**
   * Opens the git repository holding {@code directory}; snapshots go to {@code cache}, or to
   * {@code .sluice/snapshots} at the repository root when it is null.
   *
   * @throws SchedulingException when there is none
   */
  public static Snapshots open(Path directory, Path cache) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment()
        .findGitDir(directory.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      throw new SchedulingException("Remote runs work on the project's files at a commit, but "
          + directory.toAbsolutePath() + " is not inside a git repository. Run 'git init' and commit.");
    }
    try {
      return new Snapshots(builder.build(), cache);
    } catch (IOException e) {
      throw new SchedulingException("Cannot open the git repository at " + builder.getGitDir() + ": " + e.getMessage());
    }
  }

  /** The repository's working tree. */
  public Path root() {
    return root;
  }

  /**
   * The commit HEAD points to. With uncommitted changes to tracked files it refuses, unless
   * {@code snapshotDirty}: then the working tree (tracked and untracked files, ignored ones
   * and Sluice's own {@code .sluice} state left out) becomes a commit object on no branch,
   * whose id is returned.
   */
  public String head(boolean snapshotDirty) {
    return head(null, snapshotDirty);
  }

  /**
   * Like {@link #head(boolean)}, but for the commit HEAD pointed to when the run started, when
   * known: a commit made during the run does not change what remote runs see.
   */
  public String head(String pinned, boolean snapshotDirty) {
    try {
      ObjectId head = pinned != null ? ObjectId.fromString(pinned) : repository.resolve(Constants.HEAD);
      if (head == null) {
        throw new SchedulingException("The git repository at " + root + " has no commit yet: commit the project first");
      }
      List<String> changes = uncommittedChanges();
      if (changes.isEmpty()) {
        return head.name();
      }
      if (!snapshotDirty) {
        throw new SchedulingException("The project has uncommitted changes (" + String.join(", ", changes)
            + "): a remote run works on a commit. Commit them, or pass --snapshot-dirty to snapshot the"
            + " working tree as it is.");
      }
      return commitWorkingTree(head).name();
    } catch (IOException | GitAPIException e) {
      throw new SchedulingException("Cannot read the git repository at " + root + ": " + e.getMessage());
    }
  }

  /** The commit HEAD points to now, or null when there is none. */
  public String headId() {
    try {
      ObjectId head = repository.resolve(Constants.HEAD);
      return head == null ? null : head.name();
    } catch (IOException e) {
      return null;
    }
  }

  /** The full id of a commit given by id, prefix, branch or tag. */
  public String resolve(String revision) {
    try {
      ObjectId id = repository.resolve(revision + "^{commit}");
      if (id == null) {
        throw new SchedulingException("Commit '" + revision + "' is not in the git repository at " + root);
      }
      return id.name();
    } catch (IOException e) {
      throw new SchedulingException("Commit '" + revision + "' cannot be resolved: " + e.getMessage());
    }
  }

  private List<String> uncommittedChanges() throws GitAPIException {
    Status status = Git.wrap(repository).status().call();
    List<String> changes = new ArrayList<>();
    status.getModified().forEach(p -> changes.add("modified " + p));
    status.getChanged().forEach(p -> changes.add("staged " + p));
    status.getAdded().forEach(p -> changes.add("added " + p));
    status.getRemoved().forEach(p -> changes.add("removed " + p));
    status.getMissing().forEach(p -> changes.add("deleted " + p));
    status.getConflicting().forEach(p -> changes.add("conflicting " + p));
    if (changes.size() > 5) {
      int more = changes.size() - 5;
      List<String> shown = new ArrayList<>(changes.subList(0, 5));
      shown.add("and " + more + " more");
      return shown;
    }
    return changes;
  }

  private ObjectId commitWorkingTree(ObjectId parent) throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    try (ObjectInserter inserter = repository.newObjectInserter(); TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(new FileTreeIterator(repository));
      while (walk.next()) {
        WorkingTreeIterator entry = walk.getTree(0, WorkingTreeIterator.class);
        if (entry.isEntryIgnored()) {
          continue;
        }
        // Sluice's own state (at the root, or where a run started) is no project file, even where
        // .gitignore does not say so: taking it in would copy every earlier snapshot, run
        // workspace and log into the next snapshot.
        if (walk.isSubtree() && walk.getNameString().equals(STATE_DIR)) {
          continue;
        }
        if (walk.isSubtree()) {
          walk.enterSubtree();
          continue;
        }
        DirCacheEntry cacheEntry = new DirCacheEntry(walk.getPathString());
        cacheEntry.setFileMode(entry.getEntryFileMode());
        long length = entry.getEntryContentLength();
        try (InputStream in = entry.openEntryStream()) {
          cacheEntry.setObjectId(inserter.insert(Constants.OBJ_BLOB, length, in));
        }
        builder.add(cacheEntry);
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      CommitBuilder commit = new CommitBuilder();
      PersonIdent who = new PersonIdent("sluice", "sluice@localhost");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setParentId(parent);
      commit.setTreeId(tree);
      commit.setMessage("Snapshot of the working tree for a remote run\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /**
   * Writes the files of a commit under {@code temp}, by git's rules for paths: entries git
   * would refuse to check out (see {@link SnapshotPaths}) refuse the whole commit, and nothing
   * is written through a symbolic link.
   */
  private void write(String commit, Path temp) throws IOException {
    SnapshotPaths paths = new SnapshotPaths(commit, temp);
    try (RevWalk revWalk = new RevWalk(repository); TreeWalk walk = new TreeWalk(repository)) {
      RevCommit revCommit = revWalk.parseCommit(ObjectId.fromString(commit));
      walk.addTree(revCommit.getTree());
      walk.setRecursive(false);
      while (walk.next()) {
        CanonicalTreeParser entry = walk.getTree(0, CanonicalTreeParser.class);
        byte[] name = new byte[entry.getNameLength()];
        entry.getName(name, 0);
        int parentLength = Math.max(0, walk.getPathLength() - name.length - 1);
        String parent = new String(walk.getRawPath(), 0, parentLength, StandardCharsets.UTF_8);
        FileMode mode = walk.getFileMode(0);
        paths.check(parent, name, mode == FileMode.SYMLINK);
        if (walk.isSubtree()) {
          walk.enterSubtree();
          continue;
        }
        if (mode == FileMode.GITLINK) {
          continue;
        }
        String path = walk.getPathString();
        Path file = temp.resolve(path);
        paths.checkNoLinkOnTheWay(path, file);
        Files.createDirectories(file.getParent());
        ObjectLoader loader = repository.open(walk.getObjectId(0));
        if (mode == FileMode.SYMLINK) {
          Files.createSymbolicLink(file, Path.of(new String(loader.getBytes(), StandardCharsets.UTF_8)));
          continue;
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
          loader.copyTo(out);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
          Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
          permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(file, permissions);
        }
      }
    }
  }

  /**
   * The files of a commit, exported once (atomically) and shared; read only. A snapshot that no
   * longer matches its manifest (a run changed a shared file) is exported again.
   *
   * @throws SchedulingException when the commit holds a path git would refuse to check out
   */
  public Path export(String commit) {
    Path target = cache.resolve(commit);
    synchronized (exportLocks.computeIfAbsent(commit, c -> new Object())) {
      if (Files.isDirectory(target) && CacheManifest.matches(target, CacheManifest.fileFor(target))) {
        return target;
      }
      try {
        if (Files.exists(target)) {
          RunFiles.deleteTree(target);  // changed since its export, or from before manifests
        }
        Files.createDirectories(cache);
        Path temp = Files.createTempDirectory(cache, "." + commit + ".export-");
        try {
          write(commit, temp);
        } catch (IOException | RuntimeException e) {
          RunFiles.deleteTree(temp);
          throw e;
        }
        CacheManifest.sealFiles(temp);
        CacheManifest.write(temp, CacheManifest.fileFor(target));
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // Another process exported the same commit meanwhile (Linux says "Directory not empty",
          // not always as DirectoryNotEmptyException): the same files, if they match.
          RunFiles.deleteTree(temp);
          if (!Files.isDirectory(target) || !CacheManifest.matches(target, CacheManifest.fileFor(target))) {
            throw e;
          }
        }
        return target;
      } catch (IOException e) {
        throw new IllegalStateException("cannot export commit " + commit + " to " + target + ": " + e.getMessage(), e);
      }
    }
  }
}
