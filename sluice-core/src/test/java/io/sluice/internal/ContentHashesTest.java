package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content hashes as git names them, cached by file status, and known from what was written. */
class ContentHashesTest {

  // git hash-object of "hello\n"
  private static final String HELLO = "ce013625030ba8db";

  @TempDir Path dir;

  @Test
  void aFileIsHashedAsGitNamesItsBlob() throws IOException {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");

    try (ContentHashes hashes = new ContentHashes(dir.resolve("cache"))) {
      assertThat(hashes.hash(file)).isEqualTo(HELLO);
    }
  }

  @Test
  void whatWasWrittenGivesTheSameHashAsReadingTheFile() throws IOException {
    WrittenContent written = new WrittenContent(new ByteArrayOutputStream());
    written.write("hel".getBytes(StandardCharsets.UTF_8));
    written.write('l');
    written.write("o\n".getBytes(StandardCharsets.UTF_8), 0, 2);

    assertThat(written.blobId()).isEqualTo(HELLO);
  }

  @Test
  void contentTooBigToKeepIsLeftToBeReadFromTheFile() throws IOException {
    WrittenContent written = new WrittenContent(new ByteArrayOutputStream());
    written.write(new byte[100_000]);

    assertThat(written.blobId()).isNull();
  }

  @Test
  void aFileJustWrittenIsNotReadToBeHashedInThisRunNorTheNext() throws IOException {
    Path file = Files.writeString(dir.resolve("out.txt"), "hello\n");
    // A hash no read of the file would give: only the cache can answer it.
    String known = "0123456789abcdef";
    try (ContentHashes hashes = new ContentHashes(dir.resolve("cache"))) {
      hashes.written(file, known);
      assertThat(hashes.hash(file)).isEqualTo(known);
    }
    try (ContentHashes next = new ContentHashes(dir.resolve("cache"))) {
      assertThat(next.hash(dir.resolve(".").resolve("out.txt"))).isEqualTo(known);
    }
  }

