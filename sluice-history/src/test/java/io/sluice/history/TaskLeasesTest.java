package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.TaskClaims;
import io.sluice.TaskId;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases on tasks in a shared PostgreSQL history, two holders standing for two machines on one
 * injected clock: one holder at a time, taken over only past the expiry, and the fence that keeps
 * a holder that was taken over from confirming its lease.
 */
class TaskLeasesTest {

  private static final TaskId TASK = new TaskId("Train", java.util.Map.of("seed", 1));
  private static final Duration EXPIRY = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  private final FakeTime time = new FakeTime();
  private HistoryConfig config;
  private TaskLeases first;
  private TaskLeases second;

  @BeforeEach
  void setUp() throws Exception {
    config = TestDatabases.POSTGRES.create(dir);
    first = leases("run-a", "host-a");
    second = leases("run-b", "host-b");
  }

  @AfterEach
  void tearDown() {
    first.close();
    second.close();
  }

  private TaskLeases leases(String run, String host) {
    return TaskLeases.builder(config, new LeaseHolder(run, host, 42)).expiry(EXPIRY).heartbeat(Duration.ofSeconds(1))
        .retryFor(Duration.ofSeconds(3)).clock(time).ticker(time::nanos).sleeper(time).withoutHeartbeatThread().start();
  }

