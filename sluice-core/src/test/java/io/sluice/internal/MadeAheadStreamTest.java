package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file made ahead that its task removed, written as if it had been there all along. */
class MadeAheadStreamTest {

  @TempDir
  Path dir;

  private MadeAheadStream madeAhead(Path temp) throws Exception {
    return new MadeAheadStream(temp, TempFiles.createAt(temp));
  }

  @Test
  void whatIsKeptReachesTheFileWhenItIsClosed() throws Exception {
    Path temp = dir.resolve(".out.tmp");
    try (MadeAheadStream out = madeAhead(temp)) {
      out.write('a');
      out.write("bc".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(temp).isEmptyFile();
    }
    assertThat(temp).hasContent("abc");
  }

  @Test
  void aFileRemovedBeforeTheStreamWasClosedIsMadeAgainWithWhatWasWritten() throws Exception {
    Path temp = dir.resolve("sub").resolve(".out.tmp");
    Files.createDirectories(temp.getParent());
    MadeAheadStream out = madeAhead(temp);
    Files.delete(temp);
    Files.delete(temp.getParent());
    out.write("kept".getBytes(StandardCharsets.UTF_8));
    out.close();

    assertThat(out.makeAgain()).isTrue();
    assertThat(temp).hasContent("kept");
  }

  @Test
  void aFileRemovedBeforeMoreThanIsKeptWasWrittenIsMadeAgainThenWithEverything() throws Exception {
    Path temp = dir.resolve(".out.tmp");
    byte[] large = "x".repeat(MadeAheadStream.KEPT + 1).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = madeAhead(temp)) {
      out.write('a');
      Files.delete(temp);
      out.write(large);
      out.write('z');
    }
    assertThat(temp).hasContent("a" + "x".repeat(MadeAheadStream.KEPT + 1) + "z");
  }

  @Test
  void aStreamThatWroteThroughCannotBeMadeAgain() throws Exception {
    Path temp = dir.resolve(".out.tmp");
    MadeAheadStream out = madeAhead(temp);
    for (int i = 0; i <= MadeAheadStream.KEPT; i++) {
      out.write('y');
    }
    out.close();
    Files.delete(temp);

    assertThat(out.makeAgain()).isFalse();
    assertThat(temp).doesNotExist();
  }

  @Test
  void threadsWritingThroughOneStreamAtOnceLoseNoByte() throws Exception {
    Path temp = dir.resolve(".out.tmp");
    int threads = 4;
    int writes = 5_000;  // 20,000 bytes in all: kept at first, then written through
    try (MadeAheadStream out = madeAhead(temp)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        byte letter = (byte) ('a' + t);
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < writes; i++) {
            out.write(letter);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> each : done) {
        each.get();
      }
      pool.shutdown();
    }
    String written = Files.readString(temp);
    assertThat(written).hasSize(threads * writes);
    for (int t = 0; t < threads; t++) {
      char letter = (char) ('a' + t);
      assertThat(written.chars().filter(c -> c == letter).count()).isEqualTo(writes);
    }
  }

  @Test
  void anEmptyStreamIsMadeAgainEmpty() throws Exception {
    Path temp = dir.resolve(".out.tmp");
    MadeAheadStream out = madeAhead(temp);
    out.close();
    Files.delete(temp);

    assertThat(out.makeAgain()).isTrue();
    assertThat(temp).isEmptyFile();
  }
}
