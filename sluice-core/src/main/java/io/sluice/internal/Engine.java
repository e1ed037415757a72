package io.sluice.internal;

import io.sluice.ExitCode;
import io.sluice.RemoteRunDetails;
import io.sluice.RunResult;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Executes a graph with N worker threads around a {@link Scheduler}: each worker takes the next
 * task from it, runs it ({@link Attempts}) outside the lock, and reports the outcome, so a
 * chain runs without hand-offs. Listeners hear about it after the lock is let go. A task that
 * waits for dynamic dependencies ({@link DynamicRequirements}) lends its slot to a stand-in
 * worker; a task abandoned past its timeout leaves its slot to a replacement.
 */
public final class Engine {

  /** How long a worker with nothing to do watches for a change before it sleeps until woken. */
  private static final long WATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private final EngineSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Counts the signals of changed, so that a worker with nothing to do can watch for the next
  // one for a moment without being a waiter of the condition (see awaitChange).
  private volatile long changes;
  // The thread awaiting the end waits apart, so that each finished task does not wake it.
  private final Condition ended = lock.newCondition();
  private final Scheduler scheduler;
  private final Events events;
  private final Set<String> warnedFamilies = new HashSet<>();
  private final RunOutputs runOutputs = new RunOutputs();
  private final SharedObjects shared;
  private GraphBuilder builder;
  private Staleness staleness;
  private TaskLocks locks;
  // The limits of [resources] kept with the other runs of the project (see SharedResources).
  private SharedResources sharedResources;
  private OtherProcesses others = OtherProcesses.unknown();
  private boolean joinLate;
  private ScheduledExecutorService timer;
  private DynamicRequirements dynamic;
  private final Ahead ahead;
  private int active;
  // Workers started (stand-ins apart), and how many the system allowed: see startWorkers.
  private int workersStarted;
  private int workerLimit = Integer.MAX_VALUE;
  private boolean workersMayStart;
  private volatile boolean cancelled;

  public Engine(EngineSettings settings) {
    this.settings = settings;
    this.events = new Events(settings.listeners(), settings.clock());
    this.scheduler = new Scheduler(settings.resourceLimits());
    this.shared = new SharedObjects(settings.projectSettings());
    // A claim across machines is taken with each lock: not ahead. One worker has nobody to help it.
    this.ahead = new Ahead(settings.claims() == io.sluice.TaskClaims.none() && settings.workers() > 1);
  }

  /** Builds the graph of the roots; for {@code deps}, {@code graph} and dry runs. */
  public static Graph plan(List<? extends Task> roots, EngineSettings settings, boolean expandAll)
      throws InterruptedException {
    try (Staleness staleness = new Staleness(settings, FingerprintJournal.Others.alone(() -> false));
        GraphBuilder builder = new GraphBuilder(settings, expandAll || !settings.forceFamilies().isEmpty(),
            settings.force() ? rootIds(roots) : Set.of(), staleness)) {
      List<Node> rootNodes = builder.addAndWait(roots);
      if (settings.force()) {
        rootNodes.forEach(n -> n.forced = true);
      }
      return new Graph(rootNodes, builder.nodes(), settings.forceFamilies());
    }
  }

  /** The ids of the roots to force; a root whose id() throws is left out, its node fails instead. */
  private static Set<TaskId> rootIds(List<? extends Task> roots) {
    Set<TaskId> ids = new HashSet<>();
    for (Task root : roots) {
      try {
        ids.add(root.id());
      } catch (SchedulingException e) {
        throw e;
      } catch (Throwable e) {
        // GraphBuilder gives it an unidentified node that fails with this error.
      }
    }
    return ids;
  }

  /** Stops the run: nothing new starts, running tasks are interrupted. */
  public void cancel() {
    cancelled = true;
    lock.lock();
    try {
      scheduler.cancel();
      postFinalized();
      for (Node node : scheduler.scheduled()) {
        if (node.status == TaskStatus.RUNNING && node.thread != null) {
          node.thread.interrupt();
        }
      }
      signalChanged();
    } finally {
      lock.unlock();
    }
    events.deliver();
  }

