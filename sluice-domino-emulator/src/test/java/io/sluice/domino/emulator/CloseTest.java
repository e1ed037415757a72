package io.sluice.domino.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the emulator leaves no process of any run behind. */
class CloseTest {

  @TempDir Path temp;

  @Test
  void closeStopsEveryRunAndEndsTheirProcesses() throws Exception {
    Path pids = temp.resolve("pids");
    DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("data")));
    ApiClient api = new ApiClient(emulator);
    String running = api.startRun(emulator, List.of("sh", "-c",
        "sleep 300 & echo $! > '" + pids + ".tmp'; mv '" + pids + ".tmp' '" + pids + "'; wait"), "Large", null);
    String queued = api.startRun(emulator, List.of("true"), "Large", null);
    RunStatusTest.awaitFile(pids);

    emulator.close();

    assertThat(RunStatusTest.running(Long.parseLong(Files.readString(pids).trim()))).isFalse();
    assertThat(emulator.run(running)).get().extracting(EmulatedRun::status).isEqualTo("Stopped");
    assertThat(emulator.run(queued)).get().extracting(EmulatedRun::status).isEqualTo("Stopped");
  }
}
