package io.sluice.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The fingerprints of built outputs, keyed by their paths: one line per commit appended to a
 * file under the state directory, the last line of a key winning. A line is appended only after
 * the outputs it describes are in place, so a crash can only lose a line (that task then runs
 * again), never claim outputs that were not built; a torn last line is ignored. The file is
 * rewritten with only the live lines when most of it is superseded.
 *
 * <p>While no other run may have joined the project, lines are kept and written many at a time
 * (a write per task was a tenth of a run of small tasks). Once another may have, a line is
 * written at once, and a line kept from before is written only if its outputs are still the ones
 * it describes: the other run may have built them again, and recorded it, meanwhile; the later
 * line would otherwise claim them. Every write happens under a lock of the file, so that check
 * and write are one step for the other runs, whose lines then come after.
 */
final class FingerprintJournal implements AutoCloseable {

  private final Path file;
  // The lines as read, found by key without a string or a map entry per line: a run looks each
  // up at most once, and a hundred thousand kept as objects would be copied at every collection.
  private final KeyedLines records;
  private FileChannel appender;
  // Whether no other run may have joined the project since this one did (see OtherProcesses).
  private final BooleanSupplier alone;
  // Lines not written yet, each with a check that its outputs are still those it describes.
  private byte[] kept = new byte[0];
  private int keptLength;
  private final List<Kept> keptLines = new ArrayList<>();

  /** A line kept in {@code kept[start, end)}, and whether the outputs it describes are still in place. */
  private record Kept(int start, int end, BooleanSupplier stillInPlace) {}

  // Past this many bytes kept, they are written: a few hundred lines of small tasks.
  private static final int WRITE_AT = 32 * 1024;

  FingerprintJournal(Path file, BooleanSupplier alone) {
    this.file = file;
    this.alone = alone;
    byte[] text = read(file);
    // About a hundred bytes a line, so that loading rarely grows the table.
    this.records = new KeyedLines(text, text.length / 96);
    load();
  }

  /** The entry of the line recorded for outputs under {@code key}, or -1. */
  int entry(String key) {
    return records.find(Fingerprint.escape(key).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether the body of the entry's line (see {@link Fingerprint#encodeBody()}) is {@code body}:
   * compared with the bytes read, without making a string of them, for the common case of a task
   * whose fingerprint did not change.
   */
  boolean bodyIs(int entry, CharSequence body) {
    byte[] text = records.text();
    int from = indexOf(text, (byte) '\t', records.lineStart(entry)) + 1;
    int to = records.lineEnd(entry);
    if (to - from < body.length()) {
      return false;  // UTF-8 never takes fewer bytes than characters
    }
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c >= 0x80) {
        byte[] encoded = body.toString().getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.equals(text, from, to, encoded, 0, encoded.length);
      }
      if (text[from + i] != c) {
        return false;
      }
    }
    return to - from == body.length();
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
   * Records what outputs were built from (a line of {@link FingerprintRule#current}), after they
   * were committed. Written on disk only: a run checks a task before it runs it, never after, so
   * the line is for the next run. It may be kept a while when {@code stillInPlace} can tell later
   * whether the outputs are still those committed (null: written at once).
   */
  synchronized void append(String line, BooleanSupplier stillInPlace) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (keptLength + bytes.length > kept.length) {
      kept = Arrays.copyOf(kept, Math.max(keptLength + bytes.length, Math.min(2 * kept.length, 2 * WRITE_AT)));
    }
    System.arraycopy(bytes, 0, kept, keptLength, bytes.length);
    keptLines.add(new Kept(keptLength, keptLength + bytes.length, stillInPlace));
    keptLength += bytes.length;
    if (stillInPlace == null || keptLength >= WRITE_AT || !alone.getAsBoolean()) {
      write();
    }
  }

  /** Writes the lines kept, under the file's lock; those whose outputs were replaced meanwhile are dropped. */
  private void write() throws IOException {
    if (keptLength == 0) {
      return;
    }
    try {
      if (appender == null) {
        Files.createDirectories(file.getParent());
        appender = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      try (FileLock ignored = lock(appender)) {
        ByteBuffer bytes = alone.getAsBoolean() ? ByteBuffer.wrap(kept, 0, keptLength) : stillInPlace();
        while (bytes.hasRemaining()) {
          appender.write(bytes);
        }
      }
    } finally {
      keptLength = 0;
      keptLines.clear();
    }
  }

  /** The kept lines whose outputs are still in place: another run may have built them again since. */
  private ByteBuffer stillInPlace() {
    int length = 0;
    for (Kept line : keptLines) {
      if (line.stillInPlace() == null || line.stillInPlace().getAsBoolean()) {
        System.arraycopy(kept, line.start(), kept, length, line.end() - line.start());
        length += line.end() - line.start();
      }
    }
    return ByteBuffer.wrap(kept, 0, length);
  }

  /**
   * The file's lock, waited for: held by another process, or by another run of this one (which
   * the JVM refuses to wait for, hence the retries).
   */
  private static FileLock lock(FileChannel channel) throws IOException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the lock of " + channel, interrupted);
        }
      }
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
    try {
      write();
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class).warn("Could not record the fingerprints of the"
          + " last tasks in {}: {}; they will run again next time", file, e.getMessage());
    }
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