  /** Runs the roots and everything they need that is not complete. */
  public RunResult run(List<? extends Task> roots) {
    Instant start = settings.clock().instant();
    Graph graph;
    // Before the graph is built, so that a run that worked on the project meanwhile is seen;
    // in a project without the file, only once there is something to run (see execute).
    boolean mayJoin = !settings.dryRun() && settings.claims() == io.sluice.TaskClaims.none();
    if (mayJoin && java.nio.file.Files.exists(settings.stateDir().resolve("runs"))) {
      others = OtherProcesses.join(settings.stateDir().resolve("runs"));
    } else if (mayJoin) {
      joinLate = true;
    }
    try {
      staleness = new Staleness(settings, FingerprintJournal.Others.current(() -> others));
      builder = new GraphBuilder(settings, !settings.forceFamilies().isEmpty(),
          settings.force() ? rootIds(roots) : Set.of(), staleness);
    } catch (SchedulingException e) {
      shared.close();
      others.close();
      if (staleness != null) {
        staleness.close();
      }
      return RunResult.schedulingError(e.getMessage());
    }
    dynamic = new DynamicRequirements(this, builder);
    try {
      List<Node> rootNodes = builder.addAndWait(roots);
      if (settings.force()) {
        rootNodes.forEach(n -> n.forced = true);
      }
      graph = new Graph(rootNodes, builder.nodes(), settings.forceFamilies());
      readDeclarations(graph.nodesToRun());
      if (!settings.dryRun()) {
        checkBeforeRun(graph.nodesToRun());
      }
    } catch (SchedulingException e) {
      builder.close();
      others.close();
      shared.close();
      staleness.close();
      return RunResult.schedulingError(e.getMessage());
    } catch (RuntimeException | Error e) {
      // Whatever a task throws is that task's failure; reaching here is a bug of the engine, and
      // still must not escape the run.
      builder.close();
      others.close();
      shared.close();
      staleness.close();
      return RunResult.schedulingError("the graph could not be built: " + GraphBuilder.describe(e));
    } catch (InterruptedException e) {
      builder.close();
      others.close();
      shared.close();
      staleness.close();
      Thread.currentThread().interrupt();
      return RunResult.schedulingError("interrupted while building the graph");
    }
    try {
      return execute(graph, start);
    } finally {
      try {
        settings.claims().runEnded();
      } catch (RuntimeException e) {
        // Claims taken ahead and not given back end at their expiry; the run's result stands.
        org.slf4j.LoggerFactory.getLogger(Engine.class).warn("Giving back the claims taken ahead failed: {}", e.toString());
      }
      shared.close();
      builder.close();
      staleness.close();
      runOutputs.close();
      others.close();
      List<Runnable> releases;
      lock.lock();
      try {
        // A worker still taking locks ahead (the run was cancelled meanwhile) makes temporary
        // files that only the drain below removes: it is done in a few system calls.
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ahead.performing() && System.nanoTime() < waitUntil) {
          changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        releases = ahead.drain();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        releases = ahead.drain();
      } finally {
        lock.unlock();
      }
      releases.forEach(Runnable::run);
      synchronized (this) {
        if (timer != null) {
          timer.shutdownNow();
        }
      }
      if (locks != null) {
        try {
          locks.close();
        } catch (IOException ignored) {
          // nothing held any more
        }
      }
      if (sharedResources != null) {
        sharedResources.close();
      }
    }
  }

  /**
   * Lets each task check the run before anything starts: a {@link SchedulingException} stops the
   * run (exit code 2), anything else fails that task only.
   */
  private void checkBeforeRun(List<Node> nodes) {
    for (Node node : nodes) {
      if (node.buildError != null) {
        continue;
      }
      try {
        node.task.checkBeforeRun(shared);
      } catch (SchedulingException e) {
        throw e;
      } catch (Throwable e) {
        node.buildError = GraphBuilder.describe(e);
      }
    }
  }

