package io.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The physical limit: plain Java writing the same files with the same atomicity as Sluice
 * (a temporary sibling renamed into place) and, when asked, the same fsyncs (file, then its
 * directory), with nothing else around it.
 */
final class BareLoop {

  static final byte[] CONTENT = "ok\n".getBytes(StandardCharsets.UTF_8);

  private BareLoop() {}

  /** Writes every file, spreading them over {@code threads} threads that take the next index. */
  static void write(List<Path> files, int threads, boolean fsync) throws IOException, InterruptedException {
    Files.createDirectories(files.get(0).toAbsolutePath().getParent());
    if (threads == 1) {
      for (Path file : files) {
        writeAtomically(file, fsync);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<IOException> failure = new AtomicReference<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            writeAtomically(files.get(i), fsync);
          }
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        }
      }, "bare-loop-" + t);
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new UncheckedIOException(failure.get());
    }
  }

  private static void writeAtomically(Path target, boolean fsync) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(CONTENT));
      if (fsync) {
        channel.force(true);
      }
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      try (FileChannel directory = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    }
  }
}
