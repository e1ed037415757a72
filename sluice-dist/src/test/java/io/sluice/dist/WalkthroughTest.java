package io.sluice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's path, run for real in a temporary home directory: docs/getting-started.md's
 * commands as written (Sluice cloned and installed with Maven, the distribution unpacked, both
 * layouts of {@code sluice init}, the Maven one built offline against the artifacts that install
 * put in the local repository, remote steps on the local backend, completion, start-up time),
 * and the README's CountWords example.
 */
class WalkthroughTest {

  /** What the page shows of a file rather than runs: every other block must be an {@code sh} block. */
  private static final Set<String> FILE_CONTENTS = Set.of("xml", "java", "toml");

  /** Stands for the repository in the page's git clone; the test clones the code it tests instead. */
  private static final String REPOSITORY = "<sluice repository>";

  @TempDir
  Path home;

  private Shell shell;
  private Map<String, String> environment;

  @BeforeEach
  void installInAHomeOfItsOwn() throws IOException {
    // The user's Maven: this home's ~/.m2, offline, so the build can only use what is there.
    Path m2 = home.resolve(".m2");
    Distribution.seedLocalRepository(Path.of(System.getProperty("maven.repo.local.source")), m2.resolve("repository"));
    Files.writeString(m2.resolve("settings.xml"), "<settings><offline>true</offline></settings>\n");
    environment = new HashMap<>();
    String mavenBin = Path.of(System.getProperty("maven.home"), "bin").toString();
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    environment.put("PATH", mavenBin + ":" + javaBin + ":" + System.getenv("PATH"));
    // Java takes user.home from the password database, not from HOME: Maven is told explicitly,
    // and never sees the real ~/.m2 (nor writes there).
    environment.put("MAVEN_OPTS", "-Duser.home=" + home + " -Dmaven.repo.local=" + m2.resolve("repository"));
    environment.put("GIT_AUTHOR_NAME", "Walkthrough");
    environment.put("GIT_AUTHOR_EMAIL", "walkthrough@example.com");
    environment.put("GIT_COMMITTER_NAME", "Walkthrough");
    environment.put("GIT_COMMITTER_EMAIL", "walkthrough@example.com");
    environment.put("GIT_CONFIG_NOSYSTEM", "1");
    shell = new Shell(home, environment);
  }

  @Test
  void everyCommandOfGettingStartedIsInABlockTheWalkthroughRuns() throws IOException {
    List<CodeBlock> notRun = CodeBlock.of(gettingStarted()).stream()
        .filter(b -> !b.language().equals("sh") && !FILE_CONTENTS.contains(b.language())).toList();

    assertThat(notRun).as("blocks of docs/getting-started.md that the walkthrough would not run: put commands in "
        + "```sh blocks (run in order, as written); ```xml, ```java and ```toml show files").isEmpty();
  }

  @Test
  void gettingStartedRunsAsWritten() throws Exception {
    String page = gettingStarted();
    assertThat(page).as("getting-started.md names the version being built").contains("sluice-" + Distribution.VERSION + ".tar.gz");
    String script = String.join("\n", CodeBlock.of(page, "sh"));
    assertThat(script).as("the page clones " + REPOSITORY).contains("git clone " + REPOSITORY + " ");
    Path source = home.resolve("source");
    Distribution.snapshotWorkingTree(shell, source);

    Shell.Result result = shell.run(home, script.replace(REPOSITORY, source.toString()), 40);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(home.resolve(".m2/repository/io/sluice/sluice-bom/" + Distribution.VERSION)).as("mvn install of the page")
        .isDirectoryContaining("glob:**.pom");
    assertThat(result.output()).contains("sluice " + Distribution.VERSION + " (commit ");
    assertThat(Files.readString(home.resolve("words/data/count.txt"))).isEqualTo("10\n");
    assertThat(Files.readString(home.resolve("words/data/count-remote.txt"))).isEqualTo("10\n");
    assertThat(Files.readString(home.resolve("hello/data/count.txt"))).isEqualTo("10\n");
    assertThat(Files.readString(home.resolve("hello/data/count-remote.txt"))).isEqualTo("10\n");
    assertThat(Files.readString(home.resolve("words/.gitignore"))).contains(".sluice/");
    // Each layout's second run of CountWords found everything done.
    assertThat(occurrences(result.output(), "Nothing to do: everything was complete already.")).isEqualTo(2);
    assertThat(home.resolve("words/target/surefire-reports")).as("the generated test ran").isDirectoryContaining("glob:**CountWordsTest.txt");

    Shell.Result again = shell.run(home, sluice() + " init words --maven", 5);
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.output()).contains("init would overwrite pom.xml, sluice.toml, .gitignore");

