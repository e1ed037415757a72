package io.sluice.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV reader and writer: quoted fields may hold commas, doubled quotes and
 * line breaks. Enough for the example's files without pulling in a CSV library.
 */
public final class Csv {

  private Csv() {}

  /**
   * A CSV file in memory: its header and its records.
   *
   * @param source where it was read from, for error messages
   * @param header the column names
   * @param rows the records, each as long as the header
   */
  public record Table(String source, List<String> header, List<List<String>> rows) {

    public Table {
      header = List.copyOf(header);
      rows = List.copyOf(rows);
    }

    /** The index of a column, or an error naming the columns there are. */
    public int column(String name) {
      int index = header.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException("No column '" + name + "' in " + source + "; its columns are " + header);
      }
      return index;
    }
  }

  /** Reads a whole file whose first record is the header. */
  public static Table read(Reader in, String source) throws IOException {
    List<List<String>> records = records(in);
    if (records.isEmpty()) {
      throw new IOException(source + " is empty: expected a header line");
    }
    List<String> header = new ArrayList<>(records.get(0));
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
      header.set(0, header.get(0).substring(1));
    }
    List<List<String>> rows = records.subList(1, records.size());
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).size() != header.size()) {
        throw new IOException(source + ": record " + (i + 2) + " has " + rows.get(i).size()
            + " fields but the header has " + header.size());
      }
    }
    return new Table(source, header, rows);
  }

  /** Parses records; a blank line between records is skipped. */
  static List<List<String>> records(Reader reader) throws IOException {
    Reader in = reader.markSupported() ? reader : new BufferedReader(reader);
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    int c;
    while ((c = in.read()) != -1) {
      if (quoted) {
        if (c == '"') {
          in.mark(1);
          int next = in.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (next != -1) {
              in.reset();
            }
          }
        } else {
          field.append((char) c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          in.mark(1);
          if (in.read() != '\n') {
            in.reset();
          }
        }
        if (fieldStarted || !field.isEmpty() || !record.isEmpty()) {
          record.add(field.toString());
          records.add(List.copyOf(record));
        }
        record.clear();
        field.setLength(0);
        fieldStarted = false;
      } else {
        field.append((char) c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw new IOException("unterminated quoted field at the end of the file");
    }
    if (fieldStarted || !field.isEmpty() || !record.isEmpty()) {
      record.add(field.toString());
      records.add(List.copyOf(record));
    }
    return records;
  }

  /** Writes one record, quoting the fields that need it, and a line break. */
  public static void writeRecord(Writer out, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(quote(fields.get(i)));
    }
    out.write('\n');
  }

  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
