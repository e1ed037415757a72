package io.sluice;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parameters of a task with one significant parameter, read-only: most tasks of a large graph
 * have one, often a whole number. The JDK's one-entry map and the boxed number were 48 of the
 * bytes each id held; this keeps the name and the value, a whole number unboxed, in 24 (not an
 * AbstractMap, whose two cached views would add 8).
 */
final class OneParam extends ReadOnlyParams {

  // Marks a value kept in number: no other object is ever this one.
  private static final Object WHOLE_NUMBER = new Object();

  private final String name;
  private final Object value;
  private final int number;

  OneParam(String name, Object value) {
    this.name = name;
    if (value instanceof Integer whole) {
      this.value = WHOLE_NUMBER;
      this.number = whole;
    } else {
      this.value = value;
      this.number = 0;
    }
  }

  String name() {
    return name;
  }

  Object value() {
    return value == WHOLE_NUMBER ? Integer.valueOf(number) : value;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public boolean containsValue(Object candidate) {
    return Objects.equals(value(), candidate);
  }

  @Override
  public Set<String> keySet() {
    return Set.of(name);
  }

  @Override
  public Collection<Object> values() {
    // List.of refuses null, and a parameter's value may be null.
    return java.util.Collections.singletonList(value());
  }

  @Override
  public String toString() {
    return "{" + name + "=" + value() + "}";
  }

  @Override
  public boolean containsKey(Object key) {
    return name.equals(key);
  }

  @Override
  public Object get(Object key) {
    return name.equals(key) ? value() : null;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return java.util.Collections.singleton(new SimpleImmutableEntry<>(name, value()));
  }

  @Override
  public int hashCode() {
    // As every Map: the entry's, name ^ value, without boxing the number.
    return name.hashCode() ^ (value == WHOLE_NUMBER ? Integer.hashCode(number) : Objects.hashCode(value));
  }

  @Override
  public boolean equals(Object other) {
    if (other instanceof OneParam one) {
      return name.equals(one.name) && (value == WHOLE_NUMBER ? one.value == WHOLE_NUMBER && number == one.number
          : Objects.equals(value, one.value));
    }
    if (!(other instanceof Map<?, ?> map) || map.size() != 1) {
      return false;
    }
    Object theirs = map.get(name);
    return (theirs != null || map.containsKey(name)) && Objects.equals(value(), theirs);
  }
}
