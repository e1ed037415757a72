package io.sluice.internal;

import io.sluice.ExternalTask;
import io.sluice.SchedulingException;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.UpToDate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, once per task and run, whether a task is up to date and why not: first the task on its
 * own by its policy ({@link UpToDate}), in parallel on the graph builder's threads, then, in one
 * pass in dependency order, whether something it requires will run. Nothing here recurses along
 * the graph, so any depth is fine and shared upstream tasks are looked at once.
 *
 * <p>A task without outputs and without its own {@code complete()} (a wrapper) is judged by what
 * it requires alone; an external task only by whether its data exists.
 */
final class Staleness implements AutoCloseable {

  private static final ClassValue<Boolean> OVERRIDES_COMPLETE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("complete").getDeclaringClass() != Task.class;
      } catch (NoSuchMethodException e) {
        return true;
      }
    }
  };

  private static final Reasons NEVER_COMPLETE = Reasons.of("it declares no output and no complete(): it runs every time");
  private static final Reasons COMPLETE_RETURNED_FALSE = Reasons.of("its complete() returned false");
  private static final Reasons ON_A_CYCLE = Reasons.of("it is on a cycle");

  // The graph's checks of whether outputs exist: a fan-in's 100,000 inputs cost one listing.
  // Replaced once a build is over (see listingsDone): the names of a large directory are not
  // taken as present by later checks of dynamic requirements. The first build's, made before any
  // task of the run writes, takes a listing's word for the names it lacks too.
  private volatile PresentFiles present = PresentFiles.ofFirstGraph();
  // The last build's, kept for the run-time check of a wide fan-in's inputs (see listingsOfTheBuild).
  private volatile PresentFiles built;
  private final UpToDate defaultPolicy;
  private final Path stateDir;
  private final io.sluice.Settings settings;
  private final Path logDir;
  private final FingerprintJournal.Others others;
  // Made on first use (loading its records costs), then read without a lock by every checking thread.
  private volatile FingerprintRule fingerprints;
  // Numbers the batches propagate() settles; only ever touched under the graph builder's lock.
  private int batches;

  /**
   * @param others the other runs of the project (see {@link OtherProcesses}): while none may have
   *     joined since this one did, fingerprint records may be written many at a time
   * @throws SchedulingException when {@code [core] up_to_date} names no policy
   */
  Staleness(EngineSettings settings, FingerprintJournal.Others others) {
    this.others = others;
    this.stateDir = settings.stateDir();
    this.settings = settings.projectSettings();
    this.logDir = settings.logDir();
    Object configured = settings.projectSettings().get("core", "up_to_date");
    if (configured == null) {
      defaultPolicy = UpToDate.EXISTS;
    } else {
      try {
        defaultPolicy = UpToDate.parse(String.valueOf(configured));
      } catch (IllegalArgumentException e) {
        throw new SchedulingException("[core] " + e.getMessage() + " in sluice.toml.");
      }
    }
  }

  /** The policy that judges the task; external tasks only ever by whether their data exists. */
  UpToDate policyOf(Task task) {
    if (task instanceof ExternalTask) {
      return UpToDate.EXISTS;
    }
    UpToDate own = task.upToDate().orElse(null);
    return own != null ? own : defaultPolicy;
  }

  /** Sets the directory listings made by the checks so far aside; called when a graph build is over. */
  void listingsDone() {
    built = present;
    present = new PresentFiles();
  }

  /**
   * The listings of the last graph build, which a later {@link PresentFiles} may take for
   * directories unchanged since: the warm root of a million inputs would list their directory again.
   */
  PresentFiles listingsOfTheBuild() {
    return built;
  }

  /** Judges the task on its own; what it requires is looked at by {@link #propagate} later. */
  Verdict check(Node node) {
    Task task = node.task;
    boolean ownComplete = OVERRIDES_COMPLETE.get(task.getClass());
    // Asked once: a task's outputs() makes its targets (paths) anew at each call.
    List<? extends Target> outputs = ownComplete ? null : task.outputs();
    // Whether it never completes is known from here on: the outputs were asked for once already.
    node.neverCompleteKnown = true;
    if (!ownComplete && !(task instanceof ExternalTask) && outputs.isEmpty()) {
      if (NoOutputTasks.neverComplete(task)) {
        node.neverComplete = true;
        return Verdict.of(NEVER_COMPLETE, true, null);
      }
      return Verdict.of(Reasons.NONE, true, null);
    }
    UpToDate policy = policyOf(task);
    node.policy = policy;
    Reasons missing = ownComplete ? missingByOwnComplete(task) : Reasons.missingOutputs(task, outputs, present, node);
    boolean follows = policy != UpToDate.EXISTS;
    if (!missing.isEmpty() || policy == UpToDate.EXISTS) {
      return Verdict.of(missing, follows, null);
    }
    List<? extends Task> requires = task.requires();
    return Verdict.of(ownRule(node, policy, requires, false), true, requires);
  }

  /** {@code latest}: see {@link FingerprintRule#check}. */
  private List<String> ownRule(Node node, UpToDate policy, List<? extends Task> requires, boolean latest) {
    return policy == UpToDate.MTIME ? MtimeRule.check(node.task, requires)
        : fingerprints().check(node.task, node.id, requires, latest);
  }

  /** Why a task with its own complete() is not done: its outputs missing, if any are. */
  private Reasons missingByOwnComplete(Task task) {
    if (task.complete()) {
      return Reasons.NONE;
    }
    Reasons reasons = Reasons.missingOutputs(task, present);
    return reasons.isEmpty() ? COMPLETE_RETURNED_FALSE : reasons;
  }

  /**
   * Marks out of date every task among {@code nodes} that follows upstream and requires a task
   * that must run, in dependency order (Kahn's), so that a whole chain is settled in one pass.
   * Nodes left over (on a cycle) that follow upstream count as out of date: the run then reports
   * the cycle.
   */
  void propagate(List<Node> nodes) {
    // Counts live in the nodes (settleBatch, settlePending), not in maps: boxed counts per node
    // cost more than the settling itself for a hundred thousand tasks. Indexed loops: an iterator
    // per node and per requirement list was about a quarter of this pass on a cold graph.
    int batch = ++batches;
    for (int i = 0, n = nodes.size(); i < n; i++) {
      nodes.get(i).settleBatch = batch;
    }
    Deque<Node> ready = new ArrayDeque<>();
    for (int i = 0, n = nodes.size(); i < n; i++) {
      Node node = nodes.get(i);
      List<Node> deps = node.deps;
      int count = 0;
      for (int j = 0, m = deps.size(); j < m; j++) {
        if (deps.get(j).settleBatch == batch) {
          count++;
        }
      }
      node.settlePending = count;
      if (count == 0) {
        ready.add(node);
      }
    }
    int settled = 0;
    while (!ready.isEmpty()) {
      Node node = ready.poll();
      settle(node);
      settled++;
      // One entry per requirement, duplicates included, as the counts above were made.
      for (int i = 0, n = node.dependentCount(); i < n; i++) {
        Node dependent = node.dependent(i);
        if (dependent.settleBatch == batch && --dependent.settlePending == 0) {
          ready.add(dependent);
        }
      }
    }
    if (settled < nodes.size()) {
      for (Node node : nodes) {
        if (node.settlePending > 0 && node.followsUpstream && node.complete) {
          node.complete = false;
          node.cause = ON_A_CYCLE;
        }
      }
    }
  }

  private static void settle(Node node) {
    if (!node.followsUpstream || !node.expanded) {
      return;
    }
    List<Node> upstream = null;
    int own = 0;
    List<Node> deps = node.deps;
    for (int i = 0, n = deps.size(); i < n; i++) {
      Node dep = deps.get(i);
      if (Graph.mustRun(dep)) {
        if (upstream == null) {
          upstream = new ArrayList<>();
          own = node.cause.count();
        }
        upstream.add(dep);
        // At most nine reasons in all, its own first.
        if (own + upstream.size() > 8) {
          break;
        }
      }
    }
    if (upstream != null) {
      node.complete = false;
      node.cause = node.cause.andUpstream(upstream);
    }
  }

  /**
   * Whether the task is up to date on its own now, by its policy (its outputs' existence is
   * checked apart): for a task found out of date when the run started, before running it.
   */
  boolean upToDateNow(Node node) {
    UpToDate policy = node.policy;
    if (policy == null || policy == UpToDate.EXISTS) {
      return true;
    }
    List<Task> requires = new ArrayList<>(node.deps.size());
    node.deps.forEach(dep -> requires.add(dep.task));
    return ownRule(node, policy, requires, true).isEmpty();
  }

  /**
   * What a task judged by fingerprint is built from, read before it runs, as the body of the line
   * {@link #committed} records; null for other tasks.
   */
  String beforeRun(Node node) {
    if (node.policy != UpToDate.FINGERPRINT) {
      return null;
    }
    List<Node> deps = node.deps;
    List<Task> requires = new ArrayList<>(deps.size());
    String[] kept = new String[deps.size()];
    for (int i = 0; i < kept.length; i++) {
      Node dep = deps.get(i);
      requires.add(dep.task);
      kept[i] = dep.outputHash;
    }
    return fingerprints().current(node.task, node.id, requires, kept);
  }

  /**
   * Before an attempt of a task: under the fingerprint policy, what it writes is kept while small,
   * so that the tasks reading it in this run find its hash without reading the file.
   */
  void attemptStarts(Node node, OutputTransaction transaction) {
    if (node.policy == UpToDate.FINGERPRINT || defaultPolicy == UpToDate.FINGERPRINT) {
      transaction.captureContent();
    }
  }

  /**
   * After a commit: the hashes of what the attempt wrote go to the content hash cache, and what
   * this run knew of outputs replaced without a known hash is forgotten. Nothing to do when no
   * task was judged by fingerprint yet (the cache is then not loaded).
   *
   * <p>The hash of the one output of a task that declares one file keeps with its node, for the
   * tasks that read it later in the run (see {@link #beforeRun}): they then make no path of it.
   *
   * @return the outputs committed when each is a file whose hash is known from what was written
   *     (see {@link #committed}), else null
   */
  Collection<Path> outputsCommitted(Node node, OutputTransaction transaction) {
    node.outputHash = null;
    FingerprintRule rule = fingerprints;
    if (rule == null && defaultPolicy != UpToDate.FINGERPRINT) {
      return null;
    }
    Map<Path, WrittenContent> written = transaction.committedContents();
    if (written.isEmpty()) {
      return null;
    }
    String[] known = fingerprints().written(written);
    if (known == null || !transaction.declaresEveryOutput()) {
      return null;
    }
    // Declaring every output, one path: outputs() is that one file, as its readers list it.
    if (known.length == 1 && transaction.declared().size() == 1) {
      node.outputHash = known[0];
    }
    return written.keySet();
  }

  /**
   * Records, once its outputs are committed, what the task was built from; a failure only logs.
   * {@code written}: what {@link #outputsCommitted} returned for the attempt.
   */
  void committed(Node node, String built, Collection<Path> written) {
    if (built == null) {
      return;
    }
    try {
      fingerprints().record(built, written);
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Staleness.class).warn("Could not record the fingerprint of {} under {}: {};"
          + " it will run again next time", node.id, stateDir, e.getMessage());
    }
  }

  private FingerprintRule fingerprints() {
    FingerprintRule rule = fingerprints;
    if (rule != null) {
      return rule;
    }
    synchronized (this) {
      if (fingerprints == null) {
        fingerprints = new FingerprintRule(stateDir, settings, logDir, others);
      }
      return fingerprints;
    }
  }

  @Override
  public synchronized void close() {
    if (fingerprints != null) {
      fingerprints.close();
    }
  }
}
