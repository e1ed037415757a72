package io.sluice.remote.spi;

import io.sluice.Settings;
import java.nio.file.Path;

/**
 * Makes a backend; found through {@link java.util.ServiceLoader} by {@link #name()}, so the
 * engine knows no backend by name.
 */
public interface RunBackendProvider {

  /** The name users give with {@code --backend} or {@code [remote] backend}. */
  String name();

  /**
   * Creates the backend for a project.
   *
   * @param projectRoot the project's root directory
   * @param stateDir where the backend may keep run directories ({@code .sluice/runs})
   * @param settings the project's settings; the backend reads its own {@code [name]} section
   */
  RunBackend create(Path projectRoot, Path stateDir, Settings settings) throws java.io.IOException;

  /**
   * Where this backend keeps run directories on this machine (each child one run), for the
   * retention policy that prunes finished ones; none by default.
   */
  default java.util.List<Path> runsDirectories(Path projectRoot, Path stateDir, Settings settings) {
    return java.util.List.of();
  }
}
