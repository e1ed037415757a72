package io.sluice.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A stream to the temporary file of one output, in an {@link OutputTransaction}. It remembers a
 * failed write and whether it was closed, which decide whether its file may be put in place.
 */
public final class TempOutputStream extends OutputStream {

  private final OutputTransaction transaction;
  private final Path target;
  private final Path temp;
  private final OutputStream out;
  private final MadeAheadStream madeAhead;
  // Read after close (a volatile write), by the thread that commits.
  private boolean wrote;
  private volatile boolean closed;
  private volatile boolean failed;

  TempOutputStream(OutputTransaction transaction, Path target, Path temp, OutputStream out, MadeAheadStream madeAhead) {
    this.transaction = transaction;
    this.target = target;
    this.temp = temp;
    this.out = out;
    this.madeAhead = madeAhead;
  }

  @Override
  public void write(int b) throws IOException {
    check();
    wrote = true;
    try {
      out.write(b);
    } catch (IOException e) {
      failed = true;
      throw naming(e);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check();
    wrote |= len > 0;
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      failed = true;
      throw naming(e);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    check();
    try {
      out.flush();
    } catch (IOException e) {
      throw naming(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException error = null;
    try {
      out.close();
    } catch (IOException e) {
      failed = true;
      error = naming(e);
    }
    transaction.closed(this, error);
  }

  /**
   * The error with the output it happened to, when it names none: the system's own words
   * ("No space left on device") do not say which of a task's outputs, or on which disk. Its
   * subclasses (an interrupted write, a file system error naming its path) are left as they are.
   */
  private IOException naming(IOException e) {
    if (e.getClass() != IOException.class || String.valueOf(e.getMessage()).contains(target.toString())) {
      return e;
    }
    return new IOException("writing " + target + ": " + e.getMessage(), e);
  }

  /** Gives up this write: the file is deleted and its target counts as not written by it. */
  public void discard() {
    closed = true;
    closeQuietly();
    transaction.discarded(this);
  }

  private void check() throws IOException {
    if (closed) {
      throw new IOException("the stream to " + target + " is closed");
    }
    transaction.checkWritable(target);
  }

  void closeQuietly() {
    try {
      out.close();
    } catch (IOException | RuntimeException ignored) {
      // the file is being thrown away
    }
  }

  Path target() {
    return target;
  }

  Path temp() {
    return temp;
  }

  /** Its file's stream when the file was made before the task started (see {@link OutputTransaction#offer}), else null. */
  MadeAheadStream madeAhead() {
    return madeAhead;
  }

  /** Whether anything was written through it. */
  boolean wroteAnything() {
    return wrote;
  }

  boolean isClosed() {
    return closed;
  }

  boolean failed() {
    return failed;
  }
}
