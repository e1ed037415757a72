package io.sluice.internal;

/**
 * Text from parameters and tasks made safe to print on a terminal: the characters a terminal
 * obeys rather than shows (escape sequences that recolour, clear or retitle it, a bell, a
 * carriage return that overwrites the line) and those that reorder or break a line as shown
 * (bidirectional overrides, line separators) are written as {@code \\uXXXX}. A parameter's value
 * otherwise reaches the terminal, and the log, as its author or attacker wrote it.
 */
public final class Printable {

  private Printable() {}

  /** {@code text} with every such character escaped, newlines too: one line stays one line. */
  public static String line(String text) {
    return escaped(text, false);
  }

  /** {@code text} with every such character escaped but its newlines and tabs (a message of several lines). */
  public static String lines(String text) {
    return escaped(text, true);
  }

  /** Appends {@code text} to {@code out} as {@link #line} gives it, without a copy when nothing needs escaping. */
  public static void appendLine(StringBuilder out, String text) {
    int first = firstUnprintable(text, false);
    if (first < 0) {
      out.append(text);
      return;
    }
    out.append(text, 0, first);
    escapeFrom(out, text, first, false);
  }

  private static String escaped(String text, boolean keepLines) {
    if (text == null) {
      return null;
    }
    int first = firstUnprintable(text, keepLines);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    escapeFrom(out, text, first, keepLines);
    return out.toString();
  }

  private static void escapeFrom(StringBuilder out, String text, int from, boolean keepLines) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (unprintable(c, keepLines)) {
        out.append("\\u").append(Character.forDigit(c >> 12, 16)).append(Character.forDigit((c >> 8) & 0xf, 16))
            .append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
      } else {
        out.append(c);
      }
    }
  }

  private static int firstUnprintable(String text, boolean keepLines) {
    for (int i = 0; i < text.length(); i++) {
      if (unprintable(text.charAt(i), keepLines)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean unprintable(char c, boolean keepLines) {
    if (c >= 0x20 && c < 0x7f) {
      return false;  // the common case first
    }
    if (c < 0x20) {
      return !(keepLines && (c == '\n' || c == '\t'));
    }
    return c <= 0x9f  // DEL and the C1 controls (a lone 0x9b starts an escape sequence on some terminals)
        || c == 0x2028 || c == 0x2029  // line and paragraph separators
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)  // bidirectional embeddings, overrides, isolates
        || c == 0x200e || c == 0x200f || c == 0x061c;  // direction marks
  }
}
