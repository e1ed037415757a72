package io.sluice.domino;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a git commit's files (its exported snapshot) and the runtime its Java commands need into
 * the Domino project, once: only the files whose SHA-1 differs from the project's head are
 * uploaded, and the resulting Domino commit is recorded under
 * {@code .sluice/domino/commits/} so that the next run of the same git commit and runtime
 * uploads nothing. Also reads the runtime manifest of a Domino commit.
 */
final class CommitUploads {

  private static final Logger LOG = LoggerFactory.getLogger(CommitUploads.class);

  /** Uploaded first: its answer names the head commit whose files the rest is compared with. */
  static final String MARKER = RuntimeFiles.DIR + "/upload";

  private final DominoApi api;
  private final Path records;
  private final String project;
  private final Map<String, List<String>> classpaths = new ConcurrentHashMap<>();
  /**
   * The Domino commit of each git commit, snapshot and runtime this driver already asked for: a
   * snapshot and a runtime do not change during a run, so later submissions neither walk the
   * snapshot nor read the record again.
   */
  private final Map<List<Object>, String> known = new HashMap<>();
  private int filesUploaded;

  /**
   * @param records the directory of the git commit to Domino commit records
   * @param project names the Domino project (host, owner, project) in the records
   */
  CommitUploads(DominoApi api, Path records, String project) {
    this.api = api;
    this.records = records;
    this.project = project;
  }

  /** The Domino commit holding the snapshot of {@code gitCommit} and the runtime, uploaded when not yet. */
  synchronized String commitFor(String gitCommit, Path snapshot, List<Path> runtime) throws IOException {
    List<Object> key = List.of(gitCommit, snapshot, runtime);
    String commit = known.get(key);
    if (commit == null) {
      commit = lookUpOrUpload(gitCommit, snapshot, runtime);
      known.put(key, commit);
    }
    return commit;
  }

  private String lookUpOrUpload(String gitCommit, Path snapshot, List<Path> runtime) throws IOException {
    RuntimeFiles runtimeFiles = RuntimeFiles.of(runtime);
    Map<String, Path> files = new TreeMap<>(snapshotFiles(snapshot));
    files.putAll(runtimeFiles.files());
    Path record = records.resolve(Hashes.sha1(project + "\n" + gitCommit + "\n" + fingerprint(runtimeFiles)));
    if (Files.isRegularFile(record)) {
      String known = Files.readString(record).strip();
      if (known.matches("[0-9a-fA-F]{40}")) {
        classpaths.putIfAbsent(known, runtimeFiles.classpath());
        return known;
      }
    }
    String head = api.upload(MARKER, (gitCommit + "\n").getBytes(StandardCharsets.UTF_8));
    Map<String, String> atHead = new HashMap<>();
    api.files(head, "").forEach(entry -> atHead.put(entry.path().replaceFirst("^/", ""), entry.key()));
    int uploaded = 0;
    long bytes = 0;
    for (Map.Entry<String, Path> file : files.entrySet()) {
      if (!Hashes.sha1(file.getValue()).equals(atHead.get(file.getKey()))) {
        head = api.upload(file.getKey(), file.getValue());
        uploaded++;
        filesUploaded++;
        bytes += Files.size(file.getValue());
      }
    }
    byte[] manifest = runtimeFiles.manifest();
    if (!Hashes.sha1(manifest).equals(atHead.get(RuntimeFiles.MANIFEST))) {
      head = api.upload(RuntimeFiles.MANIFEST, manifest);
      uploaded++;
    }
    LOG.info("Domino commit {} holds git commit {}: {} of {} files uploaded ({} bytes), the rest was at the head",
        head, gitCommit.substring(0, Math.min(12, gitCommit.length())), uploaded, files.size() + 1, bytes);
    write(record, head);
    classpaths.put(head, runtimeFiles.classpath());
    return head;
  }

  /** How many files (besides the marker and the manifest) this has uploaded, for tests and the bench. */
  synchronized int filesUploaded() {
    return filesUploaded;
  }

  /** The classpath a Domino commit's runtime manifest names, read once per commit. */
  List<String> classpath(String dominoCommit) throws IOException {
    List<String> known = classpaths.get(dominoCommit);
    if (known != null) {
      return known;
    }
    List<DominoApi.FileEntry> manifest = api.files(dominoCommit, RuntimeFiles.MANIFEST);
    if (manifest.size() != 1) {
      throw new IOException("Domino commit " + dominoCommit + " holds no Sluice runtime (" + RuntimeFiles.MANIFEST
          + "), so it cannot run a Java command: run at a commit Sluice uploaded (the default), or give a"
          + " command that is not a .java file or sluice");
    }
    List<String> classpath = RuntimeFiles.parseManifest(api.blob(manifest.get(0).key()));
    classpaths.put(dominoCommit, classpath);
    return classpath;
  }

  /** What tells runtimes apart cheaply: each file's remote path, size and modification time. */
  private static String fingerprint(RuntimeFiles runtime) throws IOException {
    StringBuilder text = new StringBuilder(String.join(":", runtime.classpath())).append('\n');
    for (Map.Entry<String, Path> file : new TreeMap<>(runtime.files()).entrySet()) {
      text.append(file.getKey()).append(' ').append(Files.size(file.getValue())).append(' ')
          .append(Files.getLastModifiedTime(file.getValue()).toMillis()).append('\n');
    }
    return Hashes.sha1(text.toString());
  }

  /** The snapshot's regular files by path relative to it (links and {@code .git} are not Domino files). */
  private static Map<String, Path> snapshotFiles(Path snapshot) throws IOException {
    Map<String, Path> files = new TreeMap<>();
    Files.walkFileTree(snapshot, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(snapshot)
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.put(snapshot.relativize(file).toString().replace('\\', '/'), file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  private static void write(Path record, String commit) throws IOException {
    Files.createDirectories(record.getParent());
    Path temp = Files.createTempFile(record.getParent(), ".record-", ".tmp");
    Files.writeString(temp, commit + "\n");
    Files.move(temp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
