package io.sluice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes: where the configuration and the user's tasks are. */
final class CommonOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: sluice.toml in the working directory, if any).")
  Path config;

  @Option(names = {"-cp", "--classpath"}, paramLabel = "PATH",
      description = "Jars or class directories holding your tasks, separated by ':' (dir/* for all jars of a dir).")
  List<String> classpath = new ArrayList<>();

  @Option(names = "--module", paramLabel = "PACKAGE",
      description = "Look for tasks in this package only (repeatable; default: [tasks] packages in sluice.toml, else the whole classpath).")
  List<String> modules = new ArrayList<>();
}