    assertThat(result.output()).contains("median sluice --help: wall ", "median sluice --version: wall ");
    assertThat(result.output()).as("deps of the single file").contains("2 tasks, 2 done, 0 missing");

    // The completion scripts of the page complete commands, task names and their parameters.
    for (String shellName : List.of("bash", "zsh")) {
      assertThat(complete(shellName, "sluice ini")).as(shellName).containsExactly("init");
      assertThat(complete(shellName, "sluice run -cp target/classes Cou")).as(shellName).containsExactly("CountWords");
      assertThat(complete(shellName, "sluice run -cp target/classes CountWords --rem")).as(shellName).contains("--remote");
    }
  }

  @Test
  void readmeCountWordsExampleRunsAsWritten() throws Exception {
    String readme = Files.readString(Distribution.repositoryRoot().resolve("README.md"));
    Files.copy(Distribution.archive(), home.resolve("sluice-" + Distribution.VERSION + ".tar.gz"));
    String task = CodeBlock.of(readme, "java").stream().filter(b -> b.contains("record CountWords")).findFirst()
        .orElseThrow(() -> new AssertionError("README.md has no java block with record CountWords"));
    // The README shows CountWords; the rest of its file is what a user adds around it.
    String pipeline = """
        import io.sluice.*;
        import io.sluice.cli.Cli;
        import java.io.IOException;
        import java.time.LocalDate;
        import java.util.Arrays;
        import java.util.List;

        public final class Readme {
          public static void main(String[] args) { Cli.run(args, Readme.class); }

          public record FetchText(@Param(defaultValue = "built-in") String url) implements Task {
            public LocalTarget output() { return LocalTarget.of("text/" + url + ".txt"); }
            public void run(TaskContext ctx) throws IOException {
              try (var out = output().openWriter()) { out.write("one two three\\nfour\\n"); }
            }
          }

        """ + task.indent(2) + "}\n";
    Files.createDirectories(home.resolve("readme"));
    Files.writeString(home.resolve("readme/Readme.java"), pipeline);
    String launcher = "java -cp \"$HOME/sluice/lib/*\" Readme.java";
    List<String> commands = new ArrayList<>();
    for (String block : CodeBlock.of(readme, "sh")) {
      for (String line : block.lines().toList()) {
        String command = line.replaceAll("\\s+#.*$", "").strip();
        // "--dry-run | --force | ..." lists alternatives; the others are commands as they are.
        if (command.startsWith("bin/sluice ") && command.contains("CountWords") || command.equals("bin/sluice list")) {
          if (!command.contains(" | ")) {
            commands.add(launcher + command.substring("bin/sluice".length()));
          }
        }
      }
    }
    assertThat(commands).hasSizeGreaterThanOrEqualTo(4);
    String script = "mkdir sluice && tar xzf sluice-" + Distribution.VERSION + ".tar.gz -C sluice --strip-components 1\n"
        + "cd readme\n" + String.join("\n", commands) + "\n";

    Shell.Result result = shell.run(home, script, 10);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(Files.readString(home.resolve("readme/counts/2024-02-01.txt"))).isEqualTo("4\n");
    assertThat(result.output()).contains("[done]").contains("Counts the words of a text file.");
  }

  /** The words the shell offers after the line (the cursor at its end), in the Maven project of the page. */
  private List<String> complete(String shellName, String line) throws Exception {
    Map<String, String> environment = new HashMap<>(this.environment);
    environment.put("PATH", home.resolve("opt/sluice-" + Distribution.VERSION + "/bin") + ":" + environment.get("PATH"));
    return new ShellCompletion(new Shell(home, environment), home).offered(shellName, home.resolve("words"), line);
  }

  private String sluice() {
    return "PATH=\"$HOME/opt/sluice-" + Distribution.VERSION + "/bin:$PATH\"; cd $HOME; sluice";
  }

  private static String gettingStarted() throws IOException {
    return Files.readString(Distribution.repositoryRoot().resolve("docs/getting-started.md"));
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
