package io.sluice.history;

import io.sluice.Sleeper;
import io.sluice.TaskClaims;
import io.sluice.TaskId;
import io.sluice.history.internal.ClaimBatches;
import io.sluice.history.internal.ConnectionPool;
import io.sluice.history.internal.LeaseTable;
import io.sluice.history.internal.Migrations;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once-only across machines through a shared PostgreSQL history: a task is run only under a lease
 * in {@code task_leases}, which others wait for; a heartbeat extends the leases this process
 * holds, and a lease not extended for its expiry (its process died, hung or lost the database)
 * may be taken by another process, which increments the lease's epoch. Just before committing a
 * task's outputs the engine asks whether the lease still holds: while less than half the expiry
 * has passed, by this process's monotonic clock, since the statement that last extended it was
 * sent, nobody can have taken it (the answer costs no round trip); past that, the lease is renewed
 * at the epoch it took, and a holder that was taken over fails the task instead of committing over
 * the new owner's outputs. Concurrent claims go to the database together, as one statement.
 * Statements that fail (the database restarting) are retried with backoff.
 *
 * <pre>{@code
 * try (TaskLeases leases = TaskLeases.builder(config, holder).start()) {
 *   Sluice.builder().claims(leases).build().run(task);
 * }
 * }</pre>
 */
