package io.sluice.remote.internal;

import io.sluice.remote.spi.RunSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The contract with the remote side, as files in a run directory: {@code run.sh} (the command,
 * written here), {@code environment} (the run's variables), {@code log} (its stdout and stderr), {@code exit_code} (written when it ends)
 * and the output in {@code workspace/}. Every backend uses the same layout.
 */
public final class RunFiles {

  public static final String SCRIPT = "run.sh";
  public static final String LOG = "log";
  public static final String EXIT_CODE = "exit_code";
  public static final String WORKSPACE = "workspace";
  /** The run's own environment variables, sourced by the script; mode 0600. */
  public static final String ENVIRONMENT = "environment";

  private RunFiles() {}

  /**
   * Writes {@code run.sh}: it enters the workspace (at the same place relative to the project
   * root as the caller's working directory), reads the run's environment from
   * {@code environment}, runs the command, keeps its output in {@code log} and its exit code in
   * {@code exit_code}.
   *
   * <p>Arguments, environment values and paths come from outside the code (a task parameter
   * given on the command line becomes an argument): each reaches the script as one quoted word
   * on its own line, with control characters escaped, so that none can start a line of its own
   * (a shell command, or an {@code #SBATCH} directive that sbatch would read). The header holds
   * the run id only. The environment values (API keys, tokens) go to a file only the user can
   * read, not to the script.
   *
   * @param limits shell lines that set limits before the command (may be empty)
   * @throws IllegalArgumentException when a value holds a NUL character, naming the value
   */
  public static Path writeScript(Path runDir, RunSpec spec, List<String> command, List<String> limits)
      throws IOException {
    if (!spec.runId().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("run id '" + spec.runId() + "' is not a plain name");
    }
    checkValues(spec);
    Path workspace = runDir.resolve(WORKSPACE).toAbsolutePath();
    StringBuilder environment = new StringBuilder();
    for (Map.Entry<String, String> env : new TreeMap<>(spec.environment()).entrySet()) {
      environment.append("export ").append(env.getKey()).append('=').append(quote(env.getValue())).append('\n');
    }
    Path environmentFile = writePrivate(runDir.resolve(ENVIRONMENT), environment.toString());
    StringBuilder script = new StringBuilder("#!/usr/bin/env bash\n")
        .append("# Sluice remote run ").append(spec.runId()).append('\n')
        .append("cd ").append(quote(workspace.resolve(spec.workdir()).normalize().toString())).append(" || exit 97\n")
        .append("export SLUICE_RUN_ID=").append(quote(spec.runId())).append('\n')
        .append("export SLUICE_COMMIT=").append(quote(spec.commit())).append('\n')
        .append("export SLUICE_TIER=").append(quote(spec.tier().name())).append('\n')
        .append("export SLUICE_RUNTIME=").append(quote(String.join(":", spec.runtime().stream()
            .map(p -> p.toAbsolutePath().toString()).toList()))).append('\n')
        .append(". ").append(quote(environmentFile.toAbsolutePath().toString())).append(" || exit 96\n");
    for (String limit : limits) {
      script.append(limit).append('\n');
    }
    script.append(String.join(" ", command.stream().map(RunFiles::quote).toList()))
        .append(" >> ").append(quote(runDir.resolve(LOG).toAbsolutePath().toString())).append(" 2>&1\n")
        .append("code=$?\n")
        .append("echo \"$code\" > ").append(quote(runDir.resolve(EXIT_CODE + ".tmp").toAbsolutePath().toString()))
        .append(" && mv ").append(quote(runDir.resolve(EXIT_CODE + ".tmp").toAbsolutePath().toString())).append(' ')
        .append(quote(runDir.resolve(EXIT_CODE).toAbsolutePath().toString())).append('\n')
        .append("exit \"$code\"\n");
    Path file = runDir.resolve(SCRIPT);
    Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /**
   * Refuses values no program can receive: a NUL ends a C string, so the command would get
   * less than it was given.
   */
  private static void checkValues(RunSpec spec) {
    for (int i = 0; i < spec.command().size(); i++) {
      checkNoNul("argument " + (i + 1) + " of the remote command", spec.command().get(i));
    }
    for (Map.Entry<String, String> env : spec.environment().entrySet()) {
      if (!env.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("environment variable name '" + env.getKey() + "' is not valid:"
            + " use letters, digits and '_', not starting with a digit");
      }
      checkNoNul("the value of environment variable " + env.getKey(), env.getValue());
    }
    if (spec.output() != null) {
      checkNoNul("the output path", spec.output());
    }
    checkNoNul("the working directory", spec.workdir());
  }

  /**
   * Refuses a value with a NUL character, naming it.
   *
   * @param what the value, for the message ("argument 2 of the remote command")
   */
  public static void checkNoNul(String what, String value) {
    int at = value.indexOf('\0');
    if (at >= 0) {
      throw new IllegalArgumentException(what + " holds a NUL character (at position " + (at + 1) + " of "
          + value.length() + "), which no program can receive: remove it");
    }
  }

  /** Writes a file that only the user can read: created with mode 0600, never wider. */
  private static Path writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Creates a run's directory afresh, private to the user (mode 0700): its workspace, script,
   * environment and log are nobody else's to read.
   */
  public static void createRunDirectory(Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir.toAbsolutePath().getParent());
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /**
   * Quotes a word for bash so that it stays one word on one line: single quotes, or ANSI-C
   * quotes ({@code $'...'}) with escapes when it holds control characters such as a newline or
   * a carriage return (sbatch also refuses a script with {@code \r\n}).
   *
   * @throws IllegalArgumentException for a NUL, which bash cannot hold
   */
  public static String quote(String word) {
    checkNoNul("a word of the script", word);
    if (word.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
      return "'" + word.replace("'", "'\\''") + "'";
    }
    StringBuilder quoted = new StringBuilder("$'");
    for (char c : word.toCharArray()) {
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '\'' -> quoted.append("\\'");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            quoted.append(String.format("\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('\'').toString();
  }

  /** The exit code the command wrote, or null while it has not ended. */
  public static Integer exitCode(Path runDir) {
    Path file = runDir.resolve(EXIT_CODE);
    try {
      String text = Files.readString(file).trim();
      return text.isEmpty() ? null : Integer.valueOf(text);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Bytes of the log from {@code offset} on. */
  public static byte[] readLog(Path runDir, long offset) throws IOException {
    Path log = runDir.resolve(LOG);
    if (!Files.exists(log)) {
      return new byte[0];
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (offset >= length) {
        return new byte[0];
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      file.seek(offset);
      file.readFully(bytes);
      return bytes;
    }
  }

  /**
   * Copies a workspace file out; false when it does not exist.
   *
   * @throws IOException when the file is not a regular file inside the workspace (a symbolic
   *     link on its way, a special file, a hard link): nothing is copied then
   */
  public static boolean fetch(Path runDir, String workdir, String path, Path destination) throws IOException {
    String relative = workdir.isEmpty() ? path : workdir + "/" + path;
    return ContainedFile.copy(runDir.resolve(WORKSPACE), relative, destination);
  }

  /** Copies a snapshot into a fresh workspace (files copied, so runs cannot change the snapshot). */
  public static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
            LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Makes a workspace from a snapshot cheaply: directories are created, files are hard links to
   * the snapshot's (copies where the filesystem refuses a link), symbolic links are recreated.
   * A run can thus change a shared file in place; {@link Snapshots#export} checks the snapshot
   * against its manifest before the next run uses it.
   */
  public static void linkTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path target = to.resolve(from.relativize(file).toString());
        if (attrs.isRegularFile()) {
          try {
            Files.createLink(target, file);
            return FileVisitResult.CONTINUE;
          } catch (IOException | UnsupportedOperationException e) {
            // another filesystem, or no hard links there: a copy does as well, only slower
          }
        }
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    }
  }
}
