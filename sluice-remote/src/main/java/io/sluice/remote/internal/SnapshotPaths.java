package io.sluice.remote.internal;

import io.sluice.SchedulingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ObjectChecker;

/**
 * Git's own rules for the paths of a checkout, applied to a snapshot export: a commit from
 * elsewhere may hold trees that git would never write (entries named {@code ..} or
 * {@code .git}, a directory named like a symlink before it), and an export must not write them
 * either. One instance checks one export.
 */
final class SnapshotPaths {

  private final String commit;
  private final Path root;
  private final Set<String> seen = new HashSet<>();
  // JGit's checks of tree entry names; macOS's ignorable characters too (".g\u200cit" is ".git" there)
  private final ObjectChecker names = new ObjectChecker().setSafeForMacOS(true);

  SnapshotPaths(String commit, Path root) {
    this.commit = commit;
    this.root = root;
  }

  /**
   * Checks one tree entry before anything is written for it.
   *
   * @param parent the path of its tree ("" at the root)
   * @param name the entry's name, as its raw bytes
   * @param symlink whether the entry is a symbolic link
   * @throws SchedulingException naming the path, when git would refuse it
   */
  void check(String parent, byte[] name, boolean symlink) {
    String text = new String(name, java.nio.charset.StandardCharsets.UTF_8);
    String path = parent.isEmpty() ? text : parent + "/" + text;
    try {
      names.checkPathSegment(name, 0, name.length);
    } catch (CorruptObjectException e) {
      throw refused(path, e.getMessage());
    }
    if (isNtfsGitAlias(text)) {
      throw refused(path, "another name for .git on Windows file systems");
    }
    if (symlink && text.equalsIgnoreCase(".gitmodules")) {
      throw refused(path, ".gitmodules as a symbolic link");
    }
    if (!seen.add(path)) {
      throw refused(path, "a second entry of the same name (a directory named like a file or link before it)");
    }
  }

  /**
   * Checks that no directory between the snapshot's root and {@code file} is a symbolic link,
   * so that nothing is written through a link the export itself created.
   */
  void checkNoLinkOnTheWay(String path, Path file) throws IOException {
    for (Path at = file.getParent(); at != null && at.startsWith(root) && !at.equals(root); at = at.getParent()) {
      if (Files.isSymbolicLink(at)) {
        throw refused(path, "its directory " + root.relativize(at) + " is a symbolic link");
      }
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw refused(path, "it exists already");
    }
  }

  /** Git's protectNTFS rule: ".git" followed by spaces, dots or a stream name, and its short name. */
  private static boolean isNtfsGitAlias(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (char separator : new char[] {'\\', ':'}) {
      int at = lower.indexOf(separator);
      if (at >= 0) {
        lower = lower.substring(0, at);
      }
    }
    int end = lower.length();
    while (end > 0 && (lower.charAt(end - 1) == ' ' || lower.charAt(end - 1) == '.')) {
      end--;
    }
    lower = lower.substring(0, end);
    return lower.equals(".git") || lower.equals("git~1");
  }

  private SchedulingException refused(String path, String why) {
    return new SchedulingException("Commit " + commit.substring(0, Math.min(12, commit.length()))
        + " cannot be exported for a remote run: its path '" + path + "' is one git refuses to check out (" + why
        + "). A commit from elsewhere can be crafted to write outside the snapshot or plant a .git"
        + " directory: check where it came from, or run a commit of your own.");
  }
}
