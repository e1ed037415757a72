package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
    String text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n";

    assertThat(Csv.records(new StringReader(text))).containsExactly(
        List.of("a", "b", "c"),
        List.of("x, y", "say \"hi\"", "two\nlines"),
        List.of("", "", ""));
  }

  @Test
  void whatIsWrittenReadsBackTheSame() throws IOException {
    List<String> fields = List.of("plain", "with, comma", "with \"quote\"", "", "multi\nline");
    StringWriter out = new StringWriter();
    Csv.writeRecord(out, List.of("h1", "h2", "h3", "h4", "h5"));
    Csv.writeRecord(out, fields);

    Csv.Table table = Csv.read(new StringReader(out.toString()), "round trip");

    assertThat(table.rows()).containsExactly(fields);
  }

  @Test
  void aRecordOfTheWrongLengthIsRejectedWithItsNumber() {
    assertThatThrownBy(() -> Csv.read(new StringReader("a,b\n1,2\n3\n"), "short.csv"))
        .hasMessage("short.csv: record 3 has 1 fields but the header has 2");
  }

  @Test
  void anUnterminatedQuoteIsAnError() {
    assertThatThrownBy(() -> Csv.records(new StringReader("a,\"b\n")))
        .hasMessageContaining("unterminated quoted field");
  }
}
