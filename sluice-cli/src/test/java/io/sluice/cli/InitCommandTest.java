package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

  @TempDir Path dir;
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int sluice(String... args) {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Cli.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void mavenLayoutHasThePomTheTasksTheirTestTheSettingsAndGitignore() throws Exception {
    assertThat(sluice("init", dir.resolve("My Words").toString(), "--maven")).isZero();

    Path project = dir.resolve("My Words");
    assertThat(project.resolve("src/main/java/pipeline/WriteText.java")).isRegularFile();
    assertThat(project.resolve("src/main/java/pipeline/CountWords.java")).isRegularFile();
    assertThat(project.resolve("src/test/java/pipeline/CountWordsTest.java")).isRegularFile();
    String pom = Files.readString(project.resolve("pom.xml"));
    assertThat(pom).contains("<artifactId>my-words</artifactId>", "<artifactId>sluice-bom</artifactId>",
        "<sluice.version>" + BuildInfo.current().version() + "</sluice.version>").doesNotContain("@");
    assertThat(Files.readString(project.resolve("sluice.toml"))).contains("[tiers.Small]", "packages = [\"pipeline\"]");
    assertThat(Files.readString(project.resolve(".gitignore"))).contains(".sluice/", "target/");
  }

  @Test
  void singleFileLayoutIsOnePipelineFileWithItsSettings() throws Exception {
    assertThat(sluice("init", dir.toString(), "--single-file")).isZero();

    assertThat(Files.readString(dir.resolve("Pipeline.java"))).contains("Cli.run(args, Pipeline.class)", "record CountWords");
    assertThat(Files.readString(dir.resolve("sluice.toml"))).contains("[tiers.Small]");
    assertThat(dir.resolve("pom.xml")).doesNotExist();
  }

  @Test
  void initRefusesToOverwriteAndNamesTheFilesInTheWay() throws Exception {
    Files.writeString(dir.resolve("sluice.toml"), "mine");
    Files.writeString(dir.resolve(".gitignore"), "mine");

    assertThat(sluice("init", dir.toString())).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("init would overwrite sluice.toml, .gitignore in " + dir);
    assertThat(Files.readString(dir.resolve("sluice.toml"))).isEqualTo("mine");
    assertThat(dir.resolve("pom.xml")).doesNotExist();
  }

  @Test
  void layoutsAreExclusive() {
    assertThat(sluice("init", dir.toString(), "--maven", "--single-file")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("mutually exclusive");
  }

  @Test
  void generatedPomUsesThePluginVersionsOfSluicesOwnBuild() throws Exception {
    // An offline build of the generated project finds only the plugins Sluice's build fetched.
    String rootPom = Files.readString(Path.of("..", "pom.xml"));
    for (Map.Entry<String, String> plugin : InitCommand.PLUGIN_VERSIONS.entrySet()) {
      Matcher matcher = Pattern.compile("<artifactId>" + plugin.getKey() + "</artifactId>\\s*<version>([^<]+)</version>")
          .matcher(rootPom);
      assertThat(matcher.find()).as(plugin.getKey() + " in the root pom").isTrue();
      assertThat(plugin.getValue()).as(plugin.getKey()).isEqualTo(matcher.group(1));
    }
    assertThat(rootPom).contains("<junit.version>" + InitCommand.JUNIT_VERSION + "</junit.version>");
  }

  @Test
  void versionNamesTheVersionAndCommitOfTheBuild() {
    assertThat(sluice("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("sluice \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)");
  }

  @Test
  void completionScriptCompletesTaskNamesThroughSluiceList() {
    assertThat(sluice("completion", "bash")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("_complete_sluice", "sluice list --names", "sluice list --params", "complete -F _sluice_dynamic")
        .contains("init", "completion");
  }

  @Test
  void completionRefusesAnUnknownShellNamingIt() {
    assertThat(sluice("completion", "fish")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown shell 'fish'");
  }
}
