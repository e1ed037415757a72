package io.sluice;

import io.sluice.internal.OutputTransaction;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A file on the local filesystem. Writes are atomic: they go to a temporary file in the same
 * directory, renamed into place when the writing task succeeds (or, outside a task, when the
 * stream is closed). A failed task leaves no partial file behind. Relative paths are relative
 * to the working directory.
 */
public final class LocalTarget implements Target {

  private final Path path;
  private final boolean gzip;

  private LocalTarget(Path path, boolean gzip) {
    this.path = path;
    this.gzip = gzip;
  }

  /** A file at the given path, joined from its parts. */
  public static LocalTarget of(String first, String... more) {
    return new LocalTarget(Path.of(first, more), false);
  }

  /** A file at the given path. */
  public static LocalTarget of(Path path) {
    return new LocalTarget(path, false);
  }

  /** The same file, its content gzip-compressed: streams compress and decompress. */
  public LocalTarget gzip() {
    return new LocalTarget(path, true);
  }

  public Path path() {
    return path;
  }

  @Override
  public boolean exists() {
    return Files.exists(path);
  }

  /** Opens the file for writing, atomically (see the class comment). */
  public OutputStream openOutputStream() throws IOException {
    OutputStream out = OutputTransaction.openAtomic(path);
    return gzip ? new GZIPOutputStream(out, 8192) : out;
  }

  /** Opens the file for writing text in UTF-8, atomically. */
  public BufferedWriter openWriter() throws IOException {
    return new BufferedWriter(new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8));
  }

  /**
   * A temporary path to hand to a program that writes this file itself; it is renamed into
   * place when the task succeeds. Only valid inside a running task.
   */
  public Path writePath() throws IOException {
    return OutputTransaction.required("writePath() of " + path).tempFor(path);
  }

  /** Writes the whole content, atomically. */
  public void writeString(String content) throws IOException {
    try (BufferedWriter out = openWriter()) {
      out.write(content);
    }
  }

  public InputStream openInputStream() throws IOException {
    InputStream in = Files.newInputStream(path);
    return gzip ? new GZIPInputStream(in, 8192) : in;
  }

  /** Opens the file for reading text in UTF-8. */
  public BufferedReader openReader() throws IOException {
    return new BufferedReader(new InputStreamReader(openInputStream(), StandardCharsets.UTF_8));
  }

  public String readString() throws IOException {
    try (InputStream in = openInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public List<String> readLines() throws IOException {
    try (BufferedReader in = openReader()) {
      return in.lines().toList();
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LocalTarget that && that.path.equals(path) && that.gzip == gzip;
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + (gzip ? 1 : 0);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
