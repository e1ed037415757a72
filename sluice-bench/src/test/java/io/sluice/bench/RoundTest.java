package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.EngineBench.Step;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of a round's measurements, so that variants compared in it start from the same state. */
class RoundTest {

  private static final Path WORK = Path.of("/scratch/fanin-1000-w2-r1");

  private static List<Step> round(boolean onTmpfs, Phase... phases) throws Exception {
    Options options = Options.parse("--policy", "exists,fingerprint", "--cpu");
    List<Measurement> group = java.util.Arrays.stream(phases).map(p -> new Measurement(Shape.FANIN, 1000, 2, p)).toList();
    return new EngineBench(options).round(group, WORK, onTmpfs);
  }

  @Test
  void onTmpfsEachVariantsFilesAreGoneBeforeTheNextVariantAndTheBareLoopRun() throws Exception {
    List<Step> steps = round(true, Phase.COLD, Phase.LIMIT);

    assertThat(steps).hasSize(5);
    Step.Measure exists = (Step.Measure) steps.get(0);
    Step.Measure fingerprint = (Step.Measure) steps.get(2);
    assertThat(exists.policy()).isEqualTo("exists");
    assertThat(steps.get(1)).isEqualTo(new Step.Delete(exists.dir()));
    assertThat(fingerprint.policy()).isEqualTo("fingerprint");
    assertThat(fingerprint.dir()).isNotEqualTo(exists.dir());
    assertThat(steps.get(3)).isEqualTo(new Step.Delete(fingerprint.dir()));
    Step.Measure loop = (Step.Measure) steps.get(4);
    assertThat(loop.measurement().phase()).isEqualTo(Phase.LIMIT);
    assertThat(loop.dir()).isNotIn(exists.dir(), fingerprint.dir());
  }

  @Test
  void aWarmRunFollowsTheColdRunOfItsVariantInItsFilesBeforeTheyAreRemoved() throws Exception {
    List<Step> steps = round(true, Phase.COLD, Phase.WARM, Phase.LIMIT);

    Step.Measure cold = (Step.Measure) steps.get(0);
    Step.Measure warm = (Step.Measure) steps.get(1);
    assertThat(warm.measurement().phase()).isEqualTo(Phase.WARM);
    assertThat(warm.policy()).isEqualTo(cold.policy());
    assertThat(warm.dir()).isEqualTo(cold.dir());
    assertThat(cold.ranBefore()).isFalse();
    assertThat(warm.ranBefore()).isTrue();
    assertThat(steps.get(2)).isEqualTo(new Step.Delete(cold.dir()));
    assertThat(((Step.Measure) steps.get(4)).ranBefore()).isTrue();  // the second variant's warm run
  }

  @Test
  void elsewhereNothingIsRemovedWithinARound() throws Exception {
    // Off tmpfs (ext4 without a journal), files made soon after many were deleted cost more.
    assertThat(round(false, Phase.COLD, Phase.LIMIT)).hasSize(3).allMatch(step -> step instanceof Step.Measure);
  }
}
