package io.sluice.slurm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs Slurm's commands ({@code sbatch}, {@code squeue}, {@code scancel}). Injected, so that a
 * test can count the calls while still reaching the real cluster, or answer with recorded output.
 */
@FunctionalInterface
interface CommandRunner {

  /** Runs a command to its end; throws only when it cannot be run or does not end in time. */
  Result run(List<String> command) throws IOException;

  /** What a command answered. */
  record Result(int exitCode, String stdout, String stderr) {

    boolean ok() {
      return exitCode == 0;
    }

    /** Stderr, or stdout when stderr is empty, for error messages. */
    String message() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip().isEmpty() ? "no output" : text.strip();
    }
  }

  /**
   * Runs commands as processes of this machine.
   *
   * @param timeout how long a command may take: a client retries for ~20 s when slurmctld is
   *     down, and a poll must not hang for longer than that
   */
  static CommandRunner system(Duration timeout) {
    return command -> {
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      // Both pipes are read aside: neither can fill up and block the command, and the timeout
      // holds even while a client waits for a controller that does not answer.
      Future<String> stdout = Readers.POOL.submit(() -> readAll(process.getInputStream()));
      Future<String> stderr = Readers.POOL.submit(() -> readAll(process.getErrorStream()));
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IOException(String.join(" ", command) + " did not answer within " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), stdout.get(), stderr.get());
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running " + command.get(0));
      } catch (ExecutionException e) {
        throw new IOException("cannot read the output of " + command.get(0), e.getCause());
      }
    };
  }

  /** Daemon threads reading the pipes of running commands. */
  final class Readers {
    static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "sluice-slurm-pipe");
      thread.setDaemon(true);
      return thread;
    });

    private Readers() {}
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
