package io.sluice.remote.internal;

import io.sluice.Settings;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunBackendProvider;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A test backend ({@code recording}) that writes what is asked of it to {@code [recording] log}
 * and names commits itself when {@code [recording] own_commit} is set.
 */
public final class RecordingBackendProvider implements RunBackendProvider {

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public RunBackend create(Path projectRoot, Path stateDir, Settings settings) {
    Path log = Path.of(String.valueOf(settings.get("recording", "log")));
    Object own = settings.get("recording", "own_commit");
    return new RunBackend() {
      private void record(String line) throws IOException {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }

      @Override
      public RunHandle submit(RunSpec spec) throws IOException {
        record("submit " + spec.commit() + " snapshot=" + spec.snapshot());
        return new RunHandle("recording", spec.runId(), spec);
      }

      @Override
      public Map<RunHandle, RunState> poll(Collection<RunHandle> runs) {
        Map<RunHandle, RunState> states = new LinkedHashMap<>();
        runs.forEach(run -> states.put(run, RunState.of(RunStatus.RUNNING)));
        return states;
      }

      @Override
      public void cancel(RunHandle run) throws IOException {
        record("cancel " + run.id());
      }

      @Override
      public byte[] readLog(RunHandle run, long offset) {
        return new byte[0];
      }

      @Override
      public boolean fetch(RunHandle run, String path, Path destination) {
        return false;
      }

      @Override
      public Optional<String> ownCommit(String requested) throws IOException {
        record("ownCommit " + requested);
        if (own == null) {
          return Optional.empty();
        }
        return Optional.of(requested == null ? String.valueOf(own) : requested);
      }

      @Override
      public void close() throws IOException {
        record("close");
      }
    };
  }
}
