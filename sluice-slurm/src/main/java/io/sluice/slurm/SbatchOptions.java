package io.sluice.slurm;

import io.sluice.SchedulingException;
import io.sluice.remote.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a hardware tier asks Slurm for, as sbatch options:
 *
 * <pre>
 * [tiers.GPU]                      # --cpus-per-task=1 --mem=4096 --time=04:00:00
 * cpus = 1
 * memory = "4g"
 * gpus = 1                         # --gpus=1, unless the tier's slurm table names a gres
 * time_limit = "4h"                # or the run's own time limit
 * [tiers.GPU.slurm]
 * partition = "large"              # --partition=large
 * gres = "gpu:fake:1"              # --gres=gpu:fake:1
 * account = "ml"                   # --account=ml
 * options = ["--qos=normal"]       # passed as they are
 * </pre>
 */
final class SbatchOptions {

  private static final Set<String> KEYS = Set.of("partition", "gres", "account", "options");

  private SbatchOptions() {}

  /**
   * The options for one run.
   *
   * @param timeout the run's own time limit, or null for the tier's
   * @throws SchedulingException when the tier's slurm table is wrong, naming the setting
   */
  static List<String> of(Tier tier, Duration timeout) {
    Map<String, Object> slurm = tier.optionsFor(SlurmBackend.NAME);
    for (String key : slurm.keySet()) {
      if (!KEYS.contains(key)) {
        throw new SchedulingException("sluice.toml: [tiers." + tier.name() + ".slurm] has unknown setting '" + key
            + "' (known: partition, gres, account, options)");
      }
    }
    List<String> options = new ArrayList<>();
    text(tier, slurm, "partition").ifPresent(p -> options.add("--partition=" + p));
    options.add("--cpus-per-task=" + tier.cpus());
    if (tier.memoryMb() > 0) {
      options.add("--mem=" + tier.memoryMb());
    }
    var gres = text(tier, slurm, "gres");
    if (gres.isPresent()) {
      options.add("--gres=" + gres.get());
    } else if (tier.gpus() > 0) {
      options.add("--gpus=" + tier.gpus());
    }
    Duration limit = timeout != null ? timeout : tier.timeLimit();
    if (limit != null) {
      options.add("--time=" + time(limit));
    }
    text(tier, slurm, "account").ifPresent(a -> options.add("--account=" + a));
    options.addAll(extra(tier, slurm.get("options")));
    return options;
  }

  /**
   * A duration as Slurm's {@code [days-]hours:minutes:seconds}, seconds rounded up. Slurm keeps
   * whole minutes: it rounds a limit up to the next minute, and checks limits about every 30 s.
   */
  static String time(Duration limit) {
    long seconds = Math.max(1, limit.toSeconds() + (limit.toNanosPart() > 0 ? 1 : 0));
    long days = seconds / 86_400;
    String clock = String.format("%02d:%02d:%02d", seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    return days > 0 ? days + "-" + clock : clock;
  }

  private static Optional<String> text(Tier tier, Map<String, Object> slurm, String key) {
    Object value = slurm.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text) || text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
      throw new SchedulingException("sluice.toml: [tiers." + tier.name() + ".slurm] " + key + " = " + value
          + " must be a word in quotes, such as " + key + " = \"" + example(key) + "\"");
    }
    return Optional.of(text);
  }

  private static List<String> extra(Tier tier, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(o -> o instanceof String text && text.startsWith("-"))) {
      throw new SchedulingException("sluice.toml: [tiers." + tier.name() + ".slurm] options = " + value
          + " must be a list of sbatch options, such as options = [\"--qos=normal\", \"--constraint=avx2\"]");
    }
    return list.stream().map(String.class::cast).toList();
  }

  private static String example(String key) {
    return switch (key) {
      case "partition" -> "large";
      case "gres" -> "gpu:1";
      default -> "research";
    };
  }
}
