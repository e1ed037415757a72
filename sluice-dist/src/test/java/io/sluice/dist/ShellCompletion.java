package io.sluice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a shell offers on a TAB after a command line, with the completion script installed as
 * {@code ~/.sluice-completion.SHELL}: zsh's completion system in a pseudo-terminal
 * (complete.zsh), bash's function for sluice called as readline calls it (complete.bash).
 */
final class ShellCompletion {

  private final Shell shell;
  private final Path home;

  ShellCompletion(Shell shell, Path home) {
    this.shell = shell;
    this.home = home;
  }

  /** The words {@code shellName} offers after {@code line} (the cursor at its end), typed in {@code directory}. */
  List<String> offered(String shellName, Path directory, String line) throws IOException, InterruptedException {
    Path capture = home.resolve("complete." + shellName);
    if (!Files.exists(capture)) {
      try (InputStream in = ShellCompletion.class.getResourceAsStream(capture.getFileName().toString())) {
        if (in == null) {
          throw new IllegalArgumentException("No completion capture for shell '" + shellName + "': bash and zsh have one");
        }
        Files.copy(in, capture);
      }
    }
    // No zsh is a failure, not a skip: CI installs it (scripts/test-deps.sh).
    String script = "command -v " + shellName + " || { echo '" + shellName
        + " is not installed: scripts/test-deps.sh installs it'; exit 9; }\n"
        + shellName + " " + capture + " \"$HOME/.sluice-completion." + shellName + "\" '" + line + "' > offered.txt\n";
    Shell.Result result = shell.run(directory, script, 5);
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> offered = Files.readAllLines(directory.resolve("offered.txt")).stream().map(String::strip).toList();
    Files.delete(directory.resolve("offered.txt"));
    return offered;
  }
}
