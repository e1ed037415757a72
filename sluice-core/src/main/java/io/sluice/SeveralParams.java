package io.sluice;

import java.util.AbstractCollection;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The parameters of a task with two significant parameters or more, read-only, in declaration
 * order: the names are one array shared by every task of the type, the values one array per task.
 * A LinkedHashMap behind an unmodifiable view was seven objects and about 250 bytes of each id of
 * a two-parameter task, and a large graph's young collections copied each of them.
 */
final class SeveralParams extends ReadOnlyParams {

  private final String[] names;
  private final Object[] values;

  /** Takes both arrays as they are: {@code names} is shared and never written, {@code values} is this map's own. */
  SeveralParams(String[] names, Object[] values) {
    this.names = names;
    this.values = values;
  }

  /** A copy of {@code params} in its iteration order; null when one of its names is null (no array of names holds it). */
  static SeveralParams copyOf(Map<String, Object> params) {
    String[] names = new String[params.size()];
    Object[] values = new Object[names.length];
    int i = 0;
    for (Map.Entry<String, Object> param : params.entrySet()) {
      if (param.getKey() == null) {
        return null;
      }
      names[i] = param.getKey();
      values[i++] = param.getValue();
    }
    return new SeveralParams(names, values);
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public boolean isEmpty() {
    return names.length == 0;
  }

  private int indexOf(Object name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name || names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public boolean containsValue(Object value) {
    for (Object own : values) {
      if (Objects.equals(own, value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Object get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }



  @Override
  public Set<String> keySet() {
    return new View<>(i -> names[i]);
  }

  @Override
  public Collection<Object> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<Object> iterator() {
        return new Walk<>(i -> values[i]);
      }

      @Override
      public int size() {
        return names.length;
      }
    };
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new View<>(i -> new SimpleImmutableEntry<>(names[i], values[i]));
  }

  @Override
  public int hashCode() {
    // As every Map: the sum of its entries' hashes.
    int hash = 0;
    for (int i = 0; i < names.length; i++) {
      hash += names[i].hashCode() ^ Objects.hashCode(values[i]);
    }
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    if (other == this) {
      return true;
    }
    if (other instanceof SeveralParams several && several.names == names) {
      return Arrays.equals(values, several.values);
    }
    if (!(other instanceof Map<?, ?> map) || map.size() != names.length) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      Object theirs = map.get(names[i]);
      if (!Objects.equals(values[i], theirs) || theirs == null && !map.containsKey(names[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      text.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
    }
    return text.append('}').toString();
  }

  /** A read-only set of what {@code at} gives for each position, in order. */
  private final class View<T> extends AbstractSet<T> {
    private final IntFunction<T> at;

    View(IntFunction<T> at) {
      this.at = at;
    }

    @Override
    public Iterator<T> iterator() {
      return new Walk<>(at);
    }

    @Override
    public int size() {
      return names.length;
    }
  }

  private final class Walk<T> implements Iterator<T> {
    private final IntFunction<T> at;
    private int next;

    Walk(IntFunction<T> at) {
      this.at = at;
    }

    @Override
    public boolean hasNext() {
      return next < names.length;
    }

    @Override
    public T next() {
      if (next >= names.length) {
        throw new NoSuchElementException();
      }
      return at.apply(next++);
    }
  }
}
