package io.sluice.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Content hashes of files, as git names them (the blob id: SHA-1 of {@code "blob <size>\0"} and
 * the content, shortened to 16 hex digits), cached by path, size, modification time and inode so
 * that a file that did not change is not read again, in this run or the next (the cache is kept
 * under the state directory). A cache entry lost in a crash only costs reading the file again.
 *
 * <p>Within one run a file is looked at once: what this run wrote, hashed or found unchanged is
 * answered again without a file status. A file changed by someone else later in the run is then
 * taken as it was; that only makes the next run, which looks at it again, find its readers out of
 * date, never the reverse.
 */
final class ContentHashes implements AutoCloseable {

  /** The hash of a path that does not exist. */
  static final String MISSING = "missing";

  // The file key (device and inode) by its hash code: Unix adds device and inode, so on one
  // device it differs whenever the inode does, and it is written as 8 hex digits, not 25 characters.
  // committed: put there by written(), the hash of an output this run committed.
  private record Entry(long size, long modifiedNanos, int fileKey, String hash, boolean committed) {
    Entry(long size, long modifiedNanos, int fileKey, String hash) {
      this(size, modifiedNanos, fileKey, hash, false);
    }
  }

  private final Path journal;
  // The cache as read, found by path without an object per line (see KeyedLines).
  private final KeyedLines loaded;
  // What this run hashed: read before the loaded lines, appended to the file at the end.
  private final Map<String, Entry> added = new ConcurrentHashMap<>();
  // By loaded entry: found unchanged by this run, so not asked about again. Racy on purpose: a
  // thread that does not see another's mark only looks at the file once more.
  private final byte[] confirmed;
  // Digests to reuse (see blobIdOf); a few, for the workers hashing at once.
  private final java.util.concurrent.ArrayBlockingQueue<MessageDigest> digests =
      new java.util.concurrent.ArrayBlockingQueue<>(8);
  // Set once a file this run committed with a known hash is committed again, or replaced: from
  // then on a hash kept since the first commit may no longer be the one answered here.
  private volatile boolean recommitted;

  ContentHashes(Path journal) {
    this.journal = journal;
    byte[] text;
    try {
      text = Files.readAllBytes(journal);
    } catch (IOException e) {
      // none yet, or unreadable: that only costs reading files again
      text = new byte[0];
    }
    // About a hundred bytes a line, so that loading rarely grows the table.
    this.loaded = new KeyedLines(text, text.length / 96);
    load(text);
    this.confirmed = new byte[loaded.size()];
  }

  /** The file's hash; for a directory, a hash of its files' names and hashes; {@link #MISSING} when absent. */
  String hash(Path path) {
    // Absolute, as the outputs a run commits are known (see written): relative or not, one entry per file.
    String key = path.toAbsolutePath().normalize().toString();
    Entry known = added.get(key);
    if (known != null) {
      return known.hash;
    }
    int entry = loaded.find(key.getBytes(StandardCharsets.UTF_8));
    if (entry >= 0 && confirmed[entry] != 0) {
      return loadedHash(entry);
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return MISSING;
    } catch (IOException e) {
      return "unreadable";
    }
    if (attributes.isDirectory()) {
      return directoryHash(path);
    }
    long modified = attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    int fileKey = java.util.Objects.hashCode(attributes.fileKey());
    Entry cached = entry < 0 ? null : loaded(entry);
    if (cached != null && cached.size == attributes.size() && cached.modifiedNanos == modified
        && cached.fileKey == fileKey) {
      confirmed[entry] = 1;
      return cached.hash;
    }
    String hash;
    try {
      hash = blobId(path, attributes.size());
    } catch (IOException e) {
      return "unreadable";
    }
    added.put(key, new Entry(attributes.size(), modified, fileKey, hash));
    return hash;
  }

