package io.sluice.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns raw parameter values (strings or configuration values) into parameter types. */
public final class ParamConverter {

  private ParamConverter() {}

  /** Whether values of this type can be parameters. */
  public static boolean supports(Type type) {
    if (type instanceof ParameterizedType p) {
      return p.getRawType() == List.class && supports(p.getActualTypeArguments()[0]);
    }
    if (!(type instanceof Class<?> c)) {
      return false;
    }
    return c == String.class || c == int.class || c == Integer.class || c == long.class
        || c == Long.class || c == double.class || c == Double.class || c == boolean.class
        || c == Boolean.class || c.isEnum() || c == LocalDate.class || c == LocalDateTime.class
        || c == Duration.class || c == Path.class;
  }

  /**
   * Converts {@code raw} to {@code type}.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Object convert(Object raw, Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
      Type element = p.getActualTypeArguments()[0];
      List<?> items;
      if (raw instanceof List<?> list) {
        items = list;
      } else if (raw instanceof String s) {
        items = listItems(s);
      } else {
        items = List.of(raw);
      }
      List<Object> converted = new ArrayList<>();
      for (Object item : items) {
        converted.add(convert(item, element));
      }
      return List.copyOf(converted);
    }
    Class<?> c = (Class<?>) type;
    if (c.isInstance(raw) || (c.isPrimitive() && wrapper(c).isInstance(raw))) {
      return raw;
    }
    String s = String.valueOf(raw).trim();
    try {
      if (c == String.class) {
        return String.valueOf(raw);
      }
      if (c == int.class || c == Integer.class) {
        return raw instanceof Number n && isIntegral(n) ? Math.toIntExact(exactLong(n)) : Integer.parseInt(s);
      }
      if (c == long.class || c == Long.class) {
        return raw instanceof Number n && isIntegral(n) ? exactLong(n) : Long.parseLong(s);
      }
      if (c == double.class || c == Double.class) {
        return raw instanceof Number n ? n.doubleValue() : parseDouble(s);
      }
      if (c == boolean.class || c == Boolean.class) {
        return switch (s.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "1" -> true;
          case "false", "no", "0" -> false;
          default -> throw new IllegalArgumentException();
        };
      }
      if (c.isEnum()) {
        for (Object constant : c.getEnumConstants()) {
          if (((Enum<?>) constant).name().equalsIgnoreCase(s)) {
            return constant;
          }
        }
        throw new IllegalArgumentException();
      }
      if (c == LocalDate.class) {
        return LocalDate.parse(s);
      }
      if (c == LocalDateTime.class) {
        return LocalDateTime.parse(s);
      }
      if (c == Duration.class) {
        return parseDuration(s);
      }
      if (c == Path.class) {
        return Path.of(s);
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("expected " + expected(type), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected " + expected(type), e);
    }
    throw new IllegalArgumentException("unsupported parameter type " + typeName(type));
  }

  // A decimal number as written by people and TOML: not Java's hexadecimal form or its d and f suffixes ("1d" is no double).
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(NaN|Infinity|(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?)");

  /** A decimal number; NaN and Infinity as Java writes them, but not a number too large for a double taken as infinite. */
  private static double parseDouble(String s) {
    if (!DECIMAL.matcher(s).matches()) {
      throw new NumberFormatException("not a decimal number: " + s);
    }
    double value = Double.parseDouble(s);
    if (Double.isInfinite(value) && !s.endsWith("Infinity")) {
      throw new NumberFormatException("beyond the range of a double: " + s);
    }
    return value;
  }

  /** The value of a whole number, refused when it does not fit a long (a TOML integer may be a BigInteger). */
  private static long exactLong(Number n) {
    return n instanceof java.math.BigInteger big ? big.longValueExact() : n.longValue();
  }

  /** What a value of this type looks like, for error messages. */
  public static String expected(Type type) {
    if (type instanceof ParameterizedType p) {
      return "a comma-separated list (in brackets or not) of " + expected(p.getActualTypeArguments()[0]);
    }
    Class<?> c = (Class<?>) type;
    if (c == int.class || c == Integer.class) {
      return "an int (a whole number)";
    }
    if (c == long.class || c == Long.class) {
      return "a long (a whole number)";
    }
    if (c == double.class || c == Double.class) {
      return "a double (a number such as 0.5)";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "a boolean (true or false)";
    }
    if (c.isEnum()) {
      return "one of " + Arrays.stream(c.getEnumConstants())
          .map(e -> ((Enum<?>) e).name()).collect(Collectors.joining(", "));
    }
    if (c == LocalDate.class) {
      return "a date such as 2024-01-31";
    }
    if (c == LocalDateTime.class) {
      return "a date-time such as 2024-01-31T12:00";
    }
    if (c == Duration.class) {
      return "a duration such as 90s, 5m, 2h, 1d or PT1H30M";
    }
    if (c == Path.class) {
      return "a path";
    }
    return "a string";
  }

  /**
   * The items of a list written as text: comma-separated, in brackets or not ({@code 1,2},
   * {@code [1, 2]}, {@code ["a", "b"]} as Luigi's list parameters and TOML write them), an item in
   * double quotes taken without them; blank or {@code []} for none.
   */
  private static List<String> listItems(String text) {
    String s = text.strip();
    if (s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isBlank()) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (String item : s.split(",")) {
      String trimmed = item.strip();
      boolean quoted = trimmed.length() >= 2 && trimmed.charAt(0) == '"' && trimmed.charAt(trimmed.length() - 1) == '"';
      items.add(quoted ? trimmed.substring(1, trimmed.length() - 1) : trimmed);
    }
    return items;
  }

  /** The type as written in code, such as {@code List<LocalDate>}. */
  public static String typeName(Type type) {
    if (type instanceof ParameterizedType p) {
      return ((Class<?>) p.getRawType()).getSimpleName() + "<"
          + typeName(p.getActualTypeArguments()[0]) + ">";
    }
    return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
  }

  /** Parses {@code 90s}, {@code 250ms}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT1H}. */
  public static Duration parseDuration(String s) {
    String text = s.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("p")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    int split = 0;
    while (split < text.length() && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '.')) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("not a duration: " + s);
    }
    double amount = Double.parseDouble(text.substring(0, split));
    double millis = switch (text.substring(split).trim()) {
      case "ms" -> amount;
      case "", "s" -> amount * 1000;
      case "m", "min" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      case "d" -> amount * 86_400_000;
      default -> throw new IllegalArgumentException("not a duration: " + s);
    };
    return Duration.ofMillis(Math.round(millis));
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger;
  }

  private static Class<?> wrapper(Class<?> primitive) {
    if (primitive == int.class) {
      return Integer.class;
    }
    if (primitive == long.class) {
      return Long.class;
    }
    if (primitive == double.class) {
      return Double.class;
    }
    if (primitive == boolean.class) {
      return Boolean.class;
    }
    return primitive;
  }
}
