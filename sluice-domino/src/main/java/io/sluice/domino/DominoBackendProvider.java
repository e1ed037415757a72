package io.sluice.domino;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Provides the {@code domino} backend ({@code --backend domino}): see {@link DominoBackend} and docs/domino.md. */
public final class DominoBackendProvider implements RunBackendProvider {

  @Override
  public String name() {
    return DominoBackend.NAME;
  }

  @Override
  public RunBackend create(Path projectRoot, Path stateDir, Settings settings) throws IOException {
    return create(projectRoot, stateDir, settings, System.getenv(), MonotonicClock.startingNow(), Sleeper.system());
  }

  /** The backend with the environment, clock and sleeper given (tests inject them). */
  static DominoBackend create(Path projectRoot, Path stateDir, Settings settings, Map<String, String> environment,
      Clock clock, Sleeper sleeper) {
    DominoConfig config = DominoConfig.from(settings, environment);
    DominoCredentials credentials = DominoCredentials.from(environment);
    DominoHttp http = new DominoHttp(config.host(), credentials, config.retryWindow(), Backoff.DEFAULT, clock, sleeper,
        new SecureRandom(), Duration.ofMinutes(2));
    DominoApi api = new DominoApi(http, config);
    CommitUploads uploads = new CommitUploads(api, stateDir.resolve("domino").resolve("commits"),
        config.host() + "/" + config.owner() + "/" + config.project());
    return new DominoBackend(config, api, uploads, knownToGit(projectRoot), clock);
  }

  /** Whether the project's git repository has an object of that id; false without a repository. */
  private static Predicate<String> knownToGit(Path projectRoot) {
    return id -> {
      FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(projectRoot.toFile());
      if (builder.getGitDir() == null) {
        return false;
      }
      try (Repository repository = builder.build()) {
        return repository.getObjectDatabase().has(ObjectId.fromString(id));
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
    };
  }
}
