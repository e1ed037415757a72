package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forcing re-runs complete tasks: the roots, or a family and everything downstream of it. */
class ForceTest {

  static Path dir;
  static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    runs.clear();
  }

  static int runsOf(String name) {
    AtomicInteger count = runs.get(name);
    return count == null ? 0 : count.get();
  }

  /** Records its runs and writes which run of it produced the output. */
  interface Counted extends Task {
    String name();

    @Override
    default LocalTarget output() {
      return LocalTarget.of(dir.resolve(name()));
    }

    @Override
    default void run(TaskContext ctx) throws Exception {
      int run = runs.computeIfAbsent(name(), k -> new AtomicInteger()).incrementAndGet();
      output().writeString(name() + " run " + run);
    }
  }

  record Base(int i) implements Counted {
    public String name() {
      return "base-" + i;
    }
  }

  record Features() implements Counted {
    public List<Base> requires() {
      return List.of(new Base(0), new Base(1));
    }

    public String name() {
      return "features";
    }
  }

  record Lookup() implements Counted {
    public String name() {
      return "lookup";
    }
  }

  record Side() implements Counted {
    public List<Lookup> requires() {
      return List.of(new Lookup());
    }

    public String name() {
      return "side";
    }
  }

  record Report() implements Counted {
    public List<Task> requires() {
      return List.of(new Features(), new Side());
    }

    public String name() {
      return "report";
    }
  }

  private static Sluice.Builder sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"));
  }

  @Test
  void forceRerunsTheRootAlthoughItIsComplete() {
    sluice().build().run(new Report());

    RunResult forced = sluice().force(true).build().run(new Report());

    assertThat(forced.status(new Report())).isEqualTo(TaskStatus.DONE);
    assertThat(runsOf("report")).isEqualTo(2);
    assertThat(TestFiles.read(dir.resolve("report"))).isEqualTo("report run 2");
    assertThat(runsOf("features")).as("what the root requires is left alone").isEqualTo(1);
    assertThat(forced.status(new Features())).isEqualTo(TaskStatus.COMPLETE);
  }

  @Test
  void forceUpstreamRerunsTheFamilyAndEverythingDownstreamButNothingElse() {
    sluice().build().run(new Report());

    RunResult forced = sluice().forceUpstream(Set.of("Base")).build().run(new Report());

    assertThat(runs).containsOnlyKeys("base-0", "base-1", "features", "lookup", "side", "report");
    assertThat(runsOf("base-0")).isEqualTo(2);
    assertThat(runsOf("base-1")).isEqualTo(2);
    assertThat(runsOf("features")).isEqualTo(2);
    assertThat(runsOf("report")).isEqualTo(2);
    assertThat(runsOf("side")).isEqualTo(1);
    assertThat(runsOf("lookup")).isEqualTo(1);
    assertThat(forced.status(new Side())).isEqualTo(TaskStatus.COMPLETE);
    assertThat(forced.count(TaskStatus.DONE)).isEqualTo(4);
    assertThat(TestFiles.read(dir.resolve("report"))).isEqualTo("report run 2");
  }

  @Test
  void forceUpstreamOfAFamilyOutsideTheGraphRunsNothing() {
    sluice().build().run(new Report());

    RunResult forced = sluice().forceUpstream(Set.of("Unrelated")).build().run(new Report());

    assertThat(forced.count(TaskStatus.DONE)).isZero();
    assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
  }

  @Test
  void forceOnAFreshRunSimplyRunsEverything() {
    RunResult result = sluice().force(true).build().run(new Report());

    assertThat(result.count(TaskStatus.DONE)).isEqualTo(6);
    assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
  }
}
