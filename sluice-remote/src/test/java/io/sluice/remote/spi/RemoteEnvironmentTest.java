package io.sluice.remote.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteEnvironmentTest {

  private static final Map<String, String> CALLER = Map.of("PATH", "/usr/bin", "HOME", "/home/me",
      "AWS_SECRET_ACCESS_KEY", "secret", "SLUICE_CONFIG", "x.toml", "CUDA_VISIBLE_DEVICES", "0");

  private static Settings passEnv(Object value) {
    return new Settings(Map.of("remote", Map.of("pass_env", value)));
  }

  @Test
  void byDefaultOnlyTheAllowListAndSluiceVariablesArePassed() {
    assertThat(RemoteEnvironment.from(Settings.empty()).select(CALLER))
        .containsOnlyKeys("PATH", "HOME", "SLUICE_CONFIG");
  }

  @Test
  void passEnvAddsVariables() {
    assertThat(RemoteEnvironment.from(passEnv(List.of("CUDA_VISIBLE_DEVICES"))).select(CALLER))
        .containsOnlyKeys("PATH", "HOME", "SLUICE_CONFIG", "CUDA_VISIBLE_DEVICES");
  }

  @Test
  void aPassEnvThatIsNoListOfNamesIsRefusedSayingWhatItShouldBe() {
    for (Object wrong : List.of("CUDA_VISIBLE_DEVICES", List.of("A,B"), List.of("X=1"), List.of(3))) {
      assertThatThrownBy(() -> RemoteEnvironment.from(passEnv(wrong)))
          .isInstanceOf(SchedulingException.class)
          .hasMessageContaining("[remote] pass_env = " + wrong)
          .hasMessageContaining("pass_env = [\"CUDA_VISIBLE_DEVICES\"");
    }
  }

  @Test
  void sbatchGetsAnExplicitListNeverAll() {
    String export = RemoteEnvironment.defaults().sbatchExport();
    assertThat(export).startsWith("--export=");
    assertThat(export.substring("--export=".length()).split(",")).doesNotContain("ALL");
  }
}