  @Test
  void everyFileWrittenInARunIsKnownToTheNextWhateverItsPath() throws IOException {
    // More lines than one block of the saved cache, and paths of other than ASCII characters.
    Path deep = Files.createDirectories(dir.resolve("é".repeat(40)).resolve("日本".repeat(20)));
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      files.add(Files.writeString(deep.resolve("out-" + i + ".txt"), "hello\n"));
    }
    try (ContentHashes hashes = new ContentHashes(dir.resolve("cache"))) {
      for (int i = 0; i < files.size(); i++) {
        hashes.written(files.get(i), String.format("%016x", i));
      }
    }
    try (ContentHashes next = new ContentHashes(dir.resolve("cache"))) {
      for (int i = 0; i < files.size(); i++) {
        assertThat(next.hash(files.get(i))).isEqualTo(String.format("%016x", i));
      }
    }
  }

  @Test
  void aFileChangedSinceItWasCachedIsReadAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("out.txt"), "other\n");
    try (ContentHashes hashes = new ContentHashes(dir.resolve("cache"))) {
      hashes.written(file, "0123456789abcdef");
    }
    Files.writeString(file, "hello\n");

    try (ContentHashes next = new ContentHashes(dir.resolve("cache"))) {
      assertThat(next.hash(file)).isEqualTo(HELLO);
    }
  }

  @Test
  void aFileLookedAtOnceInARunIsAnsweredAgainWithoutLookingAtItAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("in.txt"), "hello\n");
    try (ContentHashes first = new ContentHashes(dir.resolve("cache"))) {
      first.hash(file);
    }
    try (ContentHashes run = new ContentHashes(dir.resolve("cache"))) {
      assertThat(run.hash(file)).isEqualTo(HELLO);  // found unchanged, from the cache file
      // Changed behind the run's back (another size, so no status could miss it): the run's answer
      // stands; the next run looks at the file again.
      Files.writeString(file, "hello again\n");
      assertThat(run.hash(file)).isEqualTo(HELLO);
      assertThat(run.hash(dir.resolve("new.txt"))).isEqualTo(ContentHashes.MISSING);
    }
    try (ContentHashes next = new ContentHashes(dir.resolve("cache"))) {
      assertThat(next.hash(file)).isNotEqualTo(HELLO);
    }
  }

  @Test
  void anOutputReplacedWithoutAKnownHashIsLookedAtAgainInTheSameRun() throws IOException {
    Path file = Files.writeString(dir.resolve("out.txt"), "other\n");
    try (ContentHashes run = new ContentHashes(dir.resolve("cache"))) {
      run.written(file, "0123456789abcdef");
      assertThat(run.hash(file)).isEqualTo("0123456789abcdef");
      Files.writeString(file, "hello\n");
      run.replaced(file);

      assertThat(run.hash(file)).isEqualTo(HELLO);
    }
  }

  @Test
  void anOutputRenamedOverByAnotherWriterIsNoLongerAsThisRunWroteIt() throws IOException {
    Path file = Files.writeString(dir.resolve("out.txt"), "hello\n");
    try (ContentHashes run = new ContentHashes(dir.resolve("cache"))) {
      run.written(file, HELLO);
      assertThat(run.stillAsWritten(file)).isTrue();

      Path other = Files.writeString(dir.resolve(".out.txt.other"), "hello\n");
      Files.move(other, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      assertThat(run.stillAsWritten(file)).isFalse();
      assertThat(run.stillAsWritten(dir.resolve("never-written.txt"))).isFalse();
    }
  }

  @Test
  void hashesKeptFromCommitsStandUntilACommittedFileIsCommittedOrReplacedAgain() throws IOException {
    Path file = Files.writeString(dir.resolve("out.txt"), "hello\n");
    Path other = Files.writeString(dir.resolve("other.txt"), "hello\n");
    try (ContentHashes run = new ContentHashes(dir.resolve("cache"))) {
      run.written(file, HELLO);
      run.written(other, HELLO);
      run.hash(dir.resolve("never-written.txt"));
      assertThat(run.writtenHashesStand()).as("each committed once").isTrue();

      Files.writeString(file, "hello again\n");
      run.written(file, "0123456789abcdef");

      assertThat(run.writtenHashesStand()).as("committed again: the first commit's hash is stale").isFalse();
    }
    try (ContentHashes run = new ContentHashes(dir.resolve("cache"))) {
      run.hash(file);
      run.written(file, HELLO);
      assertThat(run.writtenHashesStand()).as("hashed before its first commit").isTrue();

      run.replaced(file);

      assertThat(run.writtenHashesStand()).as("replaced without a known hash").isFalse();
    }
  }
  @Test
  void aCacheMostlyOfSupersededLinesIsRewrittenWithTheLiveOnes() throws IOException {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");
    Path kept = Files.writeString(dir.resolve("kept.txt"), "hello\n");
    Path cache = dir.resolve("cache");
    try (ContentHashes run = new ContentHashes(cache)) {
      run.hash(kept);
    }
    String keptLine = Files.readString(cache);
    StringBuilder stale = new StringBuilder(keptLine);
    for (int i = 0; i < 2000; i++) {
      stale.append("0123456789abcdef\t6\t").append(i).append("\t1\t").append(file.toAbsolutePath()).append('\n');
    }
    Files.writeString(cache, stale);

    try (ContentHashes run = new ContentHashes(cache)) {
      assertThat(run.hash(file)).isEqualTo(HELLO);
    }

    List<String> lines = Files.readAllLines(cache);
    assertThat(lines).hasSize(2).contains(keptLine.strip());
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(HELLO + "\t").endsWith("\t" + file.toAbsolutePath()));
    try (ContentHashes next = new ContentHashes(cache)) {
      Files.writeString(file, "changed\n");  // a different size: read again, not taken from the cache
      assertThat(next.hash(kept)).isEqualTo(HELLO);
      assertThat(next.hash(file)).isNotEqualTo(HELLO);
    }
  }
}
