package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared copies of the Sluice runtime that remote commands run with. */
class DistributionTest {

  @TempDir
  Path dir;

  @Test
  void aRuntimeCopyIsSealedAndReusedWhileItHoldsItsContent() throws Exception {
    Path jar = Files.writeString(dir.resolve("sluice.jar"), "the runtime\n");
    Path dist = dir.resolve("dist");

    Path first = Distribution.versioned(jar, dist);
    long modified = Files.getLastModifiedTime(first).toMillis();
    Path again = Distribution.versioned(jar, dist);

    assertThat(again).isEqualTo(first).hasContent("the runtime");
    assertThat(Files.getLastModifiedTime(again).toMillis()).as("not copied again").isEqualTo(modified);
    assertThat(Files.getPosixFilePermissions(first)).doesNotContain(PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  }

  @Test
  void aRuntimeCopyChangedByARemoteCommandIsCopiedAgainBeforeALaterRunUsesIt() throws Exception {
    Path jar = Files.writeString(dir.resolve("sluice.jar"), "the runtime\n");
    Path dist = dir.resolve("dist");
    Path copy = Distribution.versioned(jar, dist);
    // The attacker: a remote command running as root has the copy on its classpath.
    assertThat(copy.toFile().setWritable(true)).isTrue();
    Files.writeString(copy, "a changed runtime\n");

    Path later = Distribution.versioned(jar, dist);

    assertThat(later).isEqualTo(copy).hasContent("the runtime");
  }
}
