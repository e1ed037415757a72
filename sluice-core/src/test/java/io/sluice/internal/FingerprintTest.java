package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text of fingerprint records: what would break a line or a field is escaped, and read back as it was. */
class FingerprintTest {

  @Test
  void textWithTheRecordsSeparatorsIsEscapedAndReadBackAsItWas() {
    for (String text : List.of("a\\b", "tab\there", "new\nline", "cr\rhere", "unit\u001fsep", "\t\\\u001f\r\n", "é\t日")) {
      String escaped = Fingerprint.escape(text);

      assertThat(escaped).doesNotContain("\t", "\n", "\r", "\u001f");
      assertThat(Fingerprint.unescape(escaped)).isEqualTo(text);
    }
  }

  @Test
  void textWithoutSeparatorsIsKeptAsItIs() {
    String path = "/work/out/cell-3-17 (copy) é日";

    assertThat(Fingerprint.escape(path)).isSameAs(path);
  }
}
