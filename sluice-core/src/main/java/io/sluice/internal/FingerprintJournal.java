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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The fingerprints of built outputs, keyed by their paths: one line per commit appended to a
 * file under the state directory, the last line of a key winning. A line is appended only after
 * the outputs it describes are in place, so a crash can only lose a line (that task then runs
 * again), never claim outputs that were not built; a torn last line is ignored. The file is
 * rewritten with only the live lines when most of it is superseded.
 *
 * <p>Runs read, append and rewrite under the lock of a file beside it ({@code records.lock}),
 * which is never replaced: a run rewriting the file reads it whole under the lock, so no line
 * another appends is left out of the copy, and a run about to append finds, under the lock, whether
 * the file it holds open is still the one in place, and opens the new one if not.
 *
 * <p>While no other run may have joined the project, lines are kept and written many at a time
 * (a write per task was a tenth of a run of small tasks), every {@link #FLUSH_EVERY} or 32 KiB:
 * a run killed loses the records of its last moment only (a thread writes them however long the
 * tasks take). Once another may have, a line is
 * written at once, and a line kept from before is written only if its outputs are still the ones
 * it describes: the other run may have built them again, and recorded it, meanwhile; the later
 * line would otherwise claim them. Every write happens under a lock of the file, so that check
 * and write are one step for the other runs, whose lines then come after.
 *
 * <p>A run that joins while another keeps lines finds the other's tasks built but not recorded
 * yet: it would build them again. So a run keeping lines says so to the others ({@link
 * Others#keepRecords}), writes them within {@link #FLUSH_EVERY}, and a run about to judge a task
 * another may have built meanwhile waits for those lines first ({@link #readAppended}).
 */
final class FingerprintJournal implements AutoCloseable {

  private final Path file;
  // The lines as read, found by key without a string or a map entry per line: a run looks each
  // up at most once, and a hundred thousand kept as objects would be copied at every collection.
  private KeyedLines records;
  private FileChannel appender;
  // The identity of the file the appender writes to, taken under the lock (see readKey).
  private Object appenderKey;
  // The lock every read, append and rewrite of the file is made under (see the class comment).
  private final Path lockFile;
  private FileChannel lockChannel;
  // The other runs of the project (see OtherProcesses).
  private final Others others;
  // Writes the kept lines every FLUSH_EVERY, while this run's tasks go on; started with the first line kept.
  private Thread flusher;
  private final Duration flushEvery;
  private boolean closed;
  // Lines not written yet, each with a check that its outputs are still those it describes.
  private byte[] kept = new byte[0];
  private int keptLength;
  private final List<Kept> keptLines = new ArrayList<>();
  // Lines appended to the file since it was read, by this run or another (see readAppended):
  // bodies by escaped key, each winning over a loaded line of its key.
  private final Map<String, String> appended = new ConcurrentHashMap<>();
  // How much of the file was read: up to the end of its last whole line; and which file it was,
  // to notice when another run replaced it with a compacted copy.
  private long readTo;
  private Object readKey;

  /** A line kept in {@code kept[start, end)}, and whether the outputs it describes are still in place. */
  private record Kept(int start, int end, BooleanSupplier stillInPlace) {}

  /** The {@link #entry} of a line read after the file was loaded. */
  static final int APPENDED = -2;

  // Past this many bytes kept, they are written: a few hundred lines of small tasks.
  private static final int WRITE_AT = 32 * 1024;

  /** What the journal needs to know of the other runs of the project: see {@link OtherProcesses}. */
  interface Others {
    /** Whether no other run may have joined the project since this one did; once false, false for good. */
    boolean noneSinceJoining();

    /** See {@link OtherProcesses#keepRecords}. */
    boolean keepRecords();

    /** See {@link OtherProcesses#recordsWritten}. */
    void recordsWritten();

    /** See {@link OtherProcesses#awaitRecordsOfOthers}. */
    boolean awaitRecordsOfOthers(Duration limit) throws InterruptedException;

    /** The others of whichever {@link OtherProcesses} a run joined, asked each time (a run may join again). */
    static Others current(java.util.function.Supplier<? extends Others> joined) {
      return new Others() {
        @Override
        public boolean noneSinceJoining() {
          return joined.get().noneSinceJoining();
        }

        @Override
        public boolean keepRecords() {
          return joined.get().keepRecords();
        }

        @Override
        public void recordsWritten() {
          joined.get().recordsWritten();
        }

        @Override
        public boolean awaitRecordsOfOthers(Duration limit) throws InterruptedException {
          return joined.get().awaitRecordsOfOthers(limit);
        }
      };
    }

    /** Others as a run sees them that is alone while {@code alone} says so, and sees no other's lines. */
    static Others alone(BooleanSupplier alone) {
      return new Others() {
        @Override
        public boolean noneSinceJoining() {
          return alone.getAsBoolean();
        }

        @Override
        public boolean keepRecords() {
          return alone.getAsBoolean();
        }

        @Override
        public void recordsWritten() {}

        @Override
        public boolean awaitRecordsOfOthers(Duration limit) {
          return true;
        }
      };
    }
  }

  /** How long a line is kept at most (see the class comment). */
  static final Duration FLUSH_EVERY = Duration.ofMillis(20);
  // How long a run waits for another's kept lines before judging without them (and maybe running
  // a task again): far longer than the other takes to write them, unless it is stopped. Once
  // given up on, not waited for again in this run.
  private static final Duration AWAIT_OTHERS = Duration.ofSeconds(10);
  private volatile boolean gaveUpOnOthers;

  FingerprintJournal(Path file, BooleanSupplier alone) {
    this(file, Others.alone(alone));
  }

  FingerprintJournal(Path file, Others others) {
    this(file, others, FLUSH_EVERY);
  }

  /** @param flushEvery how long a line is kept at most ({@link #FLUSH_EVERY}; longer in tests of keeping) */
  FingerprintJournal(Path file, Others others, Duration flushEvery) {
    this.file = file;
    this.others = others;
    this.flushEvery = flushEvery;
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    FileLock held = null;
    if (Files.exists(file)) {
      try {
        held = lock();
      } catch (IOException e) {
        // read without it, and leave the file as it is: a copy another run puts in place meanwhile is read from its start later
      }
    }
    try {
      this.readKey = readKey(file);
      byte[] text = read(file);
      // About a hundred bytes a line, so that loading rarely grows the table.
      this.records = new KeyedLines(text, text.length / 96);
      this.readTo = load(held != null);
    } finally {
      if (held != null) {
        try {
          held.release();
        } catch (IOException ignored) {
          // released with the channel at close anyway
        }
      }
    }
  }

  /**
   * The entry of the line recorded for outputs under {@code key}: a loaded line (0 and up),
   * {@link #APPENDED} for one {@link #readAppended} found, or -1 for none.
   */
  int entry(String key) {
    String escaped = Fingerprint.escape(key);
    if (!appended.isEmpty() && appended.containsKey(escaped)) {
      return APPENDED;
    }
    return records.find(escaped.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether the body of the entry's line (see {@link Fingerprint#encodeBody()}) is {@code body}:
   * compared with the bytes read, without making a string of them, for the common case of a task
   * whose fingerprint did not change.
   */
  boolean bodyIs(String key, int entry, CharSequence body) {
    if (entry == APPENDED) {
      String appendedBody = appended.get(Fingerprint.escape(key));
      return appendedBody != null && appendedBody.contentEquals(body);
    }
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
    String escaped = Fingerprint.escape(key);
    String appendedBody = appended.isEmpty() ? null : appended.get(escaped);
    if (appendedBody != null) {
      return appendedBody;
    }
    int entry = records.find(escaped.getBytes(StandardCharsets.UTF_8));
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
    if (stillInPlace == null || keptLength >= WRITE_AT || !others.keepRecords()) {
      write();
    } else if (flusher == null && !closed) {
      flusher = new Thread(this::flushKept, "sluice-records");
      flusher.setDaemon(true);
      flusher.start();
    }
  }

  /**
   * The flusher's loop: writes the lines kept every {@code flushEvery}, until closed. A line waits
   * that long at most, whatever the tasks do: a run killed loses the records of the last moment
   * only (those tasks run again), and another run that joins finds them soon.
   */
  private void flushKept() {
    try {
      while (true) {
        Thread.sleep(flushEvery.toMillis());
        synchronized (this) {
          if (closed) {
            return;
          }
          write();
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class).warn("Could not record the fingerprints of"
          + " tasks in {}: {}; they will run again next time", file, e.getMessage());
    }
  }

  /**
   * Reads the lines appended to the file since it was read (or all of it, if another run has
   * replaced it with a compacted copy since): another run may have recorded outputs it built
   * while this one went on. A torn last line is left for the next call.
   */
  void readAppended() {
    try {
      if (!gaveUpOnOthers && !others.awaitRecordsOfOthers(AWAIT_OTHERS)) {
        gaveUpOnOthers = true;
        org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class).warn("Another run of the project kept the"
            + " fingerprints of tasks it built unwritten for {} (stopped?): tasks it built may run again", AWAIT_OTHERS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    readWritten();
  }

  private synchronized void readWritten() {
    if (!Files.exists(file)) {
      return;  // nothing recorded yet
    }
    try (FileLock ignored = lock(); FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      Object key = readKey(file);
      if (key == null || !key.equals(readKey)) {
        readKey = key;
        readTo = 0;
      }
      long size = in.size();
      if (size <= readTo) {
        return;
      }
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - readTo));
      while (bytes.hasRemaining() && in.read(bytes, readTo + bytes.position()) >= 0) {
        // until the end as it was
      }
      byte[] text = bytes.array();
      int length = bytes.position();
      int start = 0;
      for (int end = indexOf(text, (byte) '\n', start, length); end >= 0; end = indexOf(text, (byte) '\n', start, length)) {
        int tab = indexOf(text, (byte) '\t', start, end);
        if (tab >= 0) {
          appended.put(new String(text, start, tab - start, StandardCharsets.UTF_8),
              new String(text, tab + 1, end - tab - 1, StandardCharsets.UTF_8));
        }
        start = end + 1;
      }
      readTo += start;
    } catch (NoSuchFileException e) {
      // nothing recorded yet
    } catch (IOException | ArithmeticException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class)
          .debug("Could not read the fingerprints recorded since in {}: {}", file, e.toString());
    }
  }

  /** The identity of the file (device and inode where there are), or null when it cannot be had. */
  private static Object readKey(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes the lines kept, under the file's lock; those whose outputs were replaced meanwhile are dropped. */
  private void write() throws IOException {
    if (keptLength == 0) {
      return;
    }
    try (FileLock ignored = lock()) {
      Object inPlace = readKey(file);
      if (appender == null || inPlace == null || !inPlace.equals(appenderKey)) {
        // none yet, or another run put a compacted copy in place since this one opened the file
        closeAppender();
        appender = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appenderKey = readKey(file);
      }
      ByteBuffer bytes = others.noneSinceJoining() ? ByteBuffer.wrap(kept, 0, keptLength) : stillInPlace();
      while (bytes.hasRemaining()) {
        appender.write(bytes);
      }
    } finally {
      keptLength = 0;
      keptLines.clear();
      others.recordsWritten();
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
   * The lock of the file, waited for: held by another process, or by another run of this one
   * (which the JVM refuses to wait for, hence the retries).
   */
  private FileLock lock() throws IOException {
    if (lockChannel == null) {
      Files.createDirectories(lockFile.getParent());
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    while (true) {
      try {
        return lockChannel.lock();
      } catch (OverlappingFileLockException e) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the lock of " + lockFile, interrupted);
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

  /**
   * Reads the lines. Bytes, not a Reader: tabs and newlines are ASCII in UTF-8, so lines are split
   * without decoding; a torn last line (no newline) is dropped. Returns how much of the file as
   * it is now was read: up to the end of its last whole line, or all of the compacted copy. The
   * file is rewritten only when {@code mayRewrite}: with the lock held.
   */
  private long load(boolean mayRewrite) {
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
    if (mayRewrite && lines > 2L * records.size() + 1000) {
      long compacted = compact();
      if (compacted >= 0) {
        return compacted;
      }
    }
    return start;
  }

  private static int indexOf(byte[] text, byte wanted, int from) {
    return indexOf(text, wanted, from, text.length);
  }

  private static int indexOf(byte[] text, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Rewrites the file with the live lines only; called with the lock held, so that no other run
   * appends meanwhile. Returns the length of the copy put in place, or -1 when the file was left
   * as it was.
   */
  private long compact() {
    Path fresh = file.resolveSibling(file.getFileName() + ".new");
    long length = 0;
    try (var out = Files.newOutputStream(fresh)) {
      byte[] text = records.text();
      for (int entry = 0; entry < records.size(); entry++) {
        out.write(text, records.lineStart(entry), records.lineEnd(entry) - records.lineStart(entry));
        out.write('\n');
        length += records.lineEnd(entry) - records.lineStart(entry) + 1;
      }
    } catch (IOException e) {
      return -1;
    }
    try {
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      readKey = readKey(file);
      return length;
    } catch (IOException e) {
      return -1;  // left as it was: only bigger than it needs to be
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (flusher != null) {
      flusher.interrupt();
    }
    try {
      write();
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(FingerprintJournal.class).warn("Could not record the fingerprints of the"
          + " last tasks in {}: {}; they will run again next time", file, e.getMessage());
    }
    closeAppender();
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (IOException ignored) {
        // the lock is released with the process anyway
      }
      lockChannel = null;
    }
  }

  private void closeAppender() {
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
