package io.sluice.domino.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule of who runs next on a tier, driven step by step without threads. */
class TierSlotsTest {

  final TierSlots<String> slots = new TierSlots<>(tiers());

  @Test
  void runsStartUpToTheTiersLimitAndTheRestWaitInOrder() {
    assertThat(slots.offer("Small", "a")).isTrue();
    assertThat(slots.offer("Small", "b")).isTrue();
    assertThat(slots.offer("Small", "c")).isFalse();
    assertThat(slots.offer("Small", "d")).isFalse();

    assertThat(slots.release("Small")).contains("c");
    assertThat(slots.release("Small")).contains("d");
    assertThat(slots.busy("Small")).isEqualTo(2);
    assertThat(slots.release("Small")).isEmpty();
    assertThat(slots.busy("Small")).isEqualTo(1);
  }

  @Test
  void tiersDoNotShareSlots() {
    assertThat(slots.offer("Large", "a")).isTrue();
    assertThat(slots.offer("Large", "b")).isFalse();

    assertThat(slots.offer("Small", "c")).isTrue();
  }

  @Test
  void withdrawnRunNoLongerWaits() {
    slots.offer("Large", "a");
    slots.offer("Large", "b");
    slots.offer("Large", "c");

    assertThat(slots.withdraw("Large", "b")).isTrue();
    assertThat(slots.withdraw("Large", "a")).as("a runs: it does not wait").isFalse();
    assertThat(slots.release("Large")).contains("c");
  }

  @Test
  void newRunWaitsBehindTheQueueEvenWhenASlotIsFree() {
    slots.offer("Large", "a");
    slots.offer("Large", "b");
    // a ends and passes its slot to b: no moment with a free slot that c could take first
    assertThat(slots.release("Large")).contains("b");

    assertThat(slots.offer("Large", "c")).isFalse();
  }

  private static Map<String, Integer> tiers() {
    Map<String, Integer> tiers = new LinkedHashMap<>();
    tiers.put("Small", 2);
    tiers.put("Large", 1);
    return tiers;
  }
}
