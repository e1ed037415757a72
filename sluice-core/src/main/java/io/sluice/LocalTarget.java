package io.sluice;

import io.sluice.internal.FileNames;
import io.sluice.internal.OutputTransaction;
import io.sluice.internal.TempOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A file on the local filesystem. Writes are atomic: they go to a hidden temporary file in the
 * same directory, renamed into place only when complete.
 *
 * <p>Inside a task, a write to one of the task's declared outputs (through any {@code LocalTarget}
 * of that path, from any thread) belongs to the task's attempt: all its outputs are renamed into
 * place together when {@code run()} returns normally and every one was written and closed;
 * otherwise none is, and the task fails naming what was missing or left open. Outside a task (or
 * to a path the running task does not declare), {@link #write} and {@link #writeBytes} put the
 * file in place only when the code given returns normally; a stream from {@link #openOutputStream()}
 * or {@link #openWriter()} puts it in place when closed, unless a write through it failed (an
 * exception thrown by your own code between writes cannot be seen by {@code close()}: use
 * {@link #write} when that matters). Relative paths are relative to the working directory.
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
    return new LocalTarget(FileNames.of(first, more), false);
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

  /** Opens the file for writing, atomically (see the class comment): close it. */
  public OutputStream openOutputStream() throws IOException {
    OutputStream out = OutputTransaction.openStream(path);
    return gzip ? new GZIPOutputStream(out, 8192) : out;
  }

  /** Opens the file for writing text in UTF-8, atomically (see the class comment): close it. */
  public BufferedWriter openWriter() throws IOException {
    return new BufferedWriter(new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Writes the file with {@code content}, in UTF-8: it is kept only if {@code content} returns
   * normally (inside a task, it then joins the task's outputs); if it throws, nothing is written.
   * Closing the writer is done here.
   */
  public void write(IOConsumer<? super Writer> content) throws IOException {
    writeBytes(out -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      content.accept(writer);
      writer.close();
    });
  }

  /** As {@link #write(IOConsumer)}, with bytes: kept only if {@code content} returns normally. */
  public void writeBytes(IOConsumer<? super OutputStream> content) throws IOException {
    TempOutputStream temp = OutputTransaction.openStream(path);
    boolean written = false;
    try {
      OutputStream out = gzip ? new GZIPOutputStream(temp, 8192) : temp;
      content.accept(new KeepOpen(out));
      out.close();
      written = true;
    } finally {
      if (!written) {
        temp.discard();
      }
    }
  }

  /**
   * A temporary path to hand to a program that writes this file itself; it is renamed into
   * place when the task succeeds. Only valid while a task that declares this output runs.
   */
  public Path writePath() throws IOException {
    return OutputTransaction.writePathOf(path);
  }

  /** Writes the whole content, atomically. */
  public void writeString(String content) throws IOException {
    write(out -> out.write(content));
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

  /** Lets the code given to {@code write} close its stream without ending the write too early. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
