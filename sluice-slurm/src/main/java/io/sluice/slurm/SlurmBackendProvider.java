package io.sluice.slurm;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.remote.Tiers;
import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Provides the {@code slurm} backend ({@code --backend slurm}): see {@link SlurmBackend}. */
public final class SlurmBackendProvider implements RunBackendProvider {

  @Override
  public String name() {
    return SlurmBackend.NAME;
  }

  /**
   * Reads {@code [slurm]} and checks every tier's {@code [tiers.X.slurm]} table before anything
   * is submitted, so a mistake there stops the run at its start.
   *
   * @throws IOException when this machine cannot submit Slurm jobs
   */
  @Override
  public RunBackend create(Path projectRoot, Path stateDir, Settings settings) throws IOException {
    SlurmConfig config = SlurmConfig.from(projectRoot, stateDir, settings);
    Tiers tiers = Tiers.from(settings);
    tiers.names().forEach(name -> SbatchOptions.of(tiers.get(name), null));
    if (!onPath("sbatch")) {
      throw new IOException("sbatch is not on the PATH: this machine cannot submit Slurm jobs (a local test"
          + " cluster on Debian: sudo scripts/slurm-local.sh up)");
    }
    Files.createDirectories(config.sharedDir());
    return new SlurmBackend(config, RemoteEnvironment.from(settings), CommandRunner.system(config.commandTimeout()), Clock.systemUTC(),
        Sleeper.system());
  }

  @Override
  public java.util.List<Path> runsDirectories(Path projectRoot, Path stateDir, Settings settings) {
    return java.util.List.of(SlurmConfig.from(projectRoot, stateDir, settings).sharedDir());
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
