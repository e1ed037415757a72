package io.sluice.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A stream that keeps a copy of what passes through it while it is small, so that the content
 * hash of an output just written is known when it is committed: the tasks that read it in the
 * same run (under the fingerprint policy) then need not read the file again to hash it.
 */
final class WrittenContent extends FilterOutputStream {

  // Past this, the copy is dropped and the file is read when its hash is asked for, as before.
  private static final int LIMIT = 64 * 1024;

  private byte[] copy = new byte[64];
  private int length;

  WrittenContent(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    keep(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    keep(b, off, len);
  }

  private void keep(byte[] b, int off, int len) {
    if (copy == null) {
      return;
    }
    if (length + len > LIMIT) {
      copy = null;
      return;
    }
    if (length + len > copy.length) {
      copy = Arrays.copyOf(copy, Math.min(LIMIT, Math.max(length + len, copy.length * 2)));
    }
    System.arraycopy(b, off, copy, length, len);
    length += len;
  }

  /** The git blob id of everything written (see {@link ContentHashes}), or null when it was too big to keep. */
  String blobId() {
    return copy == null ? null : ContentHashes.blobId(copy, length);
  }

  /** {@link #blobId()}, with a digest of {@code hashes}' own rather than a new one. */
  String blobId(ContentHashes hashes) {
    return copy == null ? null : hashes.blobIdOf(copy, length);
  }
}
