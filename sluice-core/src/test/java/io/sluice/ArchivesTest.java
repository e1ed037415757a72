package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory travels as one zip target; unpacking never writes outside its destination. */
class ArchivesTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** Packs a directory it fills, then fails if asked to. */
  record PackModels(boolean fails) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("models.zip"));
    }

    public void run(TaskContext ctx) throws Exception {
      TestFiles.write(dir.resolve("models/m1.bin"), "weights");
      Archives.pack(dir.resolve("models"), output());
      if (fails) {
        throw new IllegalStateException("validation failed after packing");
      }
    }
  }

  /** A zip holding the given entries, each containing its own name. */
  private static Path craftedZip(String... entryNames) throws IOException {
    Path zip = dir.resolve("crafted.zip");
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name : entryNames) {
        out.putNextEntry(new ZipEntry(name));
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip;
  }

  @Test
  void packedDirectoryUnpacksToTheSameFiles() throws IOException {
    TestFiles.write(dir.resolve("src/a.txt"), "alpha");
    TestFiles.write(dir.resolve("src/sub/deeper/b.txt"), "beta");
    LocalTarget archive = LocalTarget.of(dir.resolve("out/src.zip"));

    Archives.pack(dir.resolve("src"), archive);
    Archives.unpack(archive.path(), dir.resolve("copy"));

    assertThat(TestFiles.under(dir.resolve("copy"))).containsExactly("a.txt", "sub", "sub/deeper", "sub/deeper/b.txt");
    assertThat(TestFiles.read(dir.resolve("copy/sub/deeper/b.txt"))).isEqualTo("beta");
    assertThat(TestFiles.under(dir.resolve("out"))).as("no temporary file left").containsExactly("src.zip");
    assertThat(TestFiles.under(dir)).as("no staging directory or temporary file left")
        .noneMatch(name -> name.startsWith("."));
  }

  @Test
  void unpackingIntoAnExistingDirectoryAddsAndReplacesFiles() throws IOException {
    TestFiles.write(dir.resolve("src/a.txt"), "new a");
    TestFiles.write(dir.resolve("dest/a.txt"), "old a");
    TestFiles.write(dir.resolve("dest/kept.txt"), "kept");
    Archives.pack(dir.resolve("src"), LocalTarget.of(dir.resolve("src.zip")));

    Archives.unpack(dir.resolve("src.zip"), dir.resolve("dest"));

    assertThat(TestFiles.read(dir.resolve("dest/a.txt"))).isEqualTo("new a");
    assertThat(TestFiles.read(dir.resolve("dest/kept.txt"))).isEqualTo("kept");
  }

  @Test
  void archivePackedByAFailedTaskIsNotLeftBehind() {
    RunResult failed = Sluice.builder().stateDir(dir.resolve(".sluice")).build().run(new PackModels(true));
    assertThat(failed.status(new PackModels(true))).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).containsExactly("models", "models/m1.bin");

    RunResult done = Sluice.builder().stateDir(dir.resolve(".sluice")).build().run(new PackModels(false));
    assertThat(done.status(new PackModels(false))).isEqualTo(TaskStatus.DONE);
    assertThat(new PackModels(false).output().exists()).isTrue();
  }

  @Test
  void entryClimbingOutOfTheDestinationIsRefusedAndNothingIsWritten() throws IOException {
    Path zip = craftedZip("good.txt", "../evil.txt");

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class)
        .hasMessageContaining("'../evil.txt'")
        .hasMessageContaining("outside the destination");

    assertThat(TestFiles.under(dir)).containsExactly("crafted.zip");
  }

  @Test
  void entryClimbingOutThroughASubdirectoryIsRefused() throws IOException {
    Path zip = craftedZip("sub/ok.txt", "sub/../../evil.txt");

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class)
        .hasMessageContaining("'sub/../../evil.txt'");

    assertThat(TestFiles.under(dir)).containsExactly("crafted.zip");
  }

  @Test
  void entryWithAnAbsolutePathIsRefusedAndNothingIsWritten() throws IOException {
    String absolute = dir.resolve("absolute.txt").toAbsolutePath().toString();
    Path zip = craftedZip("good.txt", absolute);

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class)
        .hasMessageContaining("'" + absolute + "'")
        .hasMessageContaining("absolute path");

    assertThat(TestFiles.under(dir)).containsExactly("crafted.zip");
  }

  @Test
  void refusedArchiveLeavesAnExistingDestinationAsItWas() throws IOException {
    TestFiles.write(dir.resolve("dest/good.txt"), "mine");
    Path zip = craftedZip("good.txt", "new.txt", "../evil.txt");

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class);

    assertThat(TestFiles.under(dir)).containsExactly("crafted.zip", "dest", "dest/good.txt");
    assertThat(TestFiles.read(dir.resolve("dest/good.txt"))).isEqualTo("mine");
  }

  /** A zip of {@code entries} entries named e0, e1, ... each holding {@code bytes} zero bytes. */
  private static Path zipOfZeros(String prefix, int entries, int bytes) throws IOException {
    Path zip = dir.resolve("zeros.zip");
    byte[] zeros = new byte[bytes];
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      for (int i = 0; i < entries; i++) {
        out.putNextEntry(new ZipEntry(prefix + i));
        out.write(zeros);
        out.closeEntry();
      }
    }
    return zip;
  }

  @Test
  void zipBombIsRefusedByTheRatioLimitNamingTheEntryAndHowToRaiseIt() throws IOException {
    Path zip = zipOfZeros("zeros.bin", 1, 8 << 20);
    assertThat(Files.size(zip)).as("8 MiB of zeros compress to a few KiB").isLessThan(64 << 10);

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class)
        .hasMessageContaining("'zeros.bin0'").hasMessageContaining("maxRatio")
        .hasMessageContaining("withMaxRatio(");

    assertThat(TestFiles.under(dir)).as("nothing unpacked, no staging directory left").containsExactly("zeros.zip");
  }

  @Test
  void archivePastTheTotalSizeLimitIsRefusedAndLeavesTheDestinationAsItWas() throws IOException {
    TestFiles.write(dir.resolve("dest/kept.txt"), "mine");
    Path zip = zipOfZeros("part", 3, 400 << 10);

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest"),
        Archives.Limits.defaults().withMaxTotalBytes(1 << 20)))
        .isInstanceOf(Archives.ArchiveLimitException.class)
        .hasMessageContaining("'part2'").hasMessageContaining("maxTotalBytes")
        .hasMessageContaining("withMaxTotalBytes(");

    assertThat(TestFiles.under(dir)).containsExactly("dest", "dest/kept.txt", "zeros.zip");
  }

  @Test
  void archiveWithTooManyEntriesIsRefused() throws IOException {
    Path zip = zipOfZeros("tiny", 101, 1);

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest"), Archives.Limits.defaults().withMaxEntries(100)))
        .isInstanceOf(Archives.ArchiveLimitException.class)
        .hasMessageContaining("more than 100 entries").hasMessageContaining("'tiny100'")
        .hasMessageContaining("withMaxEntries(");

    assertThat(TestFiles.under(dir)).containsExactly("zeros.zip");
  }

  @Test
  void archiveWithinRaisedLimitsUnpacks() throws IOException {
    Path zip = zipOfZeros("zeros.bin", 1, 8 << 20);

    Archives.unpack(zip, dir.resolve("dest"), Archives.Limits.defaults().withMaxRatio(100_000));

    assertThat(Files.size(dir.resolve("dest/zeros.bin0"))).isEqualTo(8 << 20);
  }

  @Test
  void limitsBelowOneAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> Archives.Limits.defaults().withMaxEntries(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries is 0");
  }

  @Test
  void symbolicLinkToADirectoryInTheDestinationIsNotFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(dir.resolve("dest"));
    Files.createSymbolicLink(dir.resolve("dest/link"), outside);
    Path zip = craftedZip("ok.txt", "link/evil.txt");

    assertThatThrownBy(() -> Archives.unpack(zip, dir.resolve("dest")))
        .isInstanceOf(Archives.UnsafeArchiveException.class)
        .hasMessageContaining("'link/evil.txt'").hasMessageContaining("symbolic link");

    assertThat(TestFiles.under(outside)).isEmpty();
    assertThat(TestFiles.under(dir.resolve("dest"))).containsExactly("link");
  }

  @Test
  void packingSomethingThatIsNotADirectoryFails() {
    TestFiles.write(dir.resolve("file.txt"), "x");

    assertThatThrownBy(() -> Archives.pack(dir.resolve("file.txt"), LocalTarget.of(dir.resolve("x.zip"))))
        .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    assertThat(TestFiles.under(dir)).containsExactly("file.txt");
  }
}
