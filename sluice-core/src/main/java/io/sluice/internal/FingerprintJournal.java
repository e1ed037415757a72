package io.sluice.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fingerprints of built outputs, keyed by their paths: one line per commit appended to a
 * file under the state directory, the last line of a key winning. A line is appended only after
 * the outputs it describes are in place, so a crash can only lose a line (that task then runs
 * again), never claim outputs that were not built; a torn last line is ignored. The file is
 * rewritten with only the live lines when most of it is superseded.
 */
final class FingerprintJournal implements AutoCloseable {

  private final Path file;
  // The encoded lines, decoded when asked for: a hundred thousand decoded records would take ten
  // times the memory, and a run asks for each at most once.
  private final Map<String, String> records = new ConcurrentHashMap<>();
  private FileChannel appender;

  FingerprintJournal(Path file) {
    this.file = file;
    load();
  }

  /** The journal line recorded for outputs under {@code key}, with its newline, or null. */
  String line(String key) {
    return records.get(key);
  }

  /** The fingerprint recorded for outputs under {@code key}, or null. */
  Fingerprint get(String key) {
    String line = records.get(key);
    if (line == null) {
      return null;
    }
    Map.Entry<String, Fingerprint> entry = Fingerprint.decode(line.substring(0, line.length() - 1));
    return entry == null ? null : entry.getValue();
  }

  /** Records what the outputs under {@code key} were built from: one write, after they were committed. */
  synchronized void put(String key, Fingerprint fingerprint) throws IOException {
    if (appender == null) {
      Files.createDirectories(file.getParent());
      appender = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    String encoded = fingerprint.encode(key);
    ByteBuffer line = ByteBuffer.wrap(encoded.getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) {
      appender.write(line);
    }
    records.put(key, encoded);
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    long lines = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // readLine() cannot tell a torn last line: read it whole, and drop it when it has no newline.
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        int scanned = text.length();
        text.append(buffer, 0, n);
        int start = 0;
        for (int end = text.indexOf("\n", scanned); end >= 0; end = text.indexOf("\n", start)) {
          String line = text.substring(start, end + 1);
          String key = Fingerprint.keyOf(line);
          if (key != null) {
            records.put(key, line);
          }
          lines++;
          start = end + 1;
        }
        text.delete(0, start);
      }
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class)
          .warn("Could not read the fingerprints in {}: {}; tasks judged by fingerprint will run", file, e.getMessage());
      return;
    }
    if (lines > 2L * records.size() + 1000) {
      compact();
    }
  }

  /**
   * Rewrites the file with the live lines only. A line another process appends meanwhile may be
   * lost: its task then runs once more, which is safe.
   */
  private void compact() {
    Path fresh = file.resolveSibling(file.getFileName() + ".new");
    try (var out = Files.newBufferedWriter(fresh, StandardCharsets.UTF_8)) {
      for (String line : records.values()) {
        out.write(line);
      }
    } catch (IOException e) {
      return;
    }
    try {
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // left as it was: only bigger than it needs to be
    }
  }

  @Override
  public synchronized void close() {
    if (appender != null) {
      try {
        appender.close();
      } catch (IOException ignored) {
        // every line was written already
      }
      appender = null;
    }
  }
}
