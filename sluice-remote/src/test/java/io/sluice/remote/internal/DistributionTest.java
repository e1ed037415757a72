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

  @Test
  void aDevelopmentBuildsHistoryModuleComesAlongWithCoreButNotTheCallersOwnClasses() throws Exception {
    // The classpath surefire gives a test of the reactor under mvn test: modules as target/classes.
    Path core = classes("sluice-core/target/classes", "io/sluice/Task.class");
    Path history = classes("sluice-history/target/classes", "io/sluice/history/HistoryRecorder.class");
    Path historyTests = classes("sluice-history/target/test-classes", "io/sluice/history/HistoryRecorderTest.class");
    Path callers = classes("project/target/classes", "com/example/Pipeline.class");
    Path library = Files.writeString(dir.resolve("sqlite-jdbc.jar"), "not a zip: a library, as it is");
    String classPath = String.join(java.io.File.pathSeparator, core.toString(), history.toString(),
        historyTests.toString(), callers.toString(), library.toString());

    assertThat(Distribution.of(classPath, dir.resolve("dist"))).containsExactly(core, history, library);
  }

  private Path classes(String directory, String classFile) throws Exception {
    Path root = dir.resolve(directory);
    Path file = root.resolve(classFile);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {(byte) 0xca, (byte) 0xfe});
    return root;
  }
}
