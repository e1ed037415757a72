package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import io.sluice.history.HistoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {

  @TempDir
  Path dir;

  @Test
  void theDriversLibraryIsCopiedOnceIntoTheCacheAndCopiedAgainWhenNotWhole() throws Exception {
    Path copy = SqliteNativeLibrary.copyIn(dir);

    long jarSize = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/"
        + LibraryLoaderUtil.getNativeLibName()).openConnection().getContentLengthLong();
    assertThat(copy).startsWith(dir.resolve("sqlite-native")).isRegularFile().hasFileName(LibraryLoaderUtil.getNativeLibName());
    assertThat(copy.getParent().getFileName().toString()).startsWith(SQLiteJDBCLoader.getVersion());
    assertThat(Files.size(copy)).isEqualTo(jarSize);

    FileTime stamp = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(copy, stamp);
    assertThat(SqliteNativeLibrary.copyIn(dir)).isEqualTo(copy);
    assertThat(Files.getLastModifiedTime(copy)).as("a whole copy is kept, not rewritten").isEqualTo(stamp);

    Files.write(copy, new byte[] {1, 2, 3});
    SqliteNativeLibrary.copyIn(dir);
    assertThat(Files.size(copy)).as("a cut copy is made whole again").isEqualTo(jarSize);
    try (var files = Files.list(copy.getParent())) {
      assertThat(files).as("no partial file is left").containsExactly(copy);
    }
  }

  @Test
  void aCopyThatSomeoneElseMayWriteIsNotUsed() throws Exception {
    Path copy = SqliteNativeLibrary.copyIn(dir);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-r--"));

    assertThat(SqliteNativeLibrary.copyIn(dir)).as("a group-writable copy").isNull();

    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(copy.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(SqliteNativeLibrary.copyIn(dir)).as("a copy in a directory anyone may write").isNull();

    Files.setPosixFilePermissions(copy.getParent(), PosixFilePermissions.fromString("rwx------"));
    assertThat(SqliteNativeLibrary.copyIn(dir)).isEqualTo(copy);
  }

  @Test
  void thePlatformTheDriverFindsIsKeptAndNotAskedAgain() throws Exception {
    Path natives = dir.resolve("sqlite-native");
    Files.createDirectories(natives);
    String name = LibraryLoaderUtil.getNativeLibName();
    String probed = LibraryLoaderUtil.getNativeLibResourcePath();
    assertThat(SqliteNativeLibrary.platformFolder(natives, name)).isEqualTo(probed);
    Path memo;
    try (var files = Files.list(natives)) {
      memo = files.filter(file -> file.getFileName().toString().startsWith("platform-")).findFirst().orElseThrow();
    }
    String kept = Files.readString(memo);
    assertThat(kept).startsWith("sqlite-jdbc " + SQLiteJDBCLoader.getVersion() + "\n").endsWith("\n" + probed);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(memo))).isEqualTo("rw-------");

    // Another library of the jar, as if the driver had found it: the kept answer is taken as it is.
    String other = probed.endsWith("/aarch64") ? "/org/sqlite/native/Linux/x86_64" : "/org/sqlite/native/Linux/aarch64";
    Files.writeString(memo, kept.replace(probed, other));
    assertThat(SqliteNativeLibrary.platformFolder(natives, name)).isEqualTo(other);

    Files.writeString(memo, kept.replace(probed, "/org/sqlite/native/Nowhere/none"));
    assertThat(SqliteNativeLibrary.platformFolder(natives, name)).as("a folder without a library").isEqualTo(probed);
    assertThat(Files.readString(memo)).as("kept again").isEqualTo(kept);

    Files.writeString(memo, kept.replace("sqlite-jdbc ", "sqlite-jdbc 0.0.1-").replace(probed, other));
    assertThat(SqliteNativeLibrary.platformFolder(natives, name)).as("another driver's answer").isEqualTo(probed);

    Files.writeString(memo, kept.replace(probed, other));
    Files.setPosixFilePermissions(memo, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(SqliteNativeLibrary.platformFolder(natives, name)).as("an answer others may write").isEqualTo(probed);
  }

  @Test
  void theCacheIsTheUsersOwn() {
    assertThat(SqliteNativeLibrary.userCache()).isAbsolute().endsWith(Path.of("sluice"));
  }

  @Test
  void aHistoryOpensWithTheLibraryLoadedFromTheCopy() throws Exception {
    try (Connection connection = Connections.open(HistoryConfig.sqlite(dir.resolve("state")));
        Statement sql = connection.createStatement();
        ResultSet row = sql.executeQuery("SELECT sqlite_version()")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isNotEmpty();
    }
    assertThat(System.getProperty("org.sqlite.lib.path")).as("the driver's settings are restored").isNull();
  }
}
