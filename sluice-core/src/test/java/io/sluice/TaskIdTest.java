package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskIdTest {

  @Test
  void rendersFamilyAndParametersInDeclarationOrder() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("date", "2024-01-01");
    params.put("alpha", 0.5);
    params.put("days", List.of(1, List.of(2, 3)));

    assertThat(new TaskId("FitModel", params)).hasToString("FitModel(date=2024-01-01, alpha=0.5, days=[1,[2,3]])");
    assertThat(new TaskId("Hello", Map.of())).hasToString("Hello()");
    assertThat(new TaskId("Link", Map.of("index", 7))).hasToString("Link(index=7)");
  }

  @Test
  void charactersATerminalWouldObeyAreRenderedEscapedAndOthersAsThey() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("words", "a\u001b]0;title\u0007\r\nb\tc\u202ed\u2028");
    params.put("city", "Zürich 東京");
    params.put("list", List.of("x\ny"));

    assertThat(new TaskId("Say", params)).hasToString(
        "Say(words=a\\u001b]0;title\\u0007\\u000d\\u000ab\\u0009c\\u202ed\\u2028, city=Zürich 東京, list=[x\\u000ay])");
    assertThat(new TaskId("Say", params).params().get("words")).as("the value itself").isEqualTo("a\u001b]0;title\u0007\r\nb\tc\u202ed\u2028");
  }

  @Test
  void idsWithEqualParametersAreEqualWhateverMapTheyWereGiven() {
    Map<String, Object> one = new HashMap<>();
    one.put("index", 7);
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("a", 1);
    two.put("b", "x");

    assertThat(new TaskId("Link", one)).isEqualTo(new TaskId("Link", Map.of("index", 7)))
        .hasSameHashCodeAs(new TaskId("Link", Map.of("index", 7)));
    assertThat(new TaskId("Cell", two)).isEqualTo(new TaskId("Cell", Map.of("b", "x", "a", 1)))
        .hasSameHashCodeAs(new TaskId("Cell", Map.of("b", "x", "a", 1)));
  }

  @Test
  void aNullParameterValueIsKeptAndPrinted() {
    Map<String, Object> params = new HashMap<>();
    params.put("label", null);

    assertThat(new TaskId("Tagged", params).params()).containsEntry("label", null);
    assertThat(new TaskId("Tagged", params)).hasToString("Tagged(label=null)");
    assertThat(new TaskId("Tagged", params).params()).isEqualTo(params).hasSameHashCodeAs(params);
    assertThat(params).isEqualTo(new TaskId("Tagged", params).params());
    assertThat(new TaskId("Tagged", params).params()).isNotEqualTo(Map.of("other", 1));
  }

  @Test
  void parametersCannotBeChangedThroughTheId() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("index", 1);
    TaskId id = new TaskId("Link", params);
    params.put("index", 2);

    assertThat(id.params()).containsEntry("index", 1);
    assertThatThrownBy(() -> id.params().put("index", 3)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anIdOfOneParameterEqualsAndHashesAsTheSameIdMadeFromAnyMap() {
    Map<String, Object> whole = new HashMap<>();
    whole.put("i", 123_456);
    TaskId id = new TaskId("Leaf", whole);

    assertThat(id).isEqualTo(new TaskId("Leaf", Map.of("i", 123_456)))
        .hasSameHashCodeAs(new TaskId("Leaf", Map.of("i", 123_456)))
        .isNotEqualTo(new TaskId("Leaf", Map.of("i", 123_457)))
        .isNotEqualTo(new TaskId("Leaf", Map.of("i", 123_456L)))
        .isNotEqualTo(new TaskId("Leaf", Map.of("j", 123_456)))
        .hasToString("Leaf(i=123456)");
    assertThat(id.params()).isEqualTo(Map.of("i", 123_456)).hasSameHashCodeAs(Map.of("i", 123_456))
        .containsExactly(Map.entry("i", 123_456));
    assertThat(Map.of("i", 123_456)).isEqualTo(id.params());
    assertThat(id.params().get("i")).isEqualTo(123_456);
    assertThat(id.params().get("j")).isNull();
    assertThat(new TaskId("Leaf", Map.of("name", "a"))).isEqualTo(new TaskId("Leaf", new HashMap<>(Map.of("name", "a"))))
        .hasSameHashCodeAs(new TaskId("Leaf", new HashMap<>(Map.of("name", "a"))))
        .hasToString("Leaf(name=a)");
    assertThatThrownBy(() -> id.params().put("i", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  record Part(@Param(significant = false) String dir, int index) implements Task {}

  record Named(String name, @Param(significant = false) int retries) implements Task {}

  @Test
  void theIdOfATaskWithOneSignificantParameterIsTheIdOfThatParameterAlone() {
    assertThat(new Part("out", 7).id()).isEqualTo(new TaskId("Part", Map.of("index", 7)))
        .hasSameHashCodeAs(new TaskId("Part", Map.of("index", 7)))
        .isEqualTo(new Part("elsewhere", 7).id())
        .hasToString("Part(index=7)");
    Map<String, Object> none = new HashMap<>();
    none.put("name", null);
    assertThat(new Named(null, 3).id()).isEqualTo(new TaskId("Named", none)).hasToString("Named(name=null)");
    assertThat(new Named("a", 3).id().params()).containsExactly(Map.entry("name", "a"));
  }

  record Cell(int layer, @Param(significant = false) String dir, String name, List<Integer> days) implements Task {}

  @Test
  void theIdOfATaskWithSeveralSignificantParametersEqualsAndHashesAsTheSameIdMadeFromAnyMap() {
    Map<String, Object> given = new HashMap<>();
    given.put("days", List.of(1, 2));
    given.put("name", "a");
    given.put("layer", 3);
    TaskId id = new Cell(3, "out", "a", List.of(1, 2)).id();

    assertThat(id).isEqualTo(new TaskId("Cell", given)).hasSameHashCodeAs(new TaskId("Cell", given))
        .isEqualTo(new Cell(3, "elsewhere", "a", List.of(1, 2)).id())
        .isNotEqualTo(new Cell(4, "out", "a", List.of(1, 2)).id())
        .isNotEqualTo(new Cell(3, "out", "b", List.of(1, 2)).id())
        .hasToString("Cell(layer=3, name=a, days=[1,2])");
    assertThat(id.params()).containsExactly(Map.entry("layer", 3), Map.entry("name", "a"), Map.entry("days", List.of(1, 2)))
        .isEqualTo(given).hasSameHashCodeAs(given);
    assertThat(given).isEqualTo(id.params());
    assertThat(id.params().keySet()).containsExactly("layer", "name", "days");
    assertThat(id.params().values()).containsExactly(3, "a", List.of(1, 2));
    assertThat(id.params().get("name")).isEqualTo("a");
    assertThat(id.params().get("dir")).isNull();
    assertThat(id.params()).doesNotContainKey("dir").isNotEqualTo(Map.of("layer", 3, "name", "a"));
    assertThatThrownBy(() -> id.params().put("layer", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> id.params().entrySet().iterator().next().setValue(1))
        .isInstanceOf(UnsupportedOperationException.class);

    Map<String, Object> withNull = new HashMap<>();
    withNull.put("layer", 3);
    withNull.put("name", null);
    withNull.put("days", null);
    TaskId nulls = new Cell(3, "out", null, null).id();
    assertThat(nulls).isEqualTo(new TaskId("Cell", withNull)).hasSameHashCodeAs(new TaskId("Cell", withNull))
        .hasToString("Cell(layer=3, name=null, days=null)");
    Map<String, Object> other = new HashMap<>(withNull);
    other.remove("days");
    other.put("week", null);
    assertThat(nulls.params()).isNotEqualTo(other);
  }
}
