package io.sluice.cli;

/** Entry point of the {@code sluice} command; see {@link Cli}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Cli.run(args);
  }
}
