package io.sluice.domino.emulator;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A commit of a project: every file by its path from the project root. Commits never change;
 * {@code parent} is null for a project's first commit.
 */
record Commit(String id, String parent, long createdAt, SortedMap<String, FileEntry> files) {

  Commit {
    files = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The entries of the file at {@code path}, or of every file under the directory {@code path} (all for ""). */
  SortedMap<String, FileEntry> under(String path) {
    if (path.isEmpty()) {
      return files;
    }
    FileEntry file = files.get(path);
    if (file != null) {
      return new TreeMap<>(Map.of(path, file));
    }
    String prefix = path + "/";
    // '/' + 1 is '0': the sub-map holds exactly the paths that start with the prefix.
    return files.subMap(prefix, path + "0");
  }
}