public final class TaskLeases implements TaskClaims, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("sluice");
  private static final long FIRST_WAIT_MS = 20;
  private static final long MAX_WAIT_MS = 1_000;
  private static final long FIRST_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 2_000;
  /** The most claims of one statement: the process's workers rarely ask for more at once. */
  private static final int MAX_CLAIMS = 256;
  /** The most leases a claim takes ahead, and the most held ahead at once. */
  private static final int AHEAD = 16;
  private static final int MAX_AHEAD = 64;

  private final HistoryConfig config;
  private final LeaseHolder holder;
  private final Builder settings;
  private final ConnectionPool pool;
  /** The leases held now, by task id; what the heartbeat extends. */
  private final Map<String, Lease> held = new ConcurrentHashMap<>();
  /** Guards {@link #ahead}, {@link #claiming} and {@link #waiting}. */
  private final Object state = new Object();
  /** Leases taken ahead whose tasks have not started (also in {@link #held}, for the heartbeat). */
  private final Map<String, Lease> ahead = new HashMap<>();
  /** Tasks in a claim statement of this process that has not answered yet. */
  private final Set<String> claiming = new HashSet<>();
  /** Claims waiting for another holder's lease: while there are any, nothing is taken ahead. */
  private int waiting;
  /** How long after the sending of its last acknowledged extension a lease is trusted, in ns. */
  private final long trustNanos;
  private final ClaimBatches claims;
  private final AtomicBoolean unreachable = new AtomicBoolean();
  private final ScheduledExecutorService heartbeat;
  /** Releases wait here for the releaser thread, which ends them in batches off the workers' path. */
  private final BlockingQueue<Released> releases = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingReleases = new AtomicInteger();
  private final Thread releaser;
  private volatile boolean migrated;

  private TaskLeases(Builder builder) {
    this.config = builder.config;
    this.holder = builder.holder;
    this.settings = builder;
    this.pool = new ConnectionPool(config);
    // Half the expiry: the rest is the margin for the hosts' clocks to disagree and for the commit
    // (a rename) to be done after the answer; a heartbeat every sixth of the expiry keeps a lease
    // trusted all the time.
    this.trustNanos = builder.expiry.toNanos() / 2;
    this.claims = new ClaimBatches(this::claimAll, MAX_CLAIMS);
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-lease-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    long period = builder.heartbeat.toMillis();
    if (builder.heartbeatThread) {
      heartbeat.scheduleWithFixedDelay(this::beatQuietly, period, period, TimeUnit.MILLISECONDS);
    }
    this.releaser = new Thread(this::releaseLoop, "sluice-lease-releases");
    releaser.setDaemon(true);
    releaser.start();
  }

  /** Leases for {@code holder} in the PostgreSQL history {@code config} names. */
  public static Builder builder(HistoryConfig config, LeaseHolder holder) {
    return new Builder(config, holder);
  }

  @Override
  public Claim claim(TaskId task, Duration timeout) throws IOException, InterruptedException {
    return claim(task, timeout, max -> List.of());
  }

  /**
   * Claims {@code task}, and in the same statement up to {@value #AHEAD} of the tasks ready next
   * that nobody holds, so that their own claims find their leases here and cost no round trip. A
   * lease taken ahead is heartbeated like the others; it is given back when this process has to
   * wait for another's lease (or two processes could each wait for the leases the other took
   * ahead), when the run ends without starting its task, and it is not used once it is no longer
   * trusted (it may have been taken over): its task is claimed afresh.
   */
  @Override
  public Claim claim(TaskId task, Duration timeout, IntFunction<List<TaskId>> readyNext)
      throws IOException, InterruptedException {
    String id = task.toString();
    long deadline = saturatedAdd(settings.clock.millis(), timeout.toMillis());
    long wait = FIRST_WAIT_MS;
    boolean waited = false;
    try {
      while (true) {
        if (!waited) {
          Lease early = takeAhead(id);
          if (early != null) {
            return early;
          }
        }
        List<TaskId> next = waited ? List.of() : readyNext.apply(AHEAD);
        List<String> extras;
        synchronized (state) {
          awaitAnswer(id);
          // Taken ahead meanwhile by another worker's statement: that lease, if still trusted.
          Lease early = waited ? null : useAhead(id);
          if (early != null) {
            return early;
          }
          claiming.add(id);
          extras = waiting > 0 ? List.of() : pickAhead(id, next);
          claiming.addAll(extras);
        }
        // Taken before the statement is sent (and before its time is read): the lease is trusted
        // from this moment, earlier than the database's expiry counts, never later.
        long sent = settings.ticker.getAsLong();
        Map<String, Long> epochs = Map.of();
        Lease mine = null;
        try {
          epochs = claims.claim(id, extras, Math.max(deadline, retryDeadline()));
        } finally {
          synchronized (state) {
            // Held before it stops being "claiming": another worker's pick never sees it free.
            Long epoch = epochs.get(id);
            if (epoch != null) {
              mine = new Lease(id, epoch, waited, sent);
              held.put(id, mine);
            }
            claiming.remove(id);
            extras.forEach(claiming::remove);
            for (String other : extras) {
              Long taken = epochs.get(other);
              if (taken != null) {
                Lease lease = new Lease(other, taken, false, sent);
                held.put(other, lease);
                ahead.put(other, lease);
              }
            }
            if (waiting > 0) {
              giveBackAhead();
            }
            state.notifyAll();
          }
        }
        if (mine != null) {
          return mine;
        }
        if (!waited) {
          waited = true;
          synchronized (state) {
            waiting++;
            giveBackAhead();
          }
        }
        long left = deadline - settings.clock.millis();
        if (left <= 0) {
          return null;
        }
        settings.sleeper.sleep(Duration.ofMillis(Math.min(wait, left)));
        wait = Math.min(wait * 2, MAX_WAIT_MS);
      }
    } finally {
      if (waited) {
        synchronized (state) {
          waiting--;
        }
      }
    }
  }

  /** The lease taken ahead for {@code id}, once any statement claiming it has answered; or null. */
  private Lease takeAhead(String id) throws InterruptedException {
    synchronized (state) {
      awaitAnswer(id);
      return useAhead(id);
    }
  }

  /** Under {@code state}: waits until no statement of this process is claiming {@code id}. */
  private void awaitAnswer(String id) throws InterruptedException {
    while (claiming.contains(id)) {
      state.wait();
    }
  }

  /**
   * Under {@code state}: the lease taken ahead for {@code id} if it is still trusted. One that is
   * not (a heartbeat found it taken over, or it went unextended too long) is dropped: its task is
   * claimed afresh, never run on it.
   */
  private Lease useAhead(String id) {
    Lease early = ahead.remove(id);
    if (early == null) {
      return null;
    }
    if (early.trusted()) {
      return early;
    }
    held.remove(id, early);
    return null;
  }

  /** Under {@code state}: which of {@code next} to claim ahead with {@code id}. */
  private List<String> pickAhead(String id, List<TaskId> next) {
    int room = Math.min(AHEAD, MAX_AHEAD - ahead.size());
    List<String> extras = new ArrayList<>();
    for (int i = 0; i < next.size() && extras.size() < room; i++) {
      String other = next.get(i).toString();
      // Never one this process holds or is claiming: a second grant would move its epoch on and
      // fence out the first.
      if (!other.equals(id) && !held.containsKey(other) && !claiming.contains(other) && !extras.contains(other)) {
        extras.add(other);
      }
    }
    return extras;
  }

  /** Under {@code state}: releases every lease taken ahead and not started. */
  private void giveBackAhead() {
    for (Lease lease : ahead.values()) {
      lease.release();
    }
    ahead.clear();
  }

  /** Gives back the leases taken ahead that no task of the run used. */
  @Override
  public void runEnded() {
    synchronized (state) {
      giveBackAhead();
    }
  }

  /** Tasks whose leases were taken ahead and are not started; for tests. */
  java.util.Set<String> heldAhead() {
    synchronized (state) {
      return java.util.Set.copyOf(ahead.keySet());
    }
  }

  /** One statement for the claims of a batch (and those taken ahead), retried until the deadline while the database does not answer. */
  private Map<String, Long> claimAll(List<String> tasks, long deadline) throws IOException, InterruptedException {
    String what = tasks.size() == 1 ? "claim the lease on " + tasks.get(0)
        : "claim the leases on " + tasks.get(0) + " and " + (tasks.size() - 1) + " other tasks";
    return withRetry(what, deadline, connection -> {
      long now = settings.clock.millis();
      return LeaseTable.claimAll(connection, tasks, holder, now, now + settings.expiry.toMillis());
    });
  }

  /**
   * Extends every lease held now, in one statement; the heartbeat thread calls it, tests may too.
   * A lease the database did not extend (taken over) is no longer trusted: its commit asks the
   * database, and is refused.
   */
  void beat() throws SQLException {
    List<Lease> leases = List.copyOf(held.values());
    if (leases.isEmpty()) {
      return;
    }
    Connection connection = pool.borrow();
    try {
      long sent = settings.ticker.getAsLong();
      long now = settings.clock.millis();
      Map<String, Long> extended = LeaseTable.heartbeatAll(connection, leases.stream().map(l -> l.task).toList(),
          leases.stream().map(l -> l.epoch).toList(), now, now + settings.expiry.toMillis());
      pool.giveBack(connection);
      for (Lease lease : leases) {
        if (Long.valueOf(lease.epoch).equals(extended.get(lease.task))) {
          lease.extended(sent);
        } else {
          lease.distrust();
        }
      }
    } catch (SQLException | RuntimeException e) {
      ConnectionPool.discard(connection);
      throw e;
    }
  }

  private void beatQuietly() {
    try {
      beat();
      reachable();
    } catch (SQLException | RuntimeException e) {
      unreachable(e, "extend this process's " + held.size() + " task leases");
    }
  }

  private long retryDeadline() {
    return saturatedAdd(settings.clock.millis(), settings.retryFor.toMillis());
  }

  /** A statement on a pooled connection. */
  private interface Statement<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code statement}, retrying with backoff on a new connection until {@code deadline}. */
  private <T> T withRetry(String what, long deadline, Statement<T> statement) throws IOException, InterruptedException {
    long backoff = FIRST_RETRY_MS;
    while (true) {
      Connection connection = null;
      try {
        if (!migrated) {
          Migrations.migrate(config);
          migrated = true;
        }
        connection = pool.borrow();
        T result = statement.run(connection);
        pool.giveBack(connection);
        reachable();
        return result;
      } catch (SQLException | RuntimeException e) {
        if (connection != null) {
          ConnectionPool.discard(connection);
        }
        unreachable(e, what);
        long left = deadline - settings.clock.millis();
        if (left <= 0) {
          throw new IOException("Cannot " + what + " in the history at " + config.where() + ": " + e.getMessage()
              + " (retried until the deadline). Check that the database is up and reachable from this host.", e);
        }
        settings.sleeper.sleep(Duration.ofMillis(Math.min(backoff, left)));
        backoff = Math.min(backoff * 2, MAX_RETRY_MS);
      }
    }
  }

  private void unreachable(Exception e, String what) {
    if (unreachable.compareAndSet(false, true)) {
      LOG.warn("Task leases: cannot {} in {} ({}); retrying with backoff", what, config.where(), e.getMessage());
    }
  }

  private void reachable() {
    if (unreachable.get() && unreachable.compareAndSet(true, false)) {
      LOG.warn("Task leases: the history at {} answers again", config.where());
    }
  }

  /** A release on its way to the database. */
  private record Released(String task, long epoch) {}

  private static final Released STOP = new Released("", -1);
  private static final int MAX_RELEASES = 1_000;
  private static final long RELEASE_LINGER_MS = 50;

  private void releaseLoop() {
    List<Released> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(releases.take());
      } catch (InterruptedException e) {
        return;
      }
      try {
        gather(batch);
      } catch (InterruptedException e) {
        return;
      }
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        List<String> tasks = batch.stream().map(Released::task).toList();
        List<Long> epochs = batch.stream().map(Released::epoch).toList();
        try {
          // Past the expiry a release is moot: the lease has ended by itself.
          withRetry("release " + tasks.size() + " task leases",
              saturatedAdd(settings.clock.millis(), settings.expiry.toMillis()), connection -> {
                LeaseTable.releaseAll(connection, tasks, epochs);
                return null;
              });
        } catch (IOException e) {
          LOG.warn("Task leases: {}; they end by themselves {} s after their last heartbeat", e.getMessage(),
              settings.expiry.toSeconds());
        } catch (InterruptedException e) {
          return;
        } finally {
          pendingReleases.addAndGet(-batch.size());
          batch.clear();
        }
      }
      if (stop) {
        return;
      }
    }
  }

  /**
   * Adds the releases that come within {@link #RELEASE_LINGER_MS} of the first (or until the batch
   * is full, or closing): tasks end one by one, and one statement for many of them costs the
   * database far less than one each; a waiter elsewhere sees the task free that much later.
   */
  private void gather(List<Released> batch) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_LINGER_MS);
    while (batch.size() < MAX_RELEASES && batch.get(batch.size() - 1) != STOP) {
      long left = end - System.nanoTime();
      Released next = left > 0 ? releases.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        break;
      }
      batch.add(next);
      releases.drainTo(batch, MAX_RELEASES - batch.size());
      if (batch.contains(STOP)) {
        break;
      }
    }
  }

  /** Waits (at most 10 s) until every release so far has reached the database; for tests. */
  void awaitReleases() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pendingReleases.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /**
   * Sends the releases still queued (waiting at most 10 s, as the history's last writes do: an
   * unreleased lease only ends at its expiry), stops the heartbeat and closes the connections.
   */
  @Override
  public void close() {
    runEnded();
    releases.add(STOP);
    try {
      releaser.join(Math.min(settings.expiry.toMillis(), 10_000) + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    releaser.interrupt();
    heartbeat.shutdownNow();
    pool.close();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** A lease taken at one epoch. */
  private final class Lease implements Claim {
    private final String task;
    private final long epoch;
    private final boolean waited;
    /** The ticker's time until which nobody can have taken the lease; guarded by this. */
    private long trustedUntil;
    /** The database did not extend it: taken over; guarded by this. */
    private boolean distrusted;

    Lease(String task, long epoch, boolean waited, long sent) {
      this.task = task;
      this.epoch = epoch;
      this.waited = waited;
      this.trustedUntil = sent + trustNanos;
    }

    /** A statement sent at {@code sent} (ticker time) extended the lease. */
    synchronized void extended(long sent) {
      if (sent + trustNanos - trustedUntil > 0) {
        trustedUntil = sent + trustNanos;
      }
    }

    synchronized void distrust() {
      distrusted = true;
    }

    synchronized boolean trusted() {
      return !distrusted && settings.ticker.getAsLong() - trustedUntil < 0;
    }

    @Override
    public boolean waited() {
      return waited;
    }

    /**
     * Trusted (extended less than half an expiry ago): holds, no round trip. Otherwise renews the
     * lease at its epoch: afterwards nobody can take it for a whole expiry, time enough to commit.
     */
    @Override
    public void checkStillOwned() throws IOException, InterruptedException {
      if (trusted()) {
        return;
      }
      long sent = settings.ticker.getAsLong();
      String owner = withRetry("confirm the lease on " + task, retryDeadline(), connection -> {
        long now = settings.clock.millis();
        if (LeaseTable.renew(connection, task, epoch, now, now + settings.expiry.toMillis())) {
          return null;
        }
        return LeaseTable.describeOwner(connection, task, now);
      });
      if (owner == null) {
        extended(sent);
      } else {
        distrust();
        held.remove(task, this);
        throw new IOException("the lease on " + task + " was taken over by " + owner + " after this process's"
            + " lease (" + holder + ", epoch " + epoch + ") went " + settings.expiry.toSeconds() + " s without a"
            + " heartbeat (paused, overloaded or cut off from the database); its outputs are not committed, the"
            + " new owner's stand");
      }
    }

    /** Queued: a waiter sees the task free a moment later, the worker goes on at once. */
    @Override
    public void release() {
      held.remove(task, this);
      pendingReleases.incrementAndGet();
      releases.add(new Released(task, epoch));
    }
  }

  /** Configures {@link TaskLeases}. Defaults: expiry 60 s, heartbeat 10 s, database retries for 10 min. */
  public static final class Builder {
    private final HistoryConfig config;
    private final LeaseHolder holder;
    private Duration expiry = Duration.ofSeconds(60);
    private Duration heartbeat = Duration.ofSeconds(10);
    private Duration retryFor = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Sleeper sleeper = Sleeper.system();
    private boolean heartbeatThread = true;

    private Builder(HistoryConfig config, LeaseHolder holder) {
      this.config = Objects.requireNonNull(config, "config");
      this.holder = Objects.requireNonNull(holder, "holder");
      if (config.sqlite()) {
        throw new IllegalArgumentException("Task leases need a shared PostgreSQL history, not " + config.where()
            + "; with SQLite the file locks under the state directory keep tasks once-only");
      }
    }

    /** How long a lease lasts without a heartbeat before another process may take the task. */
    public Builder expiry(Duration expiry) {
      this.expiry = positive("lease expiry", expiry);
      return this;
    }

    /** How often the leases held are extended; well under the expiry. */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = positive("lease heartbeat", heartbeat);
      return this;
    }

    /** How long a statement is retried while the database does not answer (a restart). */
    public Builder retryFor(Duration retryFor) {
      this.retryFor = positive("lease retry time", retryFor);
      return this;
    }

    /** The time of heartbeats and expiries: the hosts sharing a history must agree on it within seconds. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * This process's monotonic clock in nanoseconds ({@code System::nanoTime}), which keeps
     * counting while the process is paused: how long a lease is trusted without asking the database.
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** What waits between polls and retries. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** No heartbeat on a timer: a test on an injected clock calls {@link #beat()} when it wants one. */
    Builder withoutHeartbeatThread() {
      this.heartbeatThread = false;
      return this;
    }

    /** Starts the heartbeat; the schema is brought to the latest version on the first claim. */
    public TaskLeases start() {
      if (heartbeat.compareTo(expiry) >= 0) {
        throw new IllegalArgumentException("The lease heartbeat (" + heartbeat.toSeconds() + " s) must be shorter"
            + " than the lease expiry (" + expiry.toSeconds() + " s), or leases lapse while their tasks run;"
            + " a heartbeat of a sixth of the expiry is the default");
      }
      return new TaskLeases(this);
    }

    private static Duration positive(String what, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("The " + what + " is " + value + "; it must be more than zero");
      }
      return value;
    }
  }
}
