package io.sluice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's bin/sluice: which Java it takes, what it says when it cannot, its options. */
class LauncherTest {

  @TempDir
  Path home;

  private Path sluice;

  @BeforeEach
  void unpack() throws Exception {
    Shell.Result result = shell(Map.of()).run(home, "tar xzf " + Distribution.archive(), 2);
    assertThat(result.exitCode()).as(result.output()).isZero();
    sluice = home.resolve("sluice-" + Distribution.VERSION + "/bin/sluice");
  }

  private Shell shell(Map<String, String> environment) {
    return new Shell(home, environment);
  }

  @Test
  void javaOptsReachTheJvmAndFileNamesAreUtf8UnderTheCLocale() throws Exception {
    Shell.Result result = shell(Map.of("JAVA_OPTS", "-XshowSettings:properties", "LANG", "C", "LC_ALL", ""))
        .run(home, sluice + " --version", 2);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("sun.jnu.encoding = UTF-8", "sluice.home = " + home.toRealPath().resolve("sluice-" + Distribution.VERSION));
  }

  @Test
  void theHeapStartsAtAFortiethOfTheMemoryAndNeverAboveAMaximumTheEnvironmentSets() throws Exception {
    Shell.Result initial = shell(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags")).run(home, sluice + " --version", 2);
    Shell.Result capped = shell(Map.of("JAVA_OPTS", "-Xmx256m -XX:+PrintCommandLineFlags")).run(home, sluice + " --version", 2);
    Shell.Result cappedByTheJdk = shell(Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m", "JAVA_OPTS", "-XX:+PrintCommandLineFlags"))
        .run(home, sluice + " --version", 2);

    assertThat(initial.exitCode()).as(initial.output()).isZero();
    long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    assertThat(initialHeap(initial.output())).as(initial.output())
        .isBetween((long) (memory * 0.024), (long) (memory * 0.026));
    for (Shell.Result result : List.of(capped, cappedByTheJdk)) {
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("-XX:MaxHeapSize=268435456");
      assertThat(initialHeap(result.output())).as(result.output()).isLessThanOrEqualTo(268435456L);
    }
  }

  private static long initialHeap(String flags) {
    java.util.regex.Matcher size = java.util.regex.Pattern.compile("-XX:InitialHeapSize=(\\d+)").matcher(flags);
    assertThat(size.find()).as("-XX:InitialHeapSize in " + flags).isTrue();
    return Long.parseLong(size.group(1));
  }

  @Test
  void helpAndVersionPrintWithoutBuildingTheCommands() throws Exception {
    // Building every command's model with picocli was most of their start-up time (docs/benchmarks.md):
    // the text is rendered when the jar is built.
    for (String option : List.of("--help", "--version", "")) {
      Shell.Result result = shell(Map.of("JAVA_OPTS", "-Xlog:class+load")).run(home, sluice + " " + option, 2);

      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).as(option).contains("io.sluice.cli.Main source:")
          .containsAnyOf("Usage: sluice [-hV] [COMMAND]", "sluice " + Distribution.VERSION + " (commit ")
          .doesNotContain("io.sluice.cli.RunCommand", "io.sluice.cli.CommonOptions", "picocli.CommandLine$Model$CommandSpec ");
    }
  }

  @Test
  void aSymlinkOnThePathFindsTheInstallation() throws Exception {
    Files.createDirectories(home.resolve("bin"));
    Files.createSymbolicLink(home.resolve("bin/sluice"), sluice);

    Shell.Result result = shell(Map.of()).run(home, "bin/sluice --version", 2);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("sluice " + Distribution.VERSION);
  }

  @Test
  void javaOlderThan17IsRefusedSayingWhatToDo() throws Exception {
    Path jdk = home.resolve("jdk-11");
    Files.createDirectories(jdk.resolve("bin"));
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
    Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho should not run\n");
    Files.setPosixFilePermissions(jdk.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));

    Shell.Result result = shell(Map.of("JAVA_HOME", jdk.toString())).run(home, sluice + " --version", 2);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("is Java 11.0.2; Sluice needs Java 17 or newer. Set JAVA_HOME")
        .doesNotContain("should not run");
  }

  @Test
  void aJavaHomeWithoutJavaIsNamed() throws Exception {
    Shell.Result result = shell(Map.of("JAVA_HOME", home.resolve("nowhere").toString())).run(home, sluice + " --help", 2);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("JAVA_HOME is " + home.resolve("nowhere") + ", but");
  }
}
