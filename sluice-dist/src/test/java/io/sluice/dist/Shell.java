package io.sluice.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a POSIX shell script the way a user types it: in a home directory of its own. */
final class Shell {

  /** What a script printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  private final Path home;
  private final Map<String, String> environment;

  Shell(Path home, Map<String, String> environment) {
    this.home = home;
    this.environment = environment;
  }

  Result run(Path directory, String script, long timeoutMinutes) throws IOException, InterruptedException {
    Path file = Files.createTempFile(home, "script-", ".sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Path log = Files.createTempFile(home, "script-", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-ex", file.toString()))
        .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("Script did not finish in " + timeoutMinutes + " min:\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
