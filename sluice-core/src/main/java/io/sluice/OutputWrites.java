package io.sluice;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The outputs one attempt of a task is writing, reached through {@link TaskContext#outputWrites()}:
 * each goes to a hidden temporary file, and all are renamed into place together only when
 * {@code run()} returns normally with every declared output written and closed. Writes through
 * {@link LocalTarget} methods of a declared output land here too, from any thread.
 */
public interface OutputWrites {

  /** A stream to {@code target}, part of this attempt; close it before {@code run()} returns. */
  OutputStream open(LocalTarget target) throws IOException;

  /** A temporary path to hand to a program that creates {@code target}'s file itself. */
  Path writePath(LocalTarget target) throws IOException;

  /** Whether commits fsync each file and its directory (the run's {@code fsync} setting). */
  boolean durable();
}