  /**
   * Reads each task's resources and priority once, and refuses a request no limit could ever
   * meet: such a task would wait forever.
   */
  void readDeclarations(List<Node> nodes) {
    for (Node node : nodes) {
      node.readDeclarations();
      for (Map.Entry<String, Integer> need : node.resources.amounts().entrySet()) {
        Integer limit = settings.resourceLimits().get(need.getKey());
        if (limit != null && need.getValue() > limit) {
          throw new SchedulingException("Task " + node.id + " needs " + need.getKey() + "=" + need.getValue()
              + " but the resource limits ([resources] in sluice.toml) allow " + need.getKey() + "=" + limit
              + " in all: it could never start. Lower its request or raise the limit.");
        }
      }
    }
  }

  private RunResult execute(Graph graph, Instant start) {
    List<Node> toRun = graph.nodesToRun();
    events.graphBuilt(graph, graph.allNodes().size(), toRun.size());
    lock.lock();
    try {
      for (Node node : graph.allNodes()) {
        if (!Graph.mustRun(node)) {
          node.status = TaskStatus.COMPLETE;
        }
      }
      // Nodes, not tasks: a task's own hashCode/equals may throw. Each root once, in the order
      // they were made: a walk of every node asking whether it is a root cost a million lookups.
      for (Node node : Graph.inSequence(new HashSet<>(graph.rootNodes()))) {
        if (node.status == TaskStatus.COMPLETE) {
          events.post(TaskEvent.Kind.COMPLETE, node, 0, Duration.ZERO, "", null);
        }
      }
      schedule(toRun);
      if (settings.dryRun()) {
        scheduler.markWouldRun();
      }
    } finally {
      lock.unlock();
    }
    events.deliver();
    if (!settings.dryRun() && remaining() > 0) {
      if (joinLate) {
        others = OtherProcesses.joinFirst(settings.stateDir().resolve("runs"));
      } else if (settings.claims() != io.sluice.TaskClaims.none()) {
        // A run with claims on other machines is never alone, but the runs of this machine see
        // it, and it sees the tasks they hold without the kernel's locks.
        others = OtherProcesses.joinNeverAlone(settings.stateDir().resolve("runs"));
      }
      // A run that could not join, and has something to run, could run it beside a run alone
      // that does not see it; with nothing to run (a read-only copy, say) it risks nothing.
      if (others.failure() != null) {
        return RunResult.schedulingError(others.failure());
      }
      try {
        locks = new TaskLocks(settings.stateDir().resolve("locks"), others);
      } catch (IOException e) {
        return RunResult.schedulingError("cannot open the lock file under " + settings.stateDir() + ": " + e.getMessage());
      }
      sharedResources = new SharedResources(settings.stateDir().resolve("resources"), settings.resourceLimits());
      lock.lock();
      try {
        workersMayStart = true;
        startWorkers();
      } finally {
        lock.unlock();
      }
      awaitEnd();
    }
    return result(start);
  }

  private int remaining() {
    lock.lock();
    try {
      return scheduler.remaining();
    } finally {
      lock.unlock();
    }
  }

  /** Adds tasks that must run to the scheduler; the caller holds the lock. */
  void schedule(List<Node> nodes) {
    warnAboutTasksThatNeverComplete(nodes);
    scheduler.add(nodes);
    postFinalized();
    signalChanged();
    if (workersMayStart) {
      startWorkers();  // dynamic dependencies: more tasks to run, perhaps more than workers so far
    }
  }

  /**
   * Starts workers up to {@code --workers}, but no more than there are tasks left to run: a run
   * of three tasks with {@code --workers 1000} starts three threads, not a thousand that would
   * only wake each other. When the system refuses a thread, the run goes on with those it has.
   * The caller holds the lock.
   */
  private void startWorkers() {
    while (workersStarted < Math.min(settings.workers(), workerLimit) && workersStarted < scheduler.remaining()) {
      try {
        startWorker(null);
      } catch (OutOfMemoryError e) {
        if (workersStarted == 0) {
          throw e;
        }
        workerLimit = workersStarted;
        org.slf4j.LoggerFactory.getLogger(Engine.class).warn("Running with {} workers of the {} asked for: the system refused another thread ({})",
            workersStarted, settings.workers(), e.getMessage());
      }
    }
  }

