package io.sluice.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The stream of a temporary file made before its task started (see {@link OutputTransaction#offer}),
 * which the task may have removed since by wiping its output directory. Looking for the file when
 * the task opens its output would put a file status on the path of every task (a chain's whole
 * path). Instead, what the task writes is kept here, up to {@link #KEPT} bytes, and written to the
 * file when the stream is closed; if the commit then finds the file gone, {@link #makeAgain()}
 * creates it again under its name, with what was kept. A task that writes more is looked for once,
 * when the kept bytes are full, made again if gone, and written to as it goes. Its methods are
 * synchronized, as those of the file's own stream are: threads of a task writing through one
 * stream at once each write whole.
 */
final class MadeAheadStream extends OutputStream {

  /** The most bytes kept to be written again: small outputs, the ones whose file status would cost the most. */
  static final int KEPT = 8192;

  private final Path temp;
  private OutputStream file;
  private byte[] kept = new byte[0];
  private int count;
  /** Looked for and written to: nothing is kept any more, nor can it be made again. */
  private boolean writingThrough;
  private boolean closed;

  MadeAheadStream(Path temp, OutputStream file) {
    this.temp = temp;
    this.file = file;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (writingThrough) {
      file.write(b);
    } else if (count < KEPT) {
      room(count + 1);
      kept[count++] = (byte) b;
    } else {
      writeThrough();
      file.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (writingThrough) {
      file.write(b, off, len);
      return;
    }
    if (len <= KEPT - count) {
      room(count + len);
      System.arraycopy(b, off, kept, count, len);
      count += len;
      return;
    }
    writeThrough();
    file.write(b, off, len);
  }

  private void room(int needed) {
    if (needed > kept.length) {
      kept = Arrays.copyOf(kept, Math.min(KEPT, Math.max(needed, Math.max(32, kept.length * 2))));
    }
  }

  /** Kept bytes stay kept until closed: the file is not read by anyone before its commit. */
  @Override
  public synchronized void flush() throws IOException {
    if (writingThrough) {
      file.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!writingThrough && count > 0) {
        file.write(kept, 0, count);
      }
    } finally {
      file.close();
    }
  }

  /**
   * Creates the file again under its name, with what was written: the commit found it gone. False
   * when that cannot be done because the stream wrote through to the file it had.
   */
  synchronized boolean makeAgain() throws IOException {
    if (writingThrough) {
      return false;
    }
    try (OutputStream again = create(temp)) {
      again.write(kept, 0, count);
    }
    return true;
  }

  private void writeThrough() throws IOException {
    if (!Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
      try {
        file.close();
      } catch (IOException ignored) {
        // the file is gone: only its descriptor is let go
      }
      file = create(temp);
    }
    file.write(kept, 0, count);
    kept = null;
    count = 0;
    writingThrough = true;
  }

  /** The file made again, exclusively, and its directory first when that is gone too. */
  private static OutputStream create(Path temp) throws IOException {
    try {
      return TempFiles.createAt(temp);
    } catch (NoSuchFileException e) {
      Files.createDirectories(temp.getParent());
      return TempFiles.createAt(temp);
    }
  }
}
