package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void historyTakesAListMeasuredInTheOrderGiven() throws Exception {
    Options options = Options.parse("--history", "off,existing", "--repeat", "3");

    assertThat(options.histories()).containsExactly(HistoryMode.OFF, HistoryMode.EXISTING);
    assertThat(options.repeat()).isEqualTo(3);
  }

  @Test
  void aBareHistoryIsAnExistingOneAndNoHistoryIsNone() throws Exception {
    assertThat(Options.parse("--history", "--cpu").histories()).containsExactly(HistoryMode.EXISTING);
    assertThat(Options.parse("--history=new").histories()).containsExactly(HistoryMode.NEW);
    assertThat(Options.parse("--cpu").histories()).isEmpty();
    assertThat(Options.parse("--history", "off,listener,existing").histories())
        .containsExactly(HistoryMode.OFF, HistoryMode.LISTENER, HistoryMode.EXISTING);
  }

  @Test
  void anUnknownHistoryIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Options.parse("--history", "off,old"))
        .hasMessage("unknown history 'old' (known: off, existing, new, listener)");
  }

  @Test
  void aForkedMeasurementRecordsIntoTheOneHistoryItIsGiven() throws Exception {
    Options options = Options.parse("--history", "off,existing", "--cpu");
    Measurement measurement = new Measurement(Shape.CHAIN, 100, 2, Phase.COLD);

    List<String> args = Options.childArgs(measurement, HistoryMode.OFF, null, Path.of("/tmp/w"), options);

    assertThat(args).containsSubsequence("--history", "off").doesNotContain("existing");
    assertThat(Options.parse(args.toArray(String[]::new)).histories()).containsExactly(HistoryMode.OFF);
    assertThat(Options.childArgs(measurement, null, null, Path.of("/tmp/w"), options)).doesNotContain("--history");
  }

  @Test
  void aForkedMeasurementTakesOneHistoryOnly() {
    assertThatThrownBy(() -> Options.parse("--child", "--dir", "/tmp/w", "--shape", "chain", "--tasks", "10",
        "--workers", "1", "--phase", "cold", "--history", "off,new"))
        .hasMessageContaining("--child measures exactly one case");
  }

  @Test
  void policyTakesAListMeasuredInTheOrderGiven() throws Exception {
    Options options = Options.parse("--policy", "exists,fingerprint", "--policy=mtime", "--phase", "cold");

    assertThat(options.policies()).containsExactly("exists", "fingerprint", "mtime");
    assertThat(Options.parse("--cpu").policies()).isEmpty();
  }

  @Test
  void anUnknownPolicyInAListIsRefused() {
    assertThatThrownBy(() -> Options.parse("--policy", "exists,hash"))
        .hasMessageContaining("\"hash\" is not a policy");
  }

  @Test
  void aForkedMeasurementRunsUnderTheOnePolicyItIsGiven() throws Exception {
    Options options = Options.parse("--policy", "exists,fingerprint", "--cpu");
    Measurement measurement = new Measurement(Shape.FANIN, 100, 2, Phase.COLD);

    List<String> args = Options.childArgs(measurement, null, "fingerprint", Path.of("/tmp/w"), options);

    assertThat(args).containsSubsequence("--policy", "fingerprint").doesNotContain("exists");
    assertThat(Options.parse(args.toArray(String[]::new)).policies()).containsExactly("fingerprint");
    assertThat(Options.childArgs(measurement, null, null, Path.of("/tmp/w"), options)).doesNotContain("--policy");
    assertThatThrownBy(() -> Options.parse("--child", "--dir", "/tmp/w", "--shape", "fanin", "--tasks", "10",
        "--workers", "1", "--phase", "cold", "--policy", "exists,fingerprint"))
        .hasMessageContaining("--child measures exactly one case");
  }
}
