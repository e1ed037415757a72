package io.sluice.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BomTest {

  @Test
  void bomHasTheVersionOfTheBuildAndListsTheModulesAUserDependsOn() throws Exception {
    // The BOM has no parent (it would pin JUnit, Jackson... for its users): its version is its own.
    String bom = Files.readString(Distribution.repositoryRoot().resolve("sluice-bom/pom.xml"));
    Matcher version = Pattern.compile("<artifactId>sluice-bom</artifactId>\\s*<version>([^<]+)</version>").matcher(bom);

    assertThat(version.find()).isTrue();
    assertThat(version.group(1)).isEqualTo(Distribution.VERSION);
    assertThat(bom).contains("<artifactId>sluice-core</artifactId>", "<artifactId>sluice-remote</artifactId>",
        "<artifactId>sluice-slurm</artifactId>", "<artifactId>sluice-cli</artifactId>").doesNotContain("<parent>");
  }
}
