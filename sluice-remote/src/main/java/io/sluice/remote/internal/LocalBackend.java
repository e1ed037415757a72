package io.sluice.remote.internal;

import io.sluice.remote.spi.RemoteCommand;
import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.internal.ProcessGroup;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded backend: each run gets its own workspace (a copy of the snapshot) under
 * {@code .sluice/runs/<run>/} and a subprocess on this machine. The tier's limits are enforced
 * here: how many runs of a tier at once ({@code max_parallel}), CPUs by pinning the process to
 * that many cores ({@code taskset}), memory as the heap limit of Java commands and as the
 * address-space limit ({@code ulimit -v}) of other programs, and the time limit with
 * {@code timeout}. This machine has no GPUs: GPU tiers run on the CPU. Commands see the
 * environment {@link RemoteEnvironment} passes on, not the caller's whole environment.
 */
public final class LocalBackend implements RunBackend {

  public static final String NAME = "local";
  private static final int TIMEOUT_EXIT = 124;

  private final Path runsDir;
  private final RemoteEnvironment environment;
  private final Map<String, LocalRun> runs = new HashMap<>();
  private final Deque<LocalRun> queue = new ArrayDeque<>();
  private final Map<String, Integer> runningPerTier = new HashMap<>();
  private final boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset"));
  private final int processors = Runtime.getRuntime().availableProcessors();
  private int nextCpu;
  private volatile Runnable onChange = () -> { };

  private static final class LocalRun {
    final RunHandle handle;
    final Path dir;
    ProcessGroup process;
    /** The surviving process of a run re-attached to (started by a driver that died). */
    ProcessHandle adopted;
    boolean cancelled;
    boolean finished;

    LocalRun(RunHandle handle, Path dir) {
      this.handle = handle;
      this.dir = dir;
    }
  }

  /** Keeps run directories under {@code runsDir}; commands see the default environment. */
  public LocalBackend(Path runsDir) {
    this(runsDir, RemoteEnvironment.defaults());
  }

  /** Keeps run directories under {@code runsDir}; commands see what {@code environment} passes on. */
  public LocalBackend(Path runsDir, RemoteEnvironment environment) {
    this.runsDir = runsDir;
    this.environment = environment;
  }

  /** Called whenever a run changes state, so that waiting need not be polling. */
  @Override
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  @Override
  public RunHandle submit(RunSpec spec) throws IOException {
    Path dir = runsDir.resolve(spec.runId());
    RunFiles.createRunDirectory(dir);
    RunFiles.linkTree(spec.snapshot(), dir.resolve(RunFiles.WORKSPACE));
    List<String> javaOptions = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    List<String> limits = new ArrayList<>();
    Tier tier = spec.tier();
    if (tier.memoryMb() > 0) {
      if (RemoteCommand.isJava(spec.command())) {
        javaOptions.addAll(RemoteCommand.heapOptions(tier));
      } else {
        limits.add("ulimit -v " + tier.memoryMb() * 1024 + " || exit 98");
      }
    }
    List<String> command = new ArrayList<>();
    Duration limit = spec.timeout() != null ? spec.timeout() : tier.timeLimit();
    if (limit != null) {
      command.addAll(List.of("timeout", "--kill-after=10", Math.max(1, limit.toSeconds()) + "s"));
    }
    command.addAll(Distribution.command(spec.command(), spec.runtime(), javaOptions));
    RunFiles.writeScript(dir, spec, command, limits);
    RunHandle handle = new RunHandle(NAME, spec.runId(), spec);
    synchronized (this) {
      LocalRun run = new LocalRun(handle, dir);
      runs.put(spec.runId(), run);
      queue.add(run);
    }
    startQueued();
    return handle;
  }

  /**
   * Follows a run an earlier driver started in this work directory: one that finished (its exit
   * code is there) or whose {@code run.sh} process still runs. Empty otherwise.
   */
  @Override
  public Optional<RunHandle> reattach(RunSpec spec, String recordedId) {
    // A local run's id is its run id: the one recorded before submission finds it too.
    String id = recordedId.isEmpty() ? spec.runId() : recordedId;
    Path dir = runsDir.resolve(id);
    if (!id.equals(spec.runId()) || !Files.isRegularFile(dir.resolve(RunFiles.SCRIPT))) {
      return Optional.empty();
    }
    RunHandle handle = new RunHandle(NAME, id, spec);
    LocalRun run = new LocalRun(handle, dir);
    if (RunFiles.exitCode(dir) != null) {
      run.finished = true;
    } else {
      String script = dir.resolve(RunFiles.SCRIPT).toAbsolutePath().toString();
      Optional<ProcessHandle> alive = ProcessHandle.allProcesses()
          .filter(p -> p.info().arguments().map(args -> List.of(args).contains(script)).orElse(false))
          .findFirst();
      if (alive.isEmpty()) {
        return Optional.empty();
      }
      run.adopted = alive.get();
      run.adopted.onExit().thenRun(() -> {
        synchronized (this) {
          run.finished = true;
        }
        onChange.run();
      });
    }
    synchronized (this) {
      runs.put(id, run);
    }
    return Optional.of(handle);
  }

