package io.sluice.history.internal;

import io.sluice.TaskId;
import java.util.List;
import java.util.Map;

/** The little JSON the history stores: a task's parameters as an object of strings. */
final class Json {

  private Json() {}

  static String params(TaskId id) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Object> param : id.params().entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      string(json, param.getKey()).append(':');
      string(json, text(param.getValue()));
    }
    return json.append('}').toString();
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      StringBuilder joined = new StringBuilder();
      for (Object item : list) {
        joined.append(joined.length() == 0 ? "" : ",").append(item);
      }
      return joined.toString();
    }
    return String.valueOf(value);
  }

  static StringBuilder string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
