package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ExternalTask;
import io.sluice.LocalTarget;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a task must run, kept as a cause and worded only when asked, in the words the user always read. */
class ReasonsTest {

  @TempDir
  Path dir;

  record Files_(Path dir, List<String> names) implements Task {
    @Override
    public List<? extends Target> outputs() {
      return names.stream().map(name -> LocalTarget.of(dir.resolve(name))).toList();
    }

    @Override
    public void run(TaskContext ctx) {}
  }

  record Data(Path dir, String name) implements ExternalTask {
    @Override
    public List<? extends Target> outputs() {
      return List.of(LocalTarget.of(dir.resolve(name)));
    }
  }

  @Test
  void everyTaskWhoseOnlyOutputIsMissingSharesOneCauseWordedPerTask() {
    Task first = new Files_(dir, List.of("a.txt"));
    Task second = new Files_(dir, List.of("b.txt"));

    Reasons one = Reasons.missingOutputs(first, new PresentFiles());
    Reasons other = Reasons.missingOutputs(second, new PresentFiles());

    assertThat(one).isSameAs(other);
    assertThat(one.texts(first)).containsExactly("output " + dir.resolve("a.txt") + " missing");
    assertThat(other.texts(second)).containsExactly("output " + dir.resolve("b.txt") + " missing");
    assertThat(one.count()).isEqualTo(1);
  }

  @Test
  void missingOutputsAreNamedInTheOrderTheTaskDeclaresThemAndPresentOnesNot() throws Exception {
    Files.writeString(dir.resolve("b.txt"), "here");
    Task task = new Files_(dir, List.of("a.txt", "b.txt", "c.txt"));

    Reasons reasons = Reasons.missingOutputs(task, new PresentFiles());

    assertThat(reasons.texts(task)).containsExactly(
        "output " + dir.resolve("a.txt") + " missing", "output " + dir.resolve("c.txt") + " missing");
    assertThat(reasons.count()).isEqualTo(2);
  }

  @Test
  void aTaskWithMoreThanSixtyFourMissingOutputsNamesEveryOne() {
    List<String> names = IntStream.range(0, 70).mapToObj(i -> "out-" + i).toList();
    Task task = new Files_(dir, names);

    List<String> texts = Reasons.missingOutputs(task, new PresentFiles()).texts(task);

    assertThat(texts).hasSize(70);
    assertThat(texts.get(0)).isEqualTo("output " + dir.resolve("out-0") + " missing");
    assertThat(texts.get(69)).isEqualTo("output " + dir.resolve("out-69") + " missing");
  }

  @Test
  void anExternalTasksMissingDataIsCalledExternalData() {
    Task task = new Data(dir, "input.csv");

    assertThat(Reasons.missingOutputs(task, new PresentFiles()).texts(task)).containsExactly("external data " + dir.resolve("input.csv") + " missing");
  }

  @Test
  void presentOutputsGiveNoReason() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "here");

    assertThat(Reasons.missingOutputs(new Files_(dir, List.of("a.txt")), new PresentFiles())).isSameAs(Reasons.NONE);
  }

  @Test
  void upstreamTasksThatWillRunComeAfterTheTasksOwnReasons() {
    Task task = new Files_(dir, List.of("a.txt"));
    Node up = new Node(new Files_(dir, List.of("up.txt")), new TaskId("Up", Map.of("n", 1)), 0);

    Reasons reasons = Reasons.of("parameter trees 100 -> 200").andUpstream(List.of(up));

    assertThat(reasons.texts(task)).containsExactly("parameter trees 100 -> 200", "upstream Up(n=1) will run");
    assertThat(reasons.count()).isEqualTo(2);
  }

  @Test
  void theOutputsOfManyTasksOfOneDirectoryAreFoundFromOneListingAndOnesMadeSinceAreStillFound() throws Exception {
    int count = PresentFiles.LIST_FROM + 50;
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve("leaf-" + i), "");
    }
    PresentFiles present = new PresentFiles();
    for (int i = 0; i < count - 1; i++) {
      assertThat(Reasons.missingOutputs(new Files_(dir, List.of("leaf-" + i)), present)).isSameAs(Reasons.NONE);
    }
    // Listed by now: a file deleted since the listing is taken from it, one made since is asked for.
    Files.delete(dir.resolve("leaf-" + (count - 1)));
    Files.writeString(dir.resolve("made-since"), "");

    assertThat(Reasons.missingOutputs(new Files_(dir, List.of("leaf-" + (count - 1))), present)).isSameAs(Reasons.NONE);
    assertThat(Reasons.missingOutputs(new Files_(dir, List.of("made-since")), present)).isSameAs(Reasons.NONE);
    assertThat(Reasons.missingOutputs(new Files_(dir, List.of("never")), present).count()).isEqualTo(1);
  }
}
