package io.sluice.slurm;

import io.sluice.Sleeper;
import io.sluice.remote.Tier;
import io.sluice.remote.internal.RunFiles;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sluice's Slurm backend against the least one can do with Slurm, on the same cluster, in one
 * process: N trivial runs ({@code true}) submitted and waited for.
 *
 * <ul>
 *   <li>bare: N × {@code sbatch --parsable -p small -o /dev/null --wrap true}, then one
 *       {@code squeue} for all of them every interval until each is finished;
 *   <li>sluice: N × {@link SlurmBackend#submit} (a workspace copied from a snapshot, run.sh, sbatch),
 *       then {@link SlurmBackend#poll} of the unfinished ones every interval (one squeue, plus the
 *       exit_code files), as the remote session does.
 * </ul>
 *
 * <p>Rounds alternate which side goes first. Run it with {@code bin/slurm-bench [runs] [rounds]}
 * on a cluster ({@code sudo scripts/slurm-local.sh up}).
 */
public final class SlurmBench {

  private static final Duration INTERVAL = Duration.ofMillis(250);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final CommandRunner SLURM = CommandRunner.system(TIMEOUT);
  private static final Tier TIER = new Tier("Small", 1, 0, 0, null, 0,
      Map.of(SlurmBackend.NAME, Map.of("partition", "small")));

  private SlurmBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (!SlurmCluster.answers()) {
      System.err.println("No Slurm cluster answers 'scontrol ping': " + SlurmCluster.HOW_TO_START);
      System.exit(2);
    }
    System.out.printf("%d trivial runs per side, %d rounds, polling every %d ms%n", runs, rounds, INTERVAL.toMillis());
    bare(4);
    sluice(4); // warm-up: the scheduler's first jobs and the JIT
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Timing bare;
      Timing sluice;
      if (round % 2 == 1) {
        bare = bare(runs);
        sluice = sluice(runs);
      } else {
        sluice = sluice(runs);
        bare = bare(runs);
      }
      double ratio = (double) sluice.total().toMillis() / bare.total().toMillis();
      ratios.add(ratio);
      System.out.printf("round %d: bare sbatch+squeue %s, sluice slurm backend %s, ratio %.3f%n",
          round, bare, sluice, ratio);
    }
    ratios.sort(null);
    System.out.printf("median ratio sluice/bare: %.3f (target: at most 1.1)%n", ratios.get(ratios.size() / 2));
  }

  /** How long submitting took, and submitting and waiting for all. */
  record Timing(Duration submit, Duration total) {
    @Override
    public String toString() {
      return String.format("%.2f s (submitting %.2f s)", total.toMillis() / 1000.0, submit.toMillis() / 1000.0);
    }
  }

  /** N bare sbatch calls, then squeue until all are finished. */
  static Timing bare(int runs) throws IOException, InterruptedException {
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      CommandRunner.Result sbatch = SLURM.run(List.of("sbatch", "--parsable", "-p", "small", "-o", "/dev/null",
          "--wrap", "true"));
      if (!sbatch.ok()) {
        throw new IOException("sbatch failed: " + sbatch.message());
      }
      ids.add(sbatch.stdout().strip().split(";")[0]);
    }
    Duration submit = Duration.ofNanos(System.nanoTime() - start);
    Set<String> open = new HashSet<>(ids);
    while (!open.isEmpty()) {
      Thread.sleep(INTERVAL.toMillis());
      CommandRunner.Result squeue = SLURM.run(List.of("squeue", "-h", "-t", "all", "-j", String.join(",", open),
          "-o", SlurmJob.SQUEUE_FORMAT));
      SlurmJob.parse(squeue.stdout()).values().stream().filter(SlurmJob::finished).forEach(job -> {
        if (!job.state().equals("COMPLETED")) {
          throw new IllegalStateException(job.describe());
        }
        open.remove(job.id());
      });
    }
    return new Timing(submit, Duration.ofNanos(System.nanoTime() - start));
  }

  /** N runs through the Slurm backend, polled as the remote session polls them. */
  static Timing sluice(int runs) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("slurm-bench-");
    try {
      Path snapshot = Files.createDirectories(root.resolve("snapshot"));
      Files.writeString(snapshot.resolve("README"), "a small project\n");
      SlurmBackend backend = new SlurmBackend(new SlurmConfig(root.resolve("shared"), INTERVAL, TIMEOUT), SLURM,
          Clock.systemUTC(), Sleeper.system());
      long start = System.nanoTime();
      List<RunHandle> open = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        open.add(backend.submit(TestRuns.spec(snapshot, TIER, null, "out.txt", "true")));
      }
      Duration submit = Duration.ofNanos(System.nanoTime() - start);
      while (!open.isEmpty()) {
        Thread.sleep(INTERVAL.toMillis());
        for (Map.Entry<RunHandle, RunState> entry : backend.poll(open).entrySet()) {
          RunState state = entry.getValue();
          if (state.status().finished()) {
            if (state.status() != RunStatus.SUCCEEDED) {
              throw new IllegalStateException(entry.getKey() + " " + state);
            }
            open.remove(entry.getKey());
          }
        }
      }
      return new Timing(submit, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      RunFiles.deleteTree(root);
    }
  }
}
