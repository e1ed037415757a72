package io.sluice.remote.internal;

import io.sluice.Settings;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import java.nio.file.Path;

/** Provides the embedded {@code local} backend, its runs outside the project (see {@link LocalWorkDir}). */
public final class LocalBackendProvider implements RunBackendProvider {

  @Override
  public String name() {
    return LocalBackend.NAME;
  }

  @Override
  public RunBackend create(Path projectRoot, Path stateDir, Settings settings) {
    return new LocalBackend(LocalWorkDir.runsDir(projectRoot, settings, System.getenv()));
  }
}
