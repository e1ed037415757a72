package io.sluice.remote.internal;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where the {@code local} backend puts its run directories: outside the project, so that a
 * command walking up from its workspace ({@code ../../x}) does not land in the caller's project,
 * past the atomic commit of outputs. {@code [local] work_dir} chooses the base; by default it is
 * {@code $XDG_CACHE_HOME/sluice} when set, else {@code <java.io.tmpdir>/sluice-<user>}; each
 * project gets {@code <name>-<hash of its path>} below it.
 */
final class LocalWorkDir {

  private LocalWorkDir() {}

  /**
   * The runs directory of a project.
   *
   * @throws SchedulingException when the setting names a place inside the project
   */
  static Path runsDir(Path projectRoot, Settings settings, Map<String, String> environment) {
    Path root = projectRoot.toAbsolutePath().normalize();
    Object configured = settings.get("local", "work_dir");
    Path base;
    if (configured != null) {
      base = root.resolve(String.valueOf(configured)).toAbsolutePath().normalize();
    } else if (environment.get("XDG_CACHE_HOME") != null && !environment.get("XDG_CACHE_HOME").isBlank()) {
      base = Path.of(environment.get("XDG_CACHE_HOME"), "sluice").toAbsolutePath().normalize();
    } else {
      base = Path.of(System.getProperty("java.io.tmpdir"), "sluice-" + System.getProperty("user.name"))
          .toAbsolutePath().normalize();
    }
    if (base.startsWith(root)) {
      throw new SchedulingException("The local backend's work directory " + base + " is inside the project " + root
          + ": a run could then write into the project past its atomic outputs. Set [local] work_dir in sluice.toml"
          + (configured != null ? "" : " (or XDG_CACHE_HOME / java.io.tmpdir)") + " to a directory outside it.");
    }
    String name = root.getFileName() == null ? "root" : root.getFileName().toString();
    return base.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash(root.toString())).resolve("runs");
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
