package io.sluice.domino.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One project's commits and the content-addressed blobs they point to, kept as files under the
 * data directory so that an emulator started again on the same directory finds them:
 * {@code blobs/ab/cdef...} (named by the SHA-1 of the content) and
 * {@code projects/OWNER/PROJECT/commits/ID.json} with {@code HEAD} naming the head commit.
 */
final class ProjectStore {

  private final Path blobs;
  private final Path commitsDir;
  private final Path headFile;
  private final Clock clock;
  private final Map<String, Commit> commits = new ConcurrentHashMap<>();
  private String head;

  private ProjectStore(Path dataDir, String owner, String project, Clock clock) {
    this.blobs = dataDir.resolve("blobs");
    Path projectDir = dataDir.resolve("projects").resolve(owner).resolve(project);
    this.commitsDir = projectDir.resolve("commits");
    this.headFile = projectDir.resolve("HEAD");
    this.clock = clock;
  }

  /** Opens the project's store, loading the commits already there or making an empty first commit. */
  static ProjectStore open(Path dataDir, String owner, String project, Clock clock) throws IOException {
    ProjectStore store = new ProjectStore(dataDir, owner, project, clock);
    Files.createDirectories(store.blobs);
    Files.createDirectories(store.commitsDir);
    try (var files = Files.list(store.commitsDir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json"))::iterator) {
        Commit commit = readCommit(file);
        store.commits.put(commit.id(), commit);
      }
    }
    if (Files.exists(store.headFile)) {
      String head = Files.readString(store.headFile).trim();
      if (!store.commits.containsKey(head)) {
        throw new IOException(store.headFile + " names commit " + head + ", which is not in " + store.commitsDir
            + ": the data directory is damaged; start the emulator with a new --data-dir");
      }
      store.head = head;
    } else {
      store.head = store.save(null, new TreeMap<>()).id();
      store.writeHead();
    }
    return store;
  }

  synchronized String head() {
    return head;
  }

  Optional<Commit> commit(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(commits.get(id));
  }

  /** The blob file of {@code key}, if the store holds that content. */
  Optional<Path> blob(String key) {
    if (key == null || !key.matches("[0-9a-f]{40}")) {
      return Optional.empty();
    }
    Path file = blobPath(key);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Stores one file on top of the head: a new head commit. */
  synchronized Commit upload(String path, byte[] content) throws IOException {
    String key = putBlob(content);
    SortedMap<String, FileEntry> files = new TreeMap<>(commits.get(head).files());
    files.put(path, new FileEntry(key, content.length, clock.millis()));
    return advanceHead(files);
  }

  /** Stores every file under {@code directory} on top of the head (other files stay): a new head commit. */
  synchronized Commit uploadDirectory(Path directory) throws IOException {
    SortedMap<String, FileEntry> files = new TreeMap<>(commits.get(head).files());
    files.putAll(scan(directory, commits.get(head).files()));
    return advanceHead(files);
  }

  /**
   * A commit of exactly the files under {@code directory} (directories named {@code .git} left
   * out), on top of {@code parent}; the head does not move.
   */
  Commit commitDirectory(Path directory, String parent) throws IOException {
    Commit base = commits.get(parent);
    return save(parent, scan(directory, base == null ? Map.of() : base.files()));
  }

  /** The content of every file of a commit, by path. */
  Map<String, byte[]> contents(Commit commit) throws IOException {
    Map<String, byte[]> contents = new TreeMap<>();
    for (var file : commit.files().entrySet()) {
      contents.put(file.getKey(), Files.readAllBytes(blobPath(file.getValue().key())));
    }
    return contents;
  }

  /** Writes the files of a commit under {@code directory}. */
  void checkout(Commit commit, Path directory) throws IOException {
    for (var file : commit.files().entrySet()) {
      Path target = directory.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.copy(blobPath(file.getValue().key()), target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Commit advanceHead(SortedMap<String, FileEntry> files) throws IOException {
    Commit commit = save(head, files);
    head = commit.id();
    writeHead();
    return commit;
  }

  /** The files under {@code directory}; a file whose content is unchanged keeps its time from {@code before}. */
  private SortedMap<String, FileEntry> scan(Path directory, Map<String, FileEntry> before) throws IOException {
    SortedMap<String, FileEntry> files = new TreeMap<>();
    long now = clock.millis();
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(directory)
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isRegularFile()) {
          return FileVisitResult.CONTINUE;
        }
        String path = ProjectPaths.of(directory.relativize(file));
        String key = putBlob(file);
        FileEntry old = before.get(path);
        long modified = old != null && old.key().equals(key) ? old.lastModified() : now;
        files.put(path, new FileEntry(key, Files.size(file), modified));
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  private Commit save(String parent, SortedMap<String, FileEntry> files) throws IOException {
    long now = clock.millis();
    // The nonce makes two commits of the same files on the same parent distinct, as in Domino.
    MessageDigest sha1 = sha1();
    sha1.update((parent + "\n" + now + "\n" + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
    files.forEach((path, entry) -> sha1.update((path + "\0" + entry.key() + "\n").getBytes(StandardCharsets.UTF_8)));
    Commit commit = new Commit(HexFormat.of().formatHex(sha1.digest()), parent, now, files);
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", commit.id()).put("parent", parent).put("createdAt", now);
    ObjectNode entries = json.putObject("files");
    files.forEach((path, entry) -> entries.putObject(path)
        .put("key", entry.key()).put("size", entry.size()).put("lastModified", entry.lastModified()));
    writeAtomically(commitsDir.resolve(commit.id() + ".json"), Json.MAPPER.writeValueAsBytes(json));
    commits.put(commit.id(), commit);
    return commit;
  }

  private static Commit readCommit(Path file) throws IOException {
    JsonNode json = Json.MAPPER.readTree(file.toFile());
    SortedMap<String, FileEntry> files = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.get("files").fields(); it.hasNext(); ) {
      var entry = it.next();
      JsonNode value = entry.getValue();
      files.put(entry.getKey(), new FileEntry(value.get("key").asText(), value.get("size").asLong(),
          value.get("lastModified").asLong()));
    }
    JsonNode parent = json.get("parent");
    return new Commit(json.get("id").asText(), parent == null || parent.isNull() ? null : parent.asText(),
        json.get("createdAt").asLong(), files);
  }

  private void writeHead() throws IOException {
    writeAtomically(headFile, (head + "\n").getBytes(StandardCharsets.UTF_8));
  }

  String putBlob(byte[] content) throws IOException {
    String key = HexFormat.of().formatHex(sha1().digest(content));
    Path target = blobPath(key);
    if (!Files.exists(target)) {
      writeAtomically(target, content);
    }
    return key;
  }

  private String putBlob(Path file) throws IOException {
    MessageDigest sha1 = sha1();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha1.update(buffer, 0, n);
      }
    }
    String key = HexFormat.of().formatHex(sha1.digest());
    Path target = blobPath(key);
    if (!Files.exists(target)) {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".blob", ".tmp");
      Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
      move(temp, target);
    }
    return key;
  }

  private Path blobPath(String key) {
    return blobs.resolve(key.substring(0, 2)).resolve(key.substring(2));
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    Files.write(temp, content);
    move(temp, target);
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must have", e);
    }
  }
}
