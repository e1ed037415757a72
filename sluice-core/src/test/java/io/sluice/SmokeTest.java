package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir static Path dir;

  record Leaf(int i) implements Task {
    public LocalTarget output() { return LocalTarget.of(dir.resolve("leaf-" + i)); }
    public void run(TaskContext ctx) throws Exception { output().writeString("x" + i); }
  }

  record Root() implements Task {
    public List<Task> requires() { return IntStream.range(0, 100).mapToObj(i -> (Task) new Leaf(i)).toList(); }
    public LocalTarget output() { return LocalTarget.of(dir.resolve("root")); }
    public void run(TaskContext ctx) throws Exception {
      StringBuilder b = new StringBuilder();
      for (Target t : ctx.inputs()) b.append(((LocalTarget) t).readString());
      output().writeString(b.toString());
    }
  }

  @Test
  void runsFanIn() {
    RunResult result = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build().run(new Root());
    System.out.println(result.summary());
    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.count(TaskStatus.DONE)).isEqualTo(101);
    RunResult again = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build().run(new Root());
    System.out.println(again.summary());
    assertThat(again.count(TaskStatus.DONE)).isZero();
  }
}
