package io.sluice.cli;

import java.util.List;
import java.util.Optional;

/** Entry point of the {@code sluice} command; see {@link Cli}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Help and version print what was rendered when the jar was built: building every command's
    // model with picocli first is most of their start-up time (docs/benchmarks.md).
    Optional<String> printed = PrerenderedHelp.forArguments(List.of(args));
    if (printed.isPresent()) {
      System.out.print(printed.get());
      System.out.flush();
      return;
    }
    Cli.run(args);
  }
}