  private void startQueued() {
    List<LocalRun> started = new ArrayList<>();
    synchronized (this) {
      for (var it = queue.iterator(); it.hasNext(); ) {
        LocalRun run = it.next();
        Tier tier = run.handle.spec().tier();
        int running = runningPerTier.getOrDefault(tier.name(), 0);
        if (tier.maxParallel() > 0 && running >= tier.maxParallel()) {
          continue;
        }
        it.remove();
        List<String> argv = new ArrayList<>();
        if (taskset && tier.cpus() < processors) {
          int first = nextCpu % processors;
          nextCpu += tier.cpus();
          List<String> cpus = new ArrayList<>();
          for (int i = 0; i < tier.cpus(); i++) {
            cpus.add(String.valueOf((first + i) % processors));
          }
          argv.addAll(List.of("/usr/bin/taskset", "-c", String.join(",", cpus)));
        }
        argv.addAll(List.of("bash", run.dir.resolve(RunFiles.SCRIPT).toAbsolutePath().toString()));
        try {
          // A session of its own: cancelling, or this JVM's end, ends the script, `timeout` (which
          // makes a process group of its own) and all the command started.
          run.process = ProcessGroup.start(environment.apply(new ProcessBuilder(argv)).redirectErrorStream(true)
              .redirectOutput(run.dir.resolve("launcher.log").toFile()));
        } catch (IOException e) {
          run.finished = true;
          try {
            Files.writeString(run.dir.resolve(RunFiles.LOG), "cannot start the run: " + e.getMessage() + "\n");
            Files.writeString(run.dir.resolve(RunFiles.EXIT_CODE), "127\n");
          } catch (IOException ignored) {
            // reported as a failure without log
          }
          continue;
        }
        runningPerTier.merge(tier.name(), 1, Integer::sum);
        started.add(run);
      }
    }
    for (LocalRun run : started) {
      run.process.process().onExit().thenRun(() -> {
        run.process.close(); // what the command left running in the background ends with it
        synchronized (this) {
          run.finished = true;
          runningPerTier.merge(run.handle.spec().tier().name(), -1, Integer::sum);
        }
        startQueued();
        onChange.run();
      });
    }
    if (!started.isEmpty()) {
      onChange.run();
    }
  }

  @Override
  public synchronized Map<RunHandle, RunState> poll(Collection<RunHandle> handles) {
    Map<RunHandle, RunState> states = new LinkedHashMap<>();
    for (RunHandle handle : handles) {
      LocalRun run = runs.get(handle.id());
      if (run == null) {
        states.put(handle, new RunState(RunStatus.FAILED, null, "unknown run " + handle.id()));
      } else if (run.cancelled) {
        states.put(handle, new RunState(RunStatus.CANCELLED, null, "cancelled"));
      } else if (run.process == null && run.adopted == null && !run.finished) {
        states.put(handle, new RunState(RunStatus.QUEUED, null, "waiting for a free " + handle.spec().tier().name()
            + " slot (max_parallel " + handle.spec().tier().maxParallel() + ")"));
      } else if (!run.finished) {
        states.put(handle, RunState.of(RunStatus.RUNNING));
      } else {
        Integer code = RunFiles.exitCode(run.dir);
        if (code == null) {
          states.put(handle, new RunState(RunStatus.FAILED, null, "the run ended without writing its exit code"
              + (run.process == null ? "" : " (process exit value " + run.process.process().exitValue() + ")")));
        } else if (code == 0) {
          states.put(handle, new RunState(RunStatus.SUCCEEDED, 0, ""));
        } else if (code == TIMEOUT_EXIT) {
          Duration limit = handle.spec().timeout() != null ? handle.spec().timeout() : handle.spec().tier().timeLimit();
          states.put(handle, new RunState(RunStatus.FAILED, code, limit == null ? "" : "time limit of " + limit.toString().substring(2).toLowerCase() + " reached"));
        } else {
          states.put(handle, new RunState(RunStatus.FAILED, code, ""));
        }
      }
    }
    return states;
  }

  @Override
  public void cancel(RunHandle handle) {
    ProcessGroup process;
    synchronized (this) {
      LocalRun run = runs.get(handle.id());
      // a run that is over keeps its outcome: a late cancel must not turn a success into a loss
      if (run == null || run.cancelled || run.finished) {
        return;
      }
      run.cancelled = true;
      queue.remove(run);
      process = run.process;
      if (run.adopted != null) {
        run.adopted.descendants().forEach(ProcessHandle::destroyForcibly);
        run.adopted.destroyForcibly();
      }
    }
    if (process != null) {
      process.close();
    }
    onChange.run();
  }

  @Override
  public byte[] readLog(RunHandle handle, long offset) throws IOException {
    return RunFiles.readLog(runsDir.resolve(handle.id()), offset);
  }

  @Override
  public boolean fetch(RunHandle handle, String path, Path destination) throws IOException {
    return RunFiles.fetch(runsDir.resolve(handle.id()), handle.spec().workdir(), path, destination);
  }

  /** This machine has no GPUs: a GPU tier's runs go to the CPU. */
  @Override
  public boolean hasGpus() {
    return false;
  }

  @Override
  public void close() {
    List<RunHandle> active = new ArrayList<>();
    synchronized (this) {
      for (LocalRun run : runs.values()) {
        if (!run.finished && !run.cancelled) {
          active.add(run.handle);
        }
      }
    }
    active.forEach(this::cancel);
  }
}