  /** Tells, once per family and run, of tasks that will run every time (see the guide). */
  private void warnAboutTasksThatNeverComplete(List<Node> nodes) {
    for (Node node : nodes) {
      if (!node.scheduled && node.buildError == null && node.neverComplete
          && warnedFamilies.add(node.id.family())) {
        String warning = NoOutputTasks.warning(node.id.family());
        org.slf4j.LoggerFactory.getLogger(Engine.class).warn(warning);
        events.post(TaskEvent.Kind.NOTE, node, 0, Duration.ZERO, warning, null);
      }
    }
  }

  /** Records a final status and queues its event; the caller holds the lock. */
  void finish(Node node, TaskStatus status, String reason, Throwable error) {
    scheduler.finish(node, status, reason, error);
    postFinalized();
    signalChanged();
  }

  /**
   * As {@link #finish}, for the worker that ran the task, which goes on to take the next ready
   * task itself: the others are woken only when there is more than that one, or for those waiting
   * for a task to end (dynamic dependencies) or for the run to. Waking an idle worker for the one
   * task this worker takes next made a chain hop between threads at every link. Under the lock.
   */
  private void finishOwn(Node node, Outcome outcome) {
    scheduler.finish(node, outcome.status(), outcome.reason(), outcome.error());
    postFinalized();
    if (scheduler.ready() > 1 || scheduler.suspended() > 0 || scheduler.remaining() == 0 || cancelled) {
      signalChanged();
    }
  }

  /** Queues the events of the tasks that became final; the caller holds the lock. */
  private void postFinalized() {
    List<Node> finalized = scheduler.drainFinalized();
    if (events.none()) {
      return;
    }
    for (Node node : finalized) {
      switch (node.status) {
        case DONE -> events.post(TaskEvent.Kind.SUCCEEDED, node, node.attempts, elapsed(node), "", null);
        case COMPLETE -> events.post(TaskEvent.Kind.COMPLETE, node, node.attempts, Duration.ZERO, node.reason, null);
        case FAILED -> events.post(TaskEvent.Kind.FAILED, node, node.attempts, elapsed(node), node.reason, node.error);
        case MISSING -> events.post(TaskEvent.Kind.MISSING, node, 0, Duration.ZERO, node.reason, null);
        default -> events.post(TaskEvent.Kind.SKIPPED, node, node.attempts, Duration.ZERO, node.reason, null);
      }
    }
  }

  private Duration elapsed(Node node) {
    return node.started == null ? Duration.ZERO : Duration.between(node.started, settings.clock().instant());
  }

  /** Starts a worker; with {@code standInFor}, one that stops when that wait is over. Under the lock. */
  void startWorker(DynamicRequirements.Wait standInFor) {
    String name = standInFor == null ? "sluice-worker-" + (workersStarted + 1) : "sluice-stand-in";
    RunThread.start(() -> workLoop(standInFor), name, settings.parameterValues());
    if (standInFor == null) {
      workersStarted++;
    }
  }

