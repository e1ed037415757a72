package io.sluice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice completion bash|zsh} installed as its help says, in the shell itself: commands,
 * a command's options, the tasks of the project in the working directory and a task's parameters.
 */
class CompletionTest {

  @TempDir
  static Path home;

  private static ShellCompletion completion;
  private static Path project;

  @BeforeAll
  static void installWithAProjectOfTwoTasks() throws Exception {
    String bin = home.resolve("sluice-" + Distribution.VERSION + "/bin").toString();
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    Shell shell = new Shell(home, Map.of("PATH", bin + ":" + javaBin + ":" + System.getenv("PATH")));
    Shell.Result result = shell.run(home, "tar xzf " + Distribution.archive() + "\n"
        + "sluice completion bash > ~/.sluice-completion.bash\n"
        + "sluice completion zsh > ~/.sluice-completion.zsh\n"
        + "sluice init project --single-file\n"
        + "cd project && javac -cp \"$HOME/sluice-" + Distribution.VERSION + "/lib/*\" -d classes Pipeline.java\n", 5);
    assertThat(result.exitCode()).as(result.output()).isZero();
    completion = new ShellCompletion(shell, home);
    project = home.resolve("project");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void completesACommand(String shell) throws Exception {
    assertThat(completion.offered(shell, project, "sluice ini")).containsExactly("init");
    assertThat(completion.offered(shell, project, "sluice ")).contains("run", "deps", "list", "completion");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void completesAnOptionOfTheCommand(String shell) throws Exception {
    assertThat(completion.offered(shell, project, "sluice run --wor")).containsExactly("--workers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void completesTheTaskNamesOfTheProject(String shell) throws Exception {
    assertThat(completion.offered(shell, project, "sluice run -cp classes Cou")).containsExactly("CountWords");
    assertThat(completion.offered(shell, project, "sluice deps -cp classes ")).contains("CountWords", "WriteText");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void completesTheParametersOfTheTask(String shell) throws Exception {
    assertThat(completion.offered(shell, project, "sluice run -cp classes CountWords --rem")).containsExactly("--remote");
  }
}
