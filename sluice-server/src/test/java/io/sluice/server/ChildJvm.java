package io.sluice.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} of this module's test classes run in a JVM of its own, with the flags of the
 * {@code sluice} launcher (serial GC, C1 only): a stand-in for a {@code sluice} process, whose CPU
 * time is read from {@code /proc}.
 */
final class ChildJvm implements AutoCloseable {

  /** The distribution's launcher flags (sluice-dist's bin/sluice). */
  static final List<String> LAUNCHER_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private static final long TICKS_PER_SECOND = clockTicks();

  private final Process process;
  private final BufferedReader output;

  private ChildJvm(Process process) {
    this.process = process;
    this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code main} with {@code flags} before it and {@code args} after; its errors go to {@code errors}. */
  static ChildJvm start(Class<?> main, List<String> flags, List<String> args, Path errors) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LAUNCHER_FLAGS);
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    Files.createDirectories(errors.getParent());
    return new ChildJvm(new ProcessBuilder(command).redirectError(errors.toFile()).start());
  }

  long pid() {
    return process.pid();
  }

  /** The next line it prints that starts with {@code prefix} (the JVM may print others); an error when it ends first. */
  String readLine(String prefix) throws IOException {
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IOException("Process " + process.pid() + " (" + process.info().command().orElse("java")
        + ") ended without printing a line '" + prefix + "...'; see its error file");
  }

  /** User and system CPU milliseconds it has spent so far (Linux {@code /proc/PID/stat}). */
  long cpuMillis() throws IOException {
    return cpuMillis(process.pid());
  }

  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);  // utime, stime: fields 14 and 15
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** Waits for it to end, at most {@code seconds}; its exit code. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("Process " + process.pid() + " did not end in " + seconds + " s; killed it");
    }
    return process.exitValue();
  }

  /** Closes its input (a server process stops then) and waits a little for it, then kills it. */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // it is gone already
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String text = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      getconf.waitFor(10, TimeUnit.SECONDS);
      return Long.parseLong(text);
    } catch (IOException | NumberFormatException e) {
      return 100;  // Linux's USER_HZ almost everywhere
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