  /**
   * Caches {@code hash} for the file as it is now (size, modification time, inode): the hash of
   * what was just written to it, so that it is not read to be hashed. False when the file is not
   * there to be looked at (then nothing is cached).
   */
  boolean written(Path path, String hash) {
    String key = path.toAbsolutePath().normalize().toString();
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (attributes.isRegularFile()) {
        Entry before = added.put(key, new Entry(attributes.size(),
            attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
            java.util.Objects.hashCode(attributes.fileKey()), hash, true));
        if (before != null && before.committed) {
          recommitted = true;
        }
        return true;
      }
    } catch (IOException e) {
      // gone or unreadable already: it is hashed when asked for, as any other file
    }
    replaced(path);
    return false;
  }

  /**
   * Whether every hash {@link #written} cached is still the one {@link #hash} answers for its
   * file: no file this run committed with a known hash was committed or replaced again since. A
   * hash kept from a commit (by the task that committed it) may then stand for asking here.
   */
  boolean writtenHashesStand() {
    return !recommitted;
  }

  /** Whether the file is still as this run wrote it (same size, modification time and inode). */
  boolean stillAsWritten(Path path) {
    Entry written = added.get(path.toAbsolutePath().normalize().toString());
    if (written == null) {
      return false;
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return attributes.isRegularFile() && written.size == attributes.size()
          && written.modifiedNanos == attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
          && written.fileKey == java.util.Objects.hashCode(attributes.fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Forgets what this run knew of the file: it was just replaced with content whose hash is not
   * known, so the next question about it looks at the file.
   */
  void replaced(Path path) {
    String key = path.toAbsolutePath().normalize().toString();
    Entry before = added.remove(key);
    if (before != null && before.committed) {
      recommitted = true;
    }
    int entry = loaded.find(key.getBytes(StandardCharsets.UTF_8));
    if (entry >= 0) {
      confirmed[entry] = 0;
    }
  }

  /** The hash of a loaded entry already parsed once by {@link #loaded(int)}. */
  private String loadedHash(int entry) {
    int start = loaded.lineStart(entry);
    return ascii(loaded.text(), start, tabs(loaded.text(), start, loaded.lineEnd(entry))[0]);
  }

  /** A loaded entry of the cache file, or null for a torn line. */
  private Entry loaded(int entry) {
    byte[] text = loaded.text();
    int start = loaded.lineStart(entry);
    int[] tabs = tabs(text, start, loaded.lineEnd(entry));
    try {
      return new Entry(parse(text, tabs[0] + 1, tabs[1], 10), parse(text, tabs[1] + 1, tabs[2], 10),
          (int) parse(text, tabs[2] + 1, tabs[3], 16), ascii(text, start, tabs[0]));
    } catch (NumberFormatException e) {
      return null;  // a torn line, or one of an older format: that file is read again
    }
  }

  private String directoryHash(Path dir) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).sorted().forEach(file -> lines.add(dir.relativize(file) + " " + hash(file)));
    } catch (IOException e) {
      return "unreadable";
    }
    MessageDigest digest = sha1();
    for (String line : lines) {
      digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  private static String blobId(Path file, long size) throws IOException {
    MessageDigest digest = sha1();
    updateHeader(digest, size);
    // A buffer the size of a small file, not 64 KiB per file: a run hashing a hundred thousand
    // tiny outputs would otherwise allocate gigabytes, and pay for them in collections.
    byte[] buffer = new byte[(int) Math.min(Math.max(size, 1), 64 * 1024)];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  /** The git blob id of {@code content[0, length)}, shortened to 16 hex digits. */
  static String blobId(byte[] content, int length) {
    return blobId(sha1(), content, length);
  }

  /**
   * {@link #blobId(byte[], int)} with a digest reused from an earlier call: a cloned SHA-1 is
   * about 500 bytes, and a run hashes every small output it writes.
   */
  String blobIdOf(byte[] content, int length) {
    MessageDigest digest = digests.poll();
    if (digest == null) {
      digest = sha1();
    }
    String id = blobId(digest, content, length);
    digests.offer(digest);  // digest() has reset it
    return id;
  }

  private static String blobId(MessageDigest digest, byte[] content, int length) {
    updateHeader(digest, length);
    digest.update(content, 0, length);
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  /** Feeds git's blob header, {@code "blob <size>\0"}, made as bytes: no string per output hashed. */
  private static void updateHeader(MessageDigest digest, long size) {
    byte[] header = new byte[26];  // "blob ", at most 20 digits, the NUL
    header[0] = 'b';
    header[1] = 'l';
    header[2] = 'o';
    header[3] = 'b';
    header[4] = ' ';
    int digits = 1;
    for (long rest = size / 10; rest != 0; rest /= 10) {
      digits++;
    }
    for (int i = 4 + digits; i > 4; i--) {
      header[i] = (byte) ('0' + size % 10);
      size /= 10;
    }
    header[5 + digits] = 0;
    digest.update(header, 0, 6 + digits);
  }

  // Cloned rather than looked up: finding a provider by name costs more than hashing a small file.
  private static final MessageDigest SHA1 = newSha1();

  static MessageDigest sha1() {
    try {
      return (MessageDigest) SHA1.clone();
    } catch (CloneNotSupportedException e) {
      return newSha1();
    }
  }

  private static MessageDigest newSha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must have", e);
    }
  }

  // Lines of "hash, size, modified, file key, path", tab-separated; indexed by path as bytes and
  // parsed only when looked up. A torn line from a crash is skipped: that file is read again.
  private void load(byte[] text) {
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        int[] tabs = tabs(text, start, i);
        if (tabs != null) {
          loaded.add(tabs[3] + 1, i, start, i);
        }
        start = i + 1;
      }
    }
  }

  /** The first four tabs of the line {@code [start, end)}, or null when it has fewer. */
  private static int[] tabs(byte[] text, int start, int end) {
    int[] tabs = new int[4];
    int found = 0;
    for (int j = start; j < end && found < 4; j++) {
      if (text[j] == '\t') {
        tabs[found++] = j;
      }
    }
    return found == 4 ? tabs : null;
  }

  private static long parse(byte[] text, int from, int to, int radix) {
    if (from >= to || to - from > 19) {
      throw new NumberFormatException("not a number");
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = Character.digit(text[i], radix);
      if (digit < 0) {
        throw new NumberFormatException("not a number");
      }
      value = value * radix + digit;
    }
    return value;
  }

  private static String ascii(byte[] text, int from, int to) {
    return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private void writeLoadedNotAdded(OutputStream out) throws IOException {
    byte[] text = loaded.text();
    for (int entry = 0; entry < loaded.size(); entry++) {
      int start = loaded.lineStart(entry);
      int end = loaded.lineEnd(entry);
      int pathStart = tabs(text, start, end)[3] + 1;
      if (!added.containsKey(new String(text, pathStart, end - pathStart, StandardCharsets.UTF_8))) {
        out.write(text, start, end - start);
        out.write('\n');
      }
    }
  }

  /** Appends what this run hashed to the cache file, rewriting it when mostly superseded lines. */
  @Override
  public void close() {
    if (added.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(journal.getParent());
      boolean rewrite = Files.isRegularFile(journal)
          && Files.size(journal) > 4L * 64 * (loaded.size() + added.size()) + 65536;
      Path target = rewrite ? journal.resolveSibling(journal.getFileName() + ".new") : journal;
      try (OutputStream out = new BufferedOutputStream(rewrite ? Files.newOutputStream(target)
          : Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16)) {
        if (rewrite) {
          writeLoadedNotAdded(out);
        }
        // Encoded straight into one buffer, written when full: a string per line, or a builder
        // of many made a string then encoded, cost a hundred thousand outputs about as much as
        // their status after the commit.
        LineBuffer lines = new LineBuffer(out);
        for (Map.Entry<String, Entry> line : added.entrySet()) {
          if (line.getKey().indexOf('\n') < 0) {
            Entry e = line.getValue();
            lines.ascii(e.hash).tab().decimal(e.size).tab().decimal(e.modifiedNanos).tab().hex(e.fileKey).tab()
                .utf8(line.getKey()).newline();
          }
        }
        lines.flush();
      }
      if (rewrite) {
        Files.move(target, journal, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      added.clear();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ContentHashes.class)
          .warn("Could not save the content hash cache {}: {} (files are hashed again next time)", journal, e.getMessage());
    }
  }

  /** Cache lines encoded into a buffer of bytes, written to {@code out} whenever it is nearly full. */
  private static final class LineBuffer {
    // Longer than any line but a path's, which is written on its own when it does not fit.
    private static final int ROOM = 256;

    private final OutputStream out;
    private final byte[] bytes = new byte[1 << 16];
    private int length;

    LineBuffer(OutputStream out) {
      this.out = out;
    }

    LineBuffer ascii(String text) throws IOException {
      room(text.length());
      for (int i = 0; i < text.length(); i++) {
        bytes[length++] = (byte) text.charAt(i);
      }
      return this;
    }

    LineBuffer tab() {
      bytes[length++] = '\t';
      return this;
    }

    LineBuffer newline() {
      bytes[length++] = '\n';
      return this;
    }

    LineBuffer decimal(long value) throws IOException {
      return ascii(Long.toString(value));
    }

    LineBuffer hex(int value) throws IOException {
      return ascii(Integer.toHexString(value));
    }

    LineBuffer utf8(String text) throws IOException {
      byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
      if (encoded.length > bytes.length - ROOM) {
        flush();
        out.write(encoded);
        return this;
      }
      room(encoded.length);
      System.arraycopy(encoded, 0, bytes, length, encoded.length);
      length += encoded.length;
      return this;
    }

    /** Makes room for {@code size} bytes and a few separators after them. */
    private void room(int size) throws IOException {
      if (length + size + 8 > bytes.length) {
        flush();
      }
    }

    void flush() throws IOException {
      out.write(bytes, 0, length);
      length = 0;
    }
  }
}
