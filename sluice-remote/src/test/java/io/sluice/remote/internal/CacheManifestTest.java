package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest and stamp that shared caches are checked with before reuse. */
class CacheManifestTest {

  @TempDir
  Path dir;

  @Test
  void aStampTakenBeforeTheRenameIntoPlaceStillHoldsAfterIt() throws Exception {
    Path temp = Files.createDirectories(dir.resolve(".building-1/classes"));
    Files.writeString(temp.resolve("A.class"), "code\n");
    String before = CacheManifest.stamp(temp.getParent());

    Path placed = Files.move(temp.getParent(), dir.resolve("build"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(before).isNotNull().isEqualTo(CacheManifest.stamp(placed));
  }

  @Test
  void aStampChangesWhenAFileIsRewrittenWithTheSameSizeAndItsModificationTimeSetBack() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Path file = Files.writeString(cache.resolve("A.class"), "code\n");
    String before = CacheManifest.stamp(cache);
    waitUntilTheChangeTimeClockPasses(file);
    FileTime made = Files.getLastModifiedTime(file);

    Files.writeString(file, "evil\n");
    Files.setLastModifiedTime(file, made);

    assertThat(CacheManifest.stamp(cache)).isNotEqualTo(before);
  }

  /** The kernel keeps change times at a coarse tick: a write in the same tick would not show. */
  private void waitUntilTheChangeTimeClockPasses(Path file) throws Exception {
    Path probe = dir.resolve("probe");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    do {
      Files.writeString(probe, "tick");
    } while (ctime(probe).compareTo(ctime(file)) <= 0 && System.nanoTime() < deadline);
    Files.delete(probe);
  }

  private static FileTime ctime(Path path) throws Exception {
    return (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
  }
}
