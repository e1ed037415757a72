package pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.ExitCode;
import io.sluice.RunResult;
import io.sluice.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountWordsTest {

  @Test
  void wordsAreSeparatedByAnyWhiteSpace() {
    assertEquals(5, CountWords.count(List.of("  one two\tthree ", "", "four  five")));
  }

  @Test
  void writeTextWritesItsFileAndIsThenComplete(@TempDir Path dir) throws Exception {
    WriteText task = new WriteText(dir.resolve("text.txt").toString());
    Sluice sluice = Sluice.builder().stateDir(dir.resolve(".sluice")).build();

    RunResult result = sluice.run(task);

    assertEquals(ExitCode.SUCCESS, result.exitCode());
    assertEquals(10, CountWords.count(Files.readAllLines(dir.resolve("text.txt"))));
    assertEquals(ExitCode.SUCCESS, sluice.run(task).exitCode());
  }
}
