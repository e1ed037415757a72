package io.sluice.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Entries gathered in a list, seen as a read-only map for the one reader that copies them: the
 * run's result, which makes its own ordered map of them. A map built first and copied again cost
 * a second hashing of every task id of the run. Lookups walk the list: only copy it.
 */
final class ListedEntries<K, V> extends AbstractMap<K, V> {

  private final List<K> keys;
  private final List<V> values;

  ListedEntries(int expected) {
    keys = new ArrayList<>(expected);
    values = new ArrayList<>(expected);
  }

  /** Adds an entry; the caller keeps the keys distinct. */
  void add(K key, V value) {
    keys.add(key);
    values.add(value);
  }

  @Override
  public List<V> values() {
    return java.util.Collections.unmodifiableList(values);
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.size();
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.size();
          }

          @Override
          public Map.Entry<K, V> next() {
            if (next >= keys.size()) {
              throw new NoSuchElementException();
            }
            int at = next++;
            return new SimpleImmutableEntry<>(keys.get(at), values.get(at));
          }
        };
      }
    };
  }
}
