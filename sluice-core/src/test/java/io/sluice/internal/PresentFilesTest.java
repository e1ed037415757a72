package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresentFilesTest {

  @Test
  void aDirectoryAskedForManyFilesIsListedOnceAndNamesItLacksAreAskedForAgain(@TempDir Path dir) throws Exception {
    for (int i = 0; i < PresentFiles.LIST_FROM + 10; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
    }
    PresentFiles present = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      assertThat(present.exists(dir.resolve("part-" + i))).isTrue();
    }

    // Listed by now: a file deleted since is still counted, one created since is found.
    Files.delete(dir.resolve("part-" + (PresentFiles.LIST_FROM + 1)));
    Files.writeString(dir.resolve("late"), "x");

    assertThat(present.exists(dir.resolve("part-" + (PresentFiles.LIST_FROM + 1)))).isTrue();
    assertThat(present.exists(dir.resolve("part-" + (PresentFiles.LIST_FROM + 2)))).isTrue();
    assertThat(present.exists(dir.resolve("late"))).isTrue();
    assertThat(present.exists(dir.resolve("never-made"))).isFalse();
  }

  @Test
  void theFirstGraphsChecksTakeAListingsWordForTheNamesItLacksAndOtherChecksAskAgain(@TempDir Path dir)
      throws Exception {
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
    }
    PresentFiles firstGraph = PresentFiles.ofFirstGraph();
    PresentFiles later = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      assertThat(firstGraph.exists(dir.resolve("part-" + i))).isTrue();
      assertThat(later.exists(dir.resolve("part-" + i))).isTrue();
    }

    // Listed by now: a file written after the listing is as missing as it was at that moment.
    Files.writeString(dir.resolve("late"), "x");

    assertThat(firstGraph.exists(dir.resolve("late"))).isFalse();
    assertThat(firstGraph.exists(dir.resolve("part-1"))).isTrue();
    assertThat(later.exists(dir.resolve("late"))).as("checks made while tasks write").isTrue();
  }

  @Test
  void theFirstGraphsChecksFindNothingInADirectoryThatDidNotExistWhenListedAndOtherChecksAskAgain(
      @TempDir Path root) throws Exception {
    Path dir = root.resolve("out");
    PresentFiles firstGraph = PresentFiles.ofFirstGraph();
    PresentFiles later = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      assertThat(firstGraph.exists(dir.resolve("part-" + i))).isFalse();
      assertThat(later.exists(dir.resolve("part-" + i))).isFalse();
    }

    Files.createDirectories(dir);
    Files.writeString(dir.resolve("part-" + PresentFiles.LIST_FROM), "x");

    assertThat(firstGraph.exists(dir.resolve("part-" + PresentFiles.LIST_FROM))).isFalse();
    assertThat(later.exists(dir.resolve("part-" + PresentFiles.LIST_FROM))).isTrue();
  }

  /** Files of {@code dir}, written longer ago than a change time's margin before a listing. */
  private static void writeSettled(Path dir, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
    }
    Thread.sleep(150);  // the file system's clock, not the test's: its stamps cannot be injected
  }

  private static PresentFiles listed(Path dir) {
    PresentFiles present = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      assertThat(present.exists(dir.resolve("part-" + i))).isTrue();
    }
    assertThat(present.listings()).isEqualTo(1);
    return present;
  }

  @Test
  void laterChecksTakeTheListingOfADirectoryUnchangedSinceInsteadOfListingItAgain(@TempDir Path dir) throws Exception {
    writeSettled(dir, PresentFiles.LIST_FROM + 10);
    PresentFiles earlier = listed(dir);

    PresentFiles later = new PresentFiles(earlier);

    for (int i = 0; i < PresentFiles.LIST_FROM + 10; i++) {
      assertThat(later.exists(dir.resolve("part-" + i))).isTrue();
    }
    assertThat(later.exists(dir.resolve("never-made"))).isFalse();
    assertThat(later.listings()).isZero();
  }

  @Test
  void laterChecksFindAFileDeletedSinceTheEarlierListingMissing(@TempDir Path dir) throws Exception {
    writeSettled(dir, PresentFiles.LIST_FROM + 10);
    PresentFiles earlier = listed(dir);
    Files.delete(dir.resolve("part-3"));

    PresentFiles later = new PresentFiles(earlier);

    for (int i = 0; i < PresentFiles.LIST_FROM + 10; i++) {
      assertThat(later.exists(dir.resolve("part-" + i))).as("part-" + i).isEqualTo(i != 3);
    }
    assertThat(later.listings()).isEqualTo(1);
    assertThat(earlier.exists(dir.resolve("part-3"))).as("the earlier listing, as documented").isTrue();
  }

  @Test
  void aFileFoundInAnEarlierListingIsStillListedByLaterChecksOnlyWhileItsDirectoryIsUnchanged(@TempDir Path dir)
      throws Exception {
    writeSettled(dir, PresentFiles.LIST_FROM + 10);
    PresentFiles earlier = listed(dir);
    Object first = earlier.where(dir.resolve("part-" + (PresentFiles.LIST_FROM + 1)));
    Object third = earlier.where(dir.resolve("part-3"));
    Files.writeString(dir.resolve("late"), "x");
    Object late = earlier.where(dir.resolve("late"));

    assertThat(late).as("found by asking, not in the listing").isSameAs(PresentFiles.ASKED);
    assertThat(new PresentFiles(earlier).stillListed(late)).isFalse();
    assertThat(new PresentFiles(earlier).stillListed(null)).isFalse();
    // "late" changed the directory since its listing: no later checks take it.
    assertThat(new PresentFiles(earlier).stillListed(first)).isFalse();

    PresentFiles settled = listedAfterSettling(dir);
    Object found = settled.where(dir.resolve("part-3"));
    assertThat(new PresentFiles(settled).stillListed(found)).isTrue();
    assertThat(new PresentFiles(settled).stillListed(third)).as("another build's listing").isFalse();
    Files.delete(dir.resolve("part-3"));
    assertThat(new PresentFiles(settled).stillListed(found)).isFalse();
  }

  private static PresentFiles listedAfterSettling(Path dir) throws Exception {
    Thread.sleep(150);
    return listed(dir);
  }

  @Test
  void aDirectoryChangedJustBeforeItWasListedIsListedAgainByLaterChecks(@TempDir Path dir) throws Exception {
    // Its change time may be that of a deletion after the listing within the same tick of the clock.
    for (int i = 0; i < PresentFiles.LIST_FROM + 10; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
    }
    PresentFiles earlier = listed(dir);

    PresentFiles later = new PresentFiles(earlier);

    for (int i = 0; i < PresentFiles.LIST_FROM + 10; i++) {
      assertThat(later.exists(dir.resolve("part-" + i))).isTrue();
    }
    assertThat(later.listings()).isEqualTo(1);
  }

  @Test
  void fewFilesOfADirectoryAreEachAskedForWithoutListingIt(@TempDir Path dir) throws Exception {
    Path kept = Files.writeString(dir.resolve("kept"), "x");
    Path deleted = Files.writeString(dir.resolve("deleted"), "x");
    PresentFiles present = new PresentFiles();
    assertThat(present.exists(deleted)).isTrue();

    Files.delete(deleted);

    assertThat(present.exists(kept)).isTrue();
    assertThat(present.exists(deleted)).isFalse();
  }

  @Test
  void itsListingsSweepDeadProcessesLeftoversSoThatTheRunDoesNotListThoseDirectoriesAgain(@TempDir Path dir)
      throws Exception {
    long deadPid = Integer.MAX_VALUE;  // above every pid_max: no process has it
    Path listedLeftover = Files.writeString(dir.resolve(TempFiles.name("part-1", deadPid, TempFiles.host(), 1)), "x");
    PresentFiles present = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      present.exists(dir.resolve("part-" + i));
    }
    Path laterLeftover = Files.writeString(dir.resolve(TempFiles.name("part-2", deadPid, TempFiles.host(), 2)), "x");
    Leftovers leftovers = Leftovers.forRun();

    present.sweepListed(leftovers);
    leftovers.sweep(OutputTransaction.key(dir));  // as the task's write does: swept already

    assertThat(listedLeftover).doesNotExist();
    assertThat(laterLeftover).as("not in the listing, and the directory is not listed again").exists();
  }

  @Test
  void namesOfAnyLengthAndCharactersAreFoundInTheListingAndNamesThatDifferOnlyInLengthAreNot(@TempDir Path dir)
      throws Exception {
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
    }
    java.util.List<String> names = java.util.List.of("données-été", "日本語", "a", "x".repeat(200), ".hidden");
    for (String name : names) {
      Files.writeString(dir.resolve(name), "x");
    }
    PresentFiles present = new PresentFiles();
    for (int i = 0; i < PresentFiles.LIST_FROM; i++) {
      present.exists(dir.resolve("part-" + i));
    }
    assertThat(present.listings()).isEqualTo(1);

    for (String name : names) {
      assertThat(present.exists(dir.resolve(name))).as(name).isTrue();
    }
    assertThat(present.exists(dir.resolve("données-ét"))).isFalse();
    assertThat(present.exists(dir.resolve("part-1x"))).isFalse();
    assertThat(present.exists(dir.resolve("x".repeat(199)))).isFalse();
  }

  @Test
  void aMissingDirectoryHasNoFiles(@TempDir Path dir) {
    PresentFiles present = new PresentFiles();

    for (int i = 0; i < PresentFiles.LIST_FROM + 2; i++) {
      assertThat(present.exists(dir.resolve("gone/part-" + i))).isFalse();
    }
  }

  @Test
  void filesOfTwoListedDirectoriesAskedForInTurnAreEachFoundInTheirOwnDirectoryOnly(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectory(root.resolve("out"));
    Path longer = Files.createDirectory(root.resolve("out2"));
    int count = PresentFiles.LIST_FROM + 100;
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve("part-" + i), "x");
      if (i % 2 == 0) {
        Files.writeString(longer.resolve("part-" + i), "x");
      }
    }
    PresentFiles present = new PresentFiles();

    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < count; i++) {
        assertThat(present.exists(dir.resolve("part-" + i))).isTrue();
        assertThat(present.exists(longer.resolve("part-" + i))).as("out2/part-" + i).isEqualTo(i % 2 == 0);
        assertThat(present.exists(dir.resolve("part-" + i + "0" + count))).isFalse();
      }
    }
  }
}