  private void awaitEnd() {
    lock.lock();
    try {
      while (scheduler.remaining() > 0 && !(cancelled && active == 0)) {
        ended.await();
      }
      if (cancelled) {
        scheduler.cancel();
        postFinalized();
        while (active > 0 || scheduler.running() > 0) {
          ended.await(100, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    events.deliver();
  }

  /** Wakes the threads waiting for a change, and the one awaiting the end when it may have come. */
  void signalChanged() {
    signalAllChanged();
    if (scheduler.remaining() == 0 || cancelled) {
      ended.signalAll();
    }
  }

  /** Wakes the threads waiting for a change, and those watching for one (see awaitChange). Under the lock. */
  private void signalAllChanged() {
    changes++;  // only written under the lock
    changed.signalAll();
  }

  /**
   * Waits, the lock held, for the next signal of a change; the lock is held again on return. For
   * a moment it watches the count of signals without the lock, before it waits on the condition:
   * in a chain the worker running tasks signals the other at each task (to work ahead), and a
   * waiter of the condition had to be woken by the kernel each time, on the chain's path. A signal
   * given meanwhile is seen in the count, under the lock, before waiting: none is lost.
   */
  private void awaitChange() {
    long seen = changes;
    lock.unlock();
    boolean moved = false;
    try {
      long until = System.nanoTime() + WATCH_NANOS;
      while (!(moved = changes != seen) && System.nanoTime() - until < 0) {
        Thread.onSpinWait();
      }
    } finally {
      lock.lock();
    }
    if (!moved && changes == seen) {
      changed.awaitUninterruptibly();
    }
  }

  /**
   * Takes ready tasks and runs them until nothing is left. A stand-in worker (for a task waiting
   * on dynamic dependencies) stops once that task has resumed; a worker whose task was abandoned
   * stops, its slot taken by a replacement.
   */
  private void workLoop(DynamicRequirements.Wait standInFor) {
    Thread me = Thread.currentThread();
    lock.lock();
    while (true) {
      // The lock is held here, also right after this worker finished a task: it takes the next
      // one in the same hold, so an idle worker cannot take it in between (a chain would hop).
      Node node;
      Ahead.Work aheadWork = null;
      Ahead.Prepared takenAhead = null;
      try {
        while (true) {
          if (cancelled || scheduler.remaining() == 0 || (standInFor != null && standInFor.resumed)) {
            signalChanged();
            node = null;
            break;
          }
          node = scheduler.next();
          if (node != null) {
            break;
          }
          aheadWork = ahead.next();
          if (aheadWork != null) {
            break;
          }
          ahead.idle(1);
          awaitChange();
          ahead.idle(-1);
        }
        if (node != null) {
          active++;
          node.thread = me;
          node.standInFor = standInFor;
          if (!events.none()) {
            node.started = settings.clock().instant();  // only events tell how long a task ran
          }
          while (ahead.taking(node)) {
            awaitChange();  // the other worker is making its lock and files: a few system calls
          }
          takenAhead = ahead.takenFor(node);
          // A worker with nothing to run releases the last task's lock and takes the next one's.
          if (ahead.started(node) && ahead.someoneIdle()) {
            signalAllChanged();
          }
        }
      } finally {
        lock.unlock();
      }
      events.deliver();
      if (aheadWork != null) {
        aheadWork.perform(locks);
        lock.lock();
        ahead.done(aheadWork);
        signalAllChanged();  // for a worker waiting to start one of those tasks
        continue;
      }
      if (node == null) {
        return;
      }
      Attempts attempts = new Attempts(this, node, takenAhead);
      Outcome outcome;
      try {
        outcome = attempts.run();
      } catch (Throwable e) {
        outcome = new Outcome(TaskStatus.FAILED, GraphBuilder.describe(e), e);
      }
      // Read without the lock: a worker that went idle meanwhile only means this one releases it.
      boolean handOver = ahead.someoneIdleNow();
      if (!handOver) {
        try {
          attempts.releaseLock();
        } catch (RuntimeException | Error e) {
          outcome = new Outcome(TaskStatus.FAILED, GraphBuilder.describe(e), e);
        }
      }
      lock.lock();
      try {
        if (node.abandoned) {
          lock.unlock();
          attempts.releaseLock();  // released already by whoever abandoned it
          return;
        }
        if (handOver) {
          ahead.release(attempts);
        }
        active--;
        node.thread = null;
        Thread.interrupted();
        finishOwn(node, outcome);
      } catch (RuntimeException | Error e) {
        lock.unlock();
        throw e;
      }
    }
  }

  /**
   * Gives up on a task that did not stop after its timeout: it fails, and a replacement worker
   * takes its slot, while its thread is left to end whenever it does.
   */
  void abandon(Node node, String reason, Throwable error) {
    lock.lock();
    try {
      if (node.status != TaskStatus.RUNNING || node.abandoned) {
        return;
      }
      node.abandoned = true;
      if (!node.suspended) {
        active--;
      }
      node.thread = null;
      finish(node, TaskStatus.FAILED, reason, error);
      startWorker(node.standInFor);
    } finally {
      lock.unlock();
    }
    events.deliver();
  }

  // ---- services for attempts and dynamic requirements ----

  EngineSettings settings() {
    return settings;
  }

  /** How this run judges tasks up to date, and records what they were built from. */
  Staleness staleness() {
    return staleness;
  }

  /** What the tasks of this run share. */
  SharedObjects shared() {
    return shared;
  }

  Events events() {
    return events;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  ReentrantLock lock() {
    return lock;
  }

  Condition changed() {
    return changed;
  }

  /** The run's view of the outputs its attempts write. */
  RunOutputs runOutputs() {
    return runOutputs;
  }

  boolean cancelled() {
    return cancelled;
  }

  SharedResources sharedResources() {
    return sharedResources;
  }

  TaskLocks locks() {
    return locks;
  }

  /**
   * Takes a task's lock that another holder has, waiting at most {@code timeout}: before it
   * waits, this run gives up the locks it holds for tasks that are not running (taken ahead, or
   * of finished tasks), so that two runs never wait for each other's locks.
   */
  TaskLocks.Held acquireWaiting(TaskId id, Duration timeout) throws IOException, InterruptedException {
    List<Runnable> releases;
    lock.lock();
    try {
      releases = ahead.waitStarts();
    } finally {
      lock.unlock();
    }
    try {
      releases.forEach(Runnable::run);
      return locks.acquire(id, timeout);
    } finally {
      lock.lock();
      try {
        ahead.waitEnded();
        signalAllChanged();  // for a worker with nothing to run: locks taken ahead are to give up
      } finally {
        lock.unlock();
      }
    }
  }

  /** The ids of (at most {@code max}) tasks ready to start next, for claims taken ahead. */
  List<TaskId> readyNext(int max) {
    lock.lock();
    try {
      return scheduler.readyNext(max);
    } finally {
      lock.unlock();
    }
  }

  /** Whether no other run can have completed a task since this one built its graph. */
  boolean aloneSinceGraphBuilt() {
    return others.noneSinceJoining();
  }

  /** One more (or one fewer) worker holds a task slot; under the lock. */
  void addActive(int delta) {
    active += delta;
  }

  synchronized ScheduledExecutorService timer() {
    if (timer == null) {
      timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sluice-timeouts");
        thread.setDaemon(true);
        return thread;
      });
    }
    return timer;
  }

  ScheduledFuture<?> interruptAfter(Duration timeout, Thread thread, Runnable onTimeout) {
    return timer().schedule(() -> {
      onTimeout.run();
      thread.interrupt();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code action} on the timer thread after {@code delay}. */
  ScheduledFuture<?> after(Duration delay, Runnable action) {
    return timer().schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  void note(Node node, String message, RemoteRunDetails remote) {
    node.note = message;
    events.emit(TaskEvent.Kind.NOTE, node, node.attempts, Duration.ZERO, message, null, remote);
  }

  /**
   * Adds dynamic dependencies of a running task, waits until they are final, and returns them.
   * While waiting, the task's worker slot and resources go to a stand-in worker.
   */
  List<Node> requireDynamic(Node requester, List<? extends Task> tasks) throws InterruptedException {
    return dynamic.require(requester, tasks);
  }

  private RunResult result(Instant start) {
    RunOutcomes outcomes;
    lock.lock();
    try {
      // Every node the builder made, not only the graph's: dynamic dependencies joined later.
      outcomes = new RunOutcomes(builder.index(), builder.bySequenceNumber());
    } finally {
      lock.unlock();
    }
    Map<TaskId, TaskStatus> statuses = outcomes.statuses();
    // From the statuses met, not a walk of the million entries of the view above.
    ExitCode code = ExitCode.of(outcomes.statusesMet());
    if (cancelled && code != ExitCode.SCHEDULING_ERROR) {
      code = ExitCode.INTERRUPTED;
    }
    RunResult result = new RunResult(statuses, outcomes.reasons(), outcomes.notes(), code, null,
        Duration.between(start, settings.clock().instant()));
    events.runFinished(result);
    return result;
  }

  /** What one task's attempts came to. */
  record Outcome(TaskStatus status, String reason, Throwable error) {
    /** A task that ran and succeeded: the same for every one. */
    static final Outcome DONE = new Outcome(TaskStatus.DONE, "", null);
  }
}
