package io.sluice.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Files under {@code markers/} through which tasks tell the test where they are. */
final class Markers {
  static final Path DIR = Path.of("markers");

  private Markers() {}

  static void create(String name) {
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until at least {@code count} markers start with {@code prefix}. */
  static void await(String prefix, int count) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + ScenarioPipeline.BLOCK_LIMIT.toNanos();
    while (count(prefix) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("fewer than " + count + " markers " + prefix + "* after " + ScenarioPipeline.BLOCK_LIMIT);
      }
      Thread.sleep(20);
    }
  }

  /** Whether at least {@code count} markers start with {@code prefix}. */
  static boolean exist(String prefix, int count) throws IOException {
    return count(prefix) >= count;
  }

  private static long count(String prefix) throws IOException {
    if (!Files.isDirectory(DIR)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }

  /** Sleeps {@link ScenarioPipeline#BLOCK_LIMIT}: long enough for the test to kill or interrupt this process. */
  static void block() throws InterruptedException {
    Thread.sleep(ScenarioPipeline.BLOCK_LIMIT.toMillis());
  }
}
