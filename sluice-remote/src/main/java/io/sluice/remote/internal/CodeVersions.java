package io.sluice.remote.internal;

import io.sluice.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The versions of a remote run's code as the remote side will see it: the git blob (or tree) id
 * of each file its command names, at the commit it runs, read through JGit and not from the
 * working tree, so that an uncommitted edit, which the remote side never sees, changes nothing.
 */
public final class CodeVersions {

  private CodeVersions() {}

  /**
   * Each argument of {@code command} that names a file or directory of the project at the commit,
   * with its id (16 hex digits); {@code commit} null for the run's start commit ({@code [remote]
   * start_commit}, else HEAD). Empty outside a git repository or for an unknown commit: the run
   * itself then says what is wrong.
   */
  public static Map<String, String> of(List<String> command, String commit, Settings settings, Path workingDirectory) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment()
        .findGitDir(workingDirectory.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      return Map.of();
    }
    Object pinned = settings.get("remote", "start_commit");
    String revision = commit != null && !commit.isBlank() ? commit : pinned != null ? String.valueOf(pinned) : Constants.HEAD;
    try (Repository repository = builder.build(); RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(revision + "^{commit}");
      if (id == null) {
        return Map.of();
      }
      RevCommit at = walk.parseCommit(id);
      Path root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
      Path cwd = workingDirectory.toAbsolutePath().normalize();
      Map<String, String> versions = new LinkedHashMap<>();
      for (String argument : command) {
        String inTree = pathInTree(argument, root, cwd);
        if (inTree == null) {
          continue;
        }
        try (TreeWalk file = TreeWalk.forPath(repository, inTree, at.getTree())) {
          if (file != null) {
            versions.put(argument, file.getObjectId(0).name().substring(0, 16));
          }
        }
      }
      return versions;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /** The argument as a path of the repository's tree ({@code a/b.py}), or null when it cannot be one. */
  private static String pathInTree(String argument, Path root, Path cwd) {
    if (argument.isEmpty() || argument.startsWith("-") || argument.indexOf('\0') >= 0) {
      return null;
    }
    try {
      Path path = Path.of(argument);
      if (path.isAbsolute()) {
        return null;
      }
      Path full = cwd.resolve(path).normalize();
      if (!full.startsWith(root) || full.equals(root)) {
        return null;
      }
      return root.relativize(full).toString().replace('\\', '/');
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
