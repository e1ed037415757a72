package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.ProgramTask;
import io.sluice.Target;
import io.sluice.TaskContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a {@link ProgramTask}'s program: output to the log file, its {@link ProcessGroup} ended on
 * interrupt and when the program exits.
 */
public final class ProgramRunner {

  /** How many lines of stderr a failure message quotes. */
  public static final int TAIL_LINES = 20;

  private ProgramRunner() {}

  public static void run(ProgramTask task, TaskContext context) throws Exception {
    List<String> command = task.command(context);
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException(context.id() + " returned an empty command");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    if (task.workingDirectory() != null) {
      builder.directory(task.workingDirectory().toFile());
    }
    Map<String, String> env = builder.environment();
    List<String> outputs = new ArrayList<>();
    for (Target output : task.outputs()) {
      if (output instanceof LocalTarget local) {
        outputs.add(context.outputWrites().writePath(local).toAbsolutePath().toString());
      }
    }
    if (!outputs.isEmpty()) {
      env.put("SLUICE_OUTPUT", outputs.get(0));
      env.put("SLUICE_OUTPUTS", String.join("\n", outputs));
    }
    env.put("SLUICE_INPUTS", context.inputs().stream()
        .map(t -> t instanceof LocalTarget l ? l.path().toAbsolutePath().toString() : t.toString())
        .collect(Collectors.joining("\n")));
    env.put("SLUICE_TASK", context.id().toString());
    env.putAll(task.environment());

    Path log = context.logFile();
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessGroup group;
    try {
      group = ProcessGroup.start(builder);
    } catch (IOException e) {
      throw new IOException("cannot start " + command.get(0) + " for " + context.id() + ": " + e.getMessage(), e);
    }
    Process process = group.process();
    Deque<String> tail = new ArrayDeque<>();
    try (group; Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      writer.write("$ " + String.join(" ", command) + "\n");
      Thread out = pump(process.getInputStream(), writer, null, "out");
      Thread err = pump(process.getErrorStream(), writer, tail, "err");
      int exit;
      try {
        exit = process.waitFor();
        // What the program left running in the background ends with it (and stops holding its
        // output pipes open, which the pumps wait for).
        group.kill();
        out.join();
        err.join();
      } catch (InterruptedException e) {
        group.kill();
        throw e;
      }
      if (exit != 0) {
        String lines;
        synchronized (tail) {
          lines = String.join("\n", tail);
        }
        throw new ProgramFailedException(command.get(0) + " exited with code " + exit
            + (lines.isEmpty() ? " and printed nothing on stderr" : "; last lines of stderr:\n" + lines)
            + "\n(full log: " + log + ")", exit);
      }
    }
  }

  private static Thread pump(InputStream stream, Writer writer, Deque<String> tail, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (writer) {
            writer.write(line);
            writer.write('\n');
            writer.flush();
          }
          if (tail != null) {
            synchronized (tail) {
              tail.addLast(line);
              if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
              }
            }
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    }, "sluice-program-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** A program that exited with a non-zero code. */
  public static final class ProgramFailedException extends IOException {
    private final int exitCode;

    ProgramFailedException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }
}
