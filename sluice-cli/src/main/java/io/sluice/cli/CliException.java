package io.sluice.cli;

/** A user error on the command line or in sluice.toml: printed as is, exit code 2. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
