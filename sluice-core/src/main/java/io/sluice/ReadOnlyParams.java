package io.sluice;

import java.util.Map;

/** What the compact parameter maps of task ids share: no field, and no way to change them. */
abstract class ReadOnlyParams implements Map<String, Object> {

  @Override
  public final Object put(String key, Object value) {
    throw unchangeable();
  }

  @Override
  public final Object remove(Object key) {
    throw unchangeable();
  }

  @Override
  public final void putAll(Map<? extends String, ?> other) {
    throw unchangeable();
  }

  @Override
  public final void clear() {
    throw unchangeable();
  }

  private static UnsupportedOperationException unchangeable() {
    return new UnsupportedOperationException("a task id's parameters cannot be changed");
  }
}
