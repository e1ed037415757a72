package io.sluice.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The end of a task's log file: the part a reader looks at first, without reading a log of
 * gigabytes whole.
 *
 * @param text the last lines, whole lines only when the file was cut
 * @param size the file's size in bytes
 * @param cut whether the beginning was left out
 */
record LogTail(String text, long size, boolean cut) {

  /** The last {@code maxBytes} bytes of {@code file}, or null when there is no such file. */
  static LogTail of(Path file, int maxBytes) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      long start = Math.max(0, size - maxBytes);
      byte[] bytes = new byte[(int) (size - start)];
      in.seek(start);
      in.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (start > 0) {
        // the first line is a piece of one: start at the next whole line
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(newline + 1);
      }
      return new LogTail(text, size, start > 0);
    }
  }
}
