package io.sluice.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The fingerprints of built outputs, keyed by their paths: one line per commit appended to a
 * file under the state directory, the last line of a key winning. A line is appended only after
 * the outputs it describes are in place, so a crash can only lose a line (that task then runs
 * again), never claim outputs that were not built; a torn last line is ignored. The file is
 * rewritten with only the live lines when most of it is superseded.
 */
final class FingerprintJournal implements AutoCloseable {

  private final Path file;
  // The lines as read, found by key without a string or a map entry per line: a run looks each
  // up at most once, and a hundred thousand kept as objects would be copied at every collection.
  private final KeyedLines records;
  private FileChannel appender;

  FingerprintJournal(Path file) {
    this.file = file;
    byte[] text = read(file);
    // About a hundred bytes a line, so that loading rarely grows the table.
    this.records = new KeyedLines(text, text.length / 96);
    load();
  }

  /** The body of the line recorded for outputs under {@code key} (see {@link Fingerprint#encodeBody()}), or null. */
  String body(String key) {
    int entry = records.find(Fingerprint.escape(key).getBytes(StandardCharsets.UTF_8));
    if (entry < 0) {
      return null;
    }
    int tab = indexOf(records.text(), (byte) '\t', records.lineStart(entry));
    return new String(records.text(), tab + 1, records.lineEnd(entry) - tab - 1, StandardCharsets.UTF_8);
  }

  /** The fingerprint recorded for outputs under {@code key}, or null. */
  Fingerprint get(String key) {
    String body = body(key);
    return body == null ? null : Fingerprint.decodeBody(body);
  }

  /**
   * Records what the outputs under {@code key} were built from: one write, after they were
   * committed. Kept on disk only: a run checks a task before it runs it, never after, so the
   * line is for the next run.
   */
  synchronized void put(String key, Fingerprint fingerprint) throws IOException {
    if (appender == null) {
      Files.createDirectories(file.getParent());
      appender = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    ByteBuffer line = ByteBuffer.wrap(fingerprint.encode(key).getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) {
      appender.write(line);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class)
          .warn("Could not read the fingerprints in {}: {}; tasks judged by fingerprint will run", file, e.getMessage());
      return new byte[0];
    }
  }

  // Bytes, not a Reader: tabs and newlines are ASCII in UTF-8, so lines are split without
  // decoding; a torn last line (no newline) is dropped.
  private void load() {
    byte[] text = records.text();
    long lines = 0;
    int start = 0;
    for (int end = indexOf(text, (byte) '\n', start); end >= 0; end = indexOf(text, (byte) '\n', start)) {
      int tab = indexOf(text, (byte) '\t', start);
      if (tab >= 0 && tab < end) {
        records.add(start, tab, start, end);
      }
      lines++;
      start = end + 1;
    }
    if (lines > 2L * records.size() + 1000) {
      compact();
    }
  }

  private static int indexOf(byte[] text, byte wanted, int from) {
    for (int i = from; i < text.length; i++) {
      if (text[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Rewrites the file with the live lines only. A line another process appends meanwhile may be
   * lost: its task then runs once more, which is safe.
   */
  private void compact() {
    Path fresh = file.resolveSibling(file.getFileName() + ".new");
    try (var out = Files.newOutputStream(fresh)) {
      byte[] text = records.text();
      for (int entry = 0; entry < records.size(); entry++) {
        out.write(text, records.lineStart(entry), records.lineEnd(entry) - records.lineStart(entry));
        out.write('\n');
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
