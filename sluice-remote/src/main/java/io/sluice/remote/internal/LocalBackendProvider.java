package io.sluice.remote.internal;

import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.Settings;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import java.nio.file.Path;
import java.util.List;

/** Provides the embedded {@code local} backend, its runs outside the project (see {@link LocalWorkDir}). */
public final class LocalBackendProvider implements RunBackendProvider {

  @Override
  public String name() {
    return LocalBackend.NAME;
  }

  @Override
  public List<Path> runsDirectories(Path projectRoot, Path stateDir, Settings settings) {
    // .sluice/runs: where runs went before they moved out of the project
    return List.of(LocalWorkDir.runsDir(projectRoot, settings, System.getenv()), stateDir.resolve("runs"));
  }

  @Override
  public RunBackend create(Path projectRoot, Path stateDir, Settings settings) {
    return new LocalBackend(LocalWorkDir.runsDir(projectRoot, settings, System.getenv()), RemoteEnvironment.from(settings));
  }
}