  @Test
  void aLeasedTaskIsNotClaimedByAnotherHolderUntilItIsReleased() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);

    assertThat(second.claim(TASK, Duration.ofSeconds(2))).isNull();

    held.release();
    first.awaitReleases();
    TaskClaims.Claim next = second.claim(TASK, Duration.ZERO);
    assertThat(next).isNotNull();
    next.checkStillOwned();
  }

  @Test
  void aHolderWaitingForAReleaseGetsTheLeaseAndSaysItWaited() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    time.onSleep(() -> {
      held.release();
      try {
        first.awaitReleases();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    TaskClaims.Claim next = second.claim(TASK, Duration.ofSeconds(30));

    assertThat(next).isNotNull();
    assertThat(next.waited()).isTrue();
    assertThat(held.waited()).isFalse();
  }

  @Test
  void aLeaseNotExtendedForItsExpiryIsTakenOverAndItsFormerHolderCannotConfirmIt() throws Exception {
    TaskClaims.Claim stale = first.claim(TASK, Duration.ZERO);
    time.sleep(EXPIRY.plusSeconds(1));

    TaskClaims.Claim taken = second.claim(TASK, Duration.ZERO);

    assertThat(taken).isNotNull();
    assertThatThrownBy(stale::checkStillOwned).isInstanceOf(IOException.class)
        .hasMessageContaining("the lease on Train(seed=1) was taken over by run run-b on host-b (pid 42) at epoch 2")
        .hasMessageContaining("run run-a on host-a (pid 42), epoch 1")
        .hasMessageContaining("its outputs are not committed");
    taken.checkStillOwned();
    // The former holder's release leaves the new owner's lease alone.
    stale.release();
    first.awaitReleases();
    assertThat(leases("run-c", "host-c").claim(TASK, Duration.ZERO)).isNull();
  }

  @Test
  void theHeartbeatKeepsALeaseFromBeingTakenOver() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    time.sleep(Duration.ofSeconds(4));
    first.beat();
    time.sleep(Duration.ofSeconds(4));

    assertThat(second.claim(TASK, Duration.ZERO)).isNull();
    held.checkStillOwned();
  }

  @Test
  void confirmingALeaseExtendsItForAWholeExpirySoTheCommitCannotBeOvertaken() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    time.sleep(Duration.ofSeconds(4));
    held.checkStillOwned();
    time.sleep(Duration.ofSeconds(4));

    assertThat(second.claim(TASK, Duration.ZERO)).isNull();
  }

  @Test
  void aLeaseExtendedLessThanHalfAnExpiryAgoIsConfirmedWithoutTheDatabaseAndPastThatOnlyByIt() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    // A takeover that the rules make impossible this early (hosts' clocks agreeing): it shows
    // which confirmations ask the database.
    moveEpochBehindTheHoldersBack();

    time.sleep(Duration.ofMillis(2_400));
    held.checkStillOwned();

    time.sleep(Duration.ofMillis(200));
    assertThatThrownBy(held::checkStillOwned).isInstanceOf(IOException.class)
        .hasMessageContaining("the lease on Train(seed=1) was taken over by run run-z on host-z (pid 7) at epoch 2");
  }

  @Test
  void aHeartbeatThatFindsALeaseTakenOverStopsTrustingItSoItsCommitIsRefusedAtOnce() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    moveEpochBehindTheHoldersBack();

    first.beat();

    assertThatThrownBy(held::checkStillOwned).isInstanceOf(IOException.class)
        .hasMessageContaining("taken over by run run-z on host-z (pid 7) at epoch 2");
  }

  @Test
  void aHeartbeatKeepsALeaseTrustedFromTheTimeItWasSent() throws Exception {
    TaskClaims.Claim held = first.claim(TASK, Duration.ZERO);
    time.sleep(Duration.ofSeconds(2));
    first.beat();
    moveEpochBehindTheHoldersBack();

    time.sleep(Duration.ofMillis(2_400));
    held.checkStillOwned();
    time.sleep(Duration.ofMillis(200));
    assertThatThrownBy(held::checkStillOwned).isInstanceOf(IOException.class);
  }

  @Test
  void claimsOfManyThreadsAtOnceAreEachGrantedOnceWithTheirOwnEpochs() throws Exception {
    int threads = 16;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<TaskClaims.Claim>> claims = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        TaskId task = new TaskId("Piece", java.util.Map.of("i", i % 100));
        TaskLeases leases = i < 100 ? first : second;
        claims.add(pool.submit(() -> leases.claim(task, Duration.ZERO)));
      }
      long granted = 0;
      for (java.util.concurrent.Future<TaskClaims.Claim> claim : claims) {
        if (claim.get() != null) {
          granted++;
        }
      }
      assertThat(granted).isEqualTo(100);
      assertThat(count("SELECT count(*) FROM task_leases WHERE epoch = 1")).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClaimWhileTheDatabaseIsUnreachableIsRetriedThenFailsSayingWhereAndWhatToDo() throws Exception {
    HistoryConfig nowhere = new HistoryConfig("jdbc:postgresql://127.0.0.1:9/sluice?user=u&password=secret", null, null);
    try (TaskLeases leases = TaskLeases.builder(nowhere, new LeaseHolder("run-a", "host-a", 1)).expiry(EXPIRY)
        .heartbeat(Duration.ofSeconds(1)).retryFor(Duration.ofSeconds(3)).clock(time).ticker(time::nanos).sleeper(time)
        .start()) {
      assertThatThrownBy(() -> leases.claim(TASK, Duration.ZERO)).isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot claim the lease on Train(seed=1) in the history at"
              + " jdbc:postgresql://127.0.0.1:9/sluice?user=u&password=***")
          .hasMessageContaining("Check that the database is up");
    }
    assertThat(time.sleeps()).isGreaterThan(2);
  }

  @Test
  void leasesRefuseASqliteHistoryAndAHeartbeatNotShorterThanTheExpiry() {
    assertThatThrownBy(() -> TaskLeases.builder(HistoryConfig.sqlite(dir), new LeaseHolder("r", "h", 1)))
        .hasMessageContaining("need a shared PostgreSQL history");
    assertThatThrownBy(() -> TaskLeases.builder(config, new LeaseHolder("r", "h", 1)).expiry(Duration.ofSeconds(5))
        .heartbeat(Duration.ofSeconds(5)).start())
        .hasMessageContaining("must be shorter than the lease expiry");
  }

  private static TaskId piece(int i) {
    return new TaskId("Piece", java.util.Map.of("i", i));
  }

  /** The engine's tasks ready next, as it would give them. */
  private static java.util.function.IntFunction<List<TaskId>> readyNext(TaskId... tasks) {
    return max -> List.of(tasks).subList(0, Math.min(max, tasks.length));
  }

  @Test
  void aClaimTakesTheLeasesOfTheTasksReadyNextAheadAndTheirClaimsUseThem() throws Exception {
    TaskClaims.Claim one = first.claim(piece(1), Duration.ZERO, readyNext(piece(2), piece(3)));

    assertThat(one).isNotNull();
    assertThat(first.heldAhead()).containsExactlyInAnyOrder(piece(2).toString(), piece(3).toString());
    assertThat(second.claim(piece(2), Duration.ZERO)).isNull();
    TaskClaims.Claim two = first.claim(piece(2), Duration.ZERO, readyNext(piece(3)));
    assertThat(two).isNotNull();
    assertThat(first.heldAhead()).containsExactly(piece(3).toString());
    assertThat(count("SELECT count(*) FROM task_leases WHERE epoch = 1")).isEqualTo(3);
    two.checkStillOwned();
  }

  @Test
  void aTaskThisProcessHoldsIsNeverClaimedAheadAgainSoItsEpochStays() throws Exception {
    TaskClaims.Claim one = first.claim(piece(1), Duration.ZERO);
    first.claim(piece(2), Duration.ZERO, readyNext(piece(1), piece(3)));
    moveEpochBehindTheHoldersBack();  // every epoch + 1: a second grant of piece 1 would show as 3

    assertThat(first.heldAhead()).containsExactly(piece(3).toString());
    assertThat(count("SELECT max(epoch) FROM task_leases")).isEqualTo(2);
    assertThat(one).isNotNull();
  }

  @Test
  void leasesTakenAheadAreHeartbeatedLikeTheOthers() throws Exception {
    first.claim(piece(1), Duration.ZERO, readyNext(piece(2)));
    time.sleep(Duration.ofSeconds(4));
    first.beat();
    time.sleep(Duration.ofSeconds(4));

    assertThat(second.claim(piece(2), Duration.ZERO)).isNull();
    assertThat(first.claim(piece(2), Duration.ZERO)).isNotNull();
  }

  @Test
  void aProcessThatMustWaitGivesBackTheLeasesItTookAheadSoTwoProcessesNeverWaitForEachOther() throws Exception {
    first.claim(piece(1), Duration.ZERO, readyNext(piece(10)));
    second.claim(piece(2), Duration.ZERO, readyNext(piece(20)));

    // Each now needs the task the other took ahead: whoever finds it held gives back its own.
    assertThat(first.claim(piece(20), Duration.ZERO)).isNull();
    first.awaitReleases();

    assertThat(first.heldAhead()).isEmpty();
    assertThat(second.claim(piece(10), Duration.ZERO)).isNotNull();
  }

  @Test
  void nothingIsTakenAheadWhileAClaimOfThisProcessWaitsForAnother() throws Exception {
    second.claim(piece(1), Duration.ZERO);
    java.util.concurrent.atomic.AtomicReference<TaskClaims.Claim> during = new java.util.concurrent.atomic.AtomicReference<>();
    time.onSleep(() -> {
      if (during.get() == null) {
        try {
          during.set(first.claim(piece(2), Duration.ZERO, readyNext(piece(3))));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });

    assertThat(first.claim(piece(1), Duration.ofSeconds(1))).isNull();

    assertThat(during.get()).isNotNull();
    assertThat(first.heldAhead()).isEmpty();
    assertThat(second.claim(piece(3), Duration.ZERO)).isNotNull();
  }

  @Test
  void leasesTakenAheadAndNotStartedAreGivenBackWhenTheRunEnds() throws Exception {
    first.claim(piece(1), Duration.ZERO, readyNext(piece(2)));

    first.runEnded();
    first.awaitReleases();

    assertThat(first.heldAhead()).isEmpty();
    assertThat(second.claim(piece(2), Duration.ZERO)).isNotNull();
    assertThat(second.claim(piece(1), Duration.ZERO)).isNull();
  }

  @Test
  void aTaskWhoseLeaseTakenAheadWasTakenOverIsNotRunWithoutAFreshClaim() throws Exception {
    first.claim(piece(1), Duration.ZERO, readyNext(piece(2)));
    time.sleep(EXPIRY.plusSeconds(1));
    assertThat(second.claim(piece(2), Duration.ZERO)).isNotNull();

    assertThat(first.claim(piece(2), Duration.ZERO)).isNull();
  }

  @Test
  void aLeaseTakenAheadThatAHeartbeatFoundTakenOverIsNotUsedEvenWhileRecent() throws Exception {
    first.claim(piece(1), Duration.ZERO, readyNext(piece(2)));
    moveEpochBehindTheHoldersBack();
    first.beat();

    assertThat(first.claim(piece(2), Duration.ZERO)).isNull();
  }

  /** Another holder takes the lease behind the first's back (epoch 2), as a takeover would. */
  private void moveEpochBehindTheHoldersBack() throws Exception {
    try (Connection connection = DriverManager.getConnection(config.url());
        Statement sql = connection.createStatement()) {
      sql.executeUpdate("UPDATE task_leases SET epoch = epoch + 1, owner_run = 'run-z', host = 'host-z', pid = 7");
    }
  }

  private long count(String query) throws Exception {
    try (Connection connection = DriverManager.getConnection(config.url());
        Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
