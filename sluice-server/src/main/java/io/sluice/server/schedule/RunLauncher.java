package io.sluice.server.schedule;

import io.sluice.history.RunIds;
import io.sluice.history.StartedBy;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Starts the {@code sluice run} process of a schedule, its output going to a log file. */
@FunctionalInterface
public interface RunLauncher {

  /** The environment variable that names the schedule to the run it starts. */
  String SCHEDULE_VARIABLE = "SLUICE_SCHEDULE";

  /**
   * Starts {@code sluice run TASK ARGS...} for the schedule, giving its run the id {@code runId}
   * ({@link RunIds#VARIABLE}) and writing its output to {@code logFile}.
   */
  Process launch(Schedule schedule, String runId, Path logFile) throws IOException;

  /**
   * Runs {@code sluiceCommand run TASK ARGS... OPTIONS...} in {@code projectDir}, with {@code SLUICE_STARTED_BY=schedule}
   * and {@code SLUICE_RUN_ID} (the history records both) and {@value #SCHEDULE_VARIABLE}.
   *
   * @param sluiceCommand the command that is {@code sluice}, such as {@code [java, -cp, CLASSPATH, io.sluice.cli.Main]}
   * @param options given to every run after the schedule's arguments, such as {@code [--state-dir, DIR]}
   */
  static RunLauncher command(List<String> sluiceCommand, List<String> options, Path projectDir) {
    List<String> prefix = List.copyOf(sluiceCommand);
    List<String> suffix = List.copyOf(options);
    Objects.requireNonNull(projectDir, "projectDir");
    return (schedule, runId, logFile) -> {
      List<String> command = new ArrayList<>(prefix);
      command.add("run");
      command.add(schedule.task());
      command.addAll(schedule.args());
      command.addAll(suffix);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile()).redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(logFile.toFile())).redirectInput(Redirect.from(nullFile()));
      builder.environment().put(StartedBy.VARIABLE, StartedBy.SCHEDULE.label());
      builder.environment().put(SCHEDULE_VARIABLE, schedule.name());
      builder.environment().put(RunIds.VARIABLE, runId);
      builder.environment().put(RunIds.STARTER_VARIABLE, String.valueOf(ProcessHandle.current().pid()));
      return builder.start();
    };
  }

  private static java.io.File nullFile() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
