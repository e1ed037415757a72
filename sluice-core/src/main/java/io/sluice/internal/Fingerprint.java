package io.sluice.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a task's outputs were built from: its family and significant parameters, its code (by
 * name: its class, the files it declares as code, its environment) and the content hashes of its
 * input files. Two fingerprints that differ say how, in words a user can act on.
 *
 * @param family the task's family
 * @param params significant parameter values by name, as text
 * @param code code versions by name
 * @param inputs content hashes by input path, in the order of what the task requires (as read
 *     from the journal: by position, {@code #0}, {@code #1}, ...)
 */
record Fingerprint(String family, Map<String, String> params, Map<String, String> code, Map<String, String> inputs) {

  private static final char SEPARATOR = '\u001f';

  /** The name under which a program's command is recorded among its code (as a digest). */
  static final String COMMAND = "command";

  /** The name under which the inputs of a task reading very many files are recorded as one digest. */
  static final String MANY_INPUTS = "*";

  Fingerprint {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    code = Collections.unmodifiableMap(new LinkedHashMap<>(code));
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  /** Why outputs built from {@code recorded} are out of date for this fingerprint; empty when none. */
  List<String> differencesFrom(Fingerprint recorded) {
    List<String> reasons = new ArrayList<>();
    if (!family.equals(recorded.family)) {
      reasons.add("outputs were built by " + recorded.family);
    }
    for (String name : union(params, recorded.params)) {
      String now = params.get(name);
      String before = recorded.params.get(name);
      if (!Objects.equals(now, before)) {
        // The values shown escaped only: they may hold characters a terminal obeys (see Printable).
        reasons.add(before == null ? "parameter " + name + " added (" + Printable.line(now) + ")"
            : now == null ? "parameter " + name + " removed (was " + Printable.line(before) + ")"
            : "parameter " + name + " " + Printable.line(before) + " -> " + Printable.line(now));
      }
    }
    for (String name : union(code, recorded.code)) {
      if (!Objects.equals(code.get(name), recorded.code.get(name))) {
        reasons.add(name.equals(COMMAND) ? "command changed" : "code changed (" + name + ")");
      }
    }
    // The journal keeps the input hashes in order, not their paths (those of the inputs now name them).
    List<String> paths = new ArrayList<>(inputs.keySet());
    List<String> now = new ArrayList<>(inputs.values());
    List<String> before = new ArrayList<>(recorded.inputs.values());
    if (now.size() != before.size() || !paths.isEmpty() && paths.get(0).startsWith(MANY_INPUTS)
        != recorded.inputs.keySet().stream().anyMatch(k -> k.startsWith(MANY_INPUTS))) {
      reasons.add("its inputs changed (" + inputCount(inputs) + " files, " + inputCount(recorded.inputs) + " before)");
    } else {
      for (int i = 0; i < now.size(); i++) {
        if (!now.get(i).equals(before.get(i))) {
          reasons.add(paths.get(i).startsWith(MANY_INPUTS)
              ? "one or more of its inputs changed (" + paths.get(i).substring(MANY_INPUTS.length()) + ")"
              : "input " + paths.get(i) + " changed");
        }
      }
    }
    return reasons;
  }

  private static String inputCount(Map<String, String> inputs) {
    if (inputs.size() == 1) {
      String only = inputs.keySet().iterator().next();
      if (only.startsWith(MANY_INPUTS)) {
        return only.substring(MANY_INPUTS.length(), only.indexOf(' '));
      }
    }
    return Integer.toString(inputs.size());
  }

  private static Set<String> union(Map<String, String> a, Map<String, String> b) {
    Set<String> names = new LinkedHashSet<>(a.keySet());
    names.addAll(b.keySet());
    return names;
  }

  /** The four parts of a journal line (family, parameters, code, inputs), tab-separated, without key or newline. */
  String encodeBody() {
    return encodeBody(family, params, code, inputs);
  }

  /** What {@link #encodeBody()} gives for a fingerprint of these parts, without making one. */
  static String encodeBody(String family, Map<String, String> params, Map<String, String> code, Map<String, String> inputs) {
    return appendBody(new StringBuilder(96), family, params, code, inputs).toString();
  }

  private static StringBuilder appendBody(StringBuilder line, String family, Map<String, String> params,
      Map<String, String> code, Map<String, String> inputs) {
    line.append(escape(family)).append('\t');
    pairs(line, params, false);
    line.append('\t');
    pairs(line, code, true);
    line.append('\t');
    return appendInputs(line, inputs);
  }

  /** The inputs part of a line (see {@link #encodeBody()}): their hashes in order, or the one digest of many, named. */
  static StringBuilder appendInputs(StringBuilder line, Map<String, String> inputs) {
    boolean first = true;
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      if (!first) {
        line.append(SEPARATOR);
      }
      line.append(input.getValue());
      if (input.getKey().startsWith(MANY_INPUTS)) {
        line.append('=').append(escape(input.getKey()));
      }
      first = false;
    }
    return line;
  }

  /** One input's hash in the inputs part of a line, as {@link #appendInputs} writes it; {@code first}: whether it opens the part. */
  static StringBuilder appendInputHash(StringBuilder line, boolean first, String hash) {
    return first ? line.append(hash) : line.append(SEPARATOR).append(hash);
  }

  /**
   * One pair of a parameters part ({@code hashFirst} false) or a code part (true), as {@link
   * #encodeBody()} writes them; {@code first}: whether it opens its part.
   */
  static StringBuilder appendPair(StringBuilder line, boolean first, String name, String value, boolean hashFirst) {
    if (!first) {
      line.append(SEPARATOR);
    }
    return hashFirst ? line.append(value).append('=').append(escape(name))
        : line.append(name).append('=').append(escape(value));
  }

  /** The fingerprint of a journal line's {@link #encodeBody() body}, or null for a torn or foreign one. */
  static Fingerprint decodeBody(String body) {
    String[] fields = body.split("\t", -1);
    if (fields.length != 4) {
      return null;
    }
    try {
      return new Fingerprint(unescape(fields[0]), unpairs(fields[1], false), unpairs(fields[2], true), inputsOf(fields[3]));
    } catch (RuntimeException e) {
      return null;
    }
  }

  // Hashes never hold '=', names of parameters neither: the side without '=' comes first.
  static void pairs(StringBuilder out, Map<String, String> values, boolean hashFirst) {
    boolean first = true;
    for (Map.Entry<String, String> e : values.entrySet()) {
      appendPair(out, first, e.getKey(), e.getValue(), hashFirst);
      first = false;
    }
  }

  /** Input hashes by position ({@code #0}, {@code #1}, ...), or the one digest of many, by its name. */
  private static Map<String, String> inputsOf(String field) {
    Map<String, String> inputs = new LinkedHashMap<>();
    if (field.isEmpty()) {
      return inputs;
    }
    String[] hashes = field.split(String.valueOf(SEPARATOR), -1);
    for (int i = 0; i < hashes.length; i++) {
      int equals = hashes[i].indexOf('=');
      if (equals >= 0) {
        inputs.put(unescape(hashes[i].substring(equals + 1)), hashes[i].substring(0, equals));
      } else {
        inputs.put("#" + i, hashes[i]);
      }
    }
    return inputs;
  }

  private static Map<String, String> unpairs(String field, boolean hashFirst) {
    Map<String, String> values = new LinkedHashMap<>();
    if (field.isEmpty()) {
      return values;
    }
    for (String pair : field.split(String.valueOf(SEPARATOR), -1)) {
      int equals = pair.indexOf('=');
      String left = pair.substring(0, equals);
      String right = unescape(pair.substring(equals + 1));
      if (hashFirst) {
        values.put(right, left);
      } else {
        values.put(left, right);
      }
    }
    return values;
  }

  static String escape(String text) {
    if (!needsEscape(text)) {
      return text;
    }
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        .replace(String.valueOf(SEPARATOR), "\\u");
  }

  // One pass over the text rather than one search per character escaped: every task's record
  // line escapes its outputs' paths.
  private static boolean needsEscape(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\' || c < ' ' && (c == '\t' || c == '\n' || c == '\r' || c == SEPARATOR)) {
        return true;
      }
    }
    return false;
  }

  static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        out.append(switch (next) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 'u' -> SEPARATOR;
          default -> next;
        });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
