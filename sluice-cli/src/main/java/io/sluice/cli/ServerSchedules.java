package io.sluice.cli;

import io.sluice.server.ServerOptions;
import io.sluice.server.schedule.RunLauncher;
import io.sluice.server.schedule.Schedule;
import io.sluice.server.schedule.ScheduleSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code [schedules.NAME]} of {@code sluice.toml} for {@code sluice server}: each scheduled run is
 * {@code sluice run} started with the server's own Java, JVM options, classpath and main class, in the
 * project's directory (the one of {@code sluice.toml}), with the server's {@code --config},
 * {@code --classpath}, {@code --module} and {@code --state-dir}, so it records into the history served.
 */
final class ServerSchedules {

  private ServerSchedules() {}

  /** The options with the project's schedules, or unchanged when it has none. */
  static ServerOptions add(ServerOptions options, ProjectConfig config, CommonOptions common, Path stateDir) {
    List<Schedule> schedules;
    try {
      schedules = ScheduleSettings.parse(config.section("schedules"), config.where());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    if (schedules.isEmpty()) {
      return options;
    }
    Path projectDir = (config.file() != null ? config.file().toAbsolutePath().getParent()
        : Path.of("").toAbsolutePath());
    return options.withSchedules(schedules, RunLauncher.command(thisCommand(), runOptions(common, stateDir),
        projectDir), stateDir.toAbsolutePath().resolve("schedule-logs"));
  }

  /** This JVM: its java, its options, its classpath and main class ({@code io.sluice.cli.Main} or a pipeline's). */
  static List<String> thisCommand() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger's agent would ask for the port this server holds.
      if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-javaagent")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    String launched = System.getProperty("sun.java.command", "");
    String mainClass = launched.isBlank() ? "" : launched.split(" ")[0];
    // A jar, a source file or a test runner is no main class to start again: the sluice command is.
    command.add(mainClass.isEmpty() || mainClass.endsWith(".jar") || mainClass.endsWith(".java")
        || mainClass.startsWith("org.apache.maven") ? Main.class.getName() : mainClass);
    return command;
  }

  private static List<String> runOptions(CommonOptions common, Path stateDir) {
    List<String> options = new ArrayList<>();
    if (common.config != null) {
      options.addAll(List.of("--config", common.config.toAbsolutePath().toString()));
    }
    for (String entry : common.classpath) {
      options.addAll(List.of("--classpath", entry));
    }
    for (String module : common.modules) {
      options.addAll(List.of("--module", module));
    }
    options.addAll(List.of("--state-dir", stateDir.toAbsolutePath().toString()));
    return options;
  }
}
