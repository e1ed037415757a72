package io.sluice.internal;

import io.sluice.RunScope;
import io.sluice.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RunScope} of one engine run: its shared objects, closed in reverse order of making. */
final class SharedObjects implements RunScope, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedObjects.class);

  private final Settings settings;
  private final Map<Class<?>, Object> objects = new ConcurrentHashMap<>();
  private final List<Object> made = new ArrayList<>();

  SharedObjects(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public <T> T shared(Class<T> type, Function<Settings, ? extends T> create) {
    // Not computeIfAbsent: creating one object may ask for another (a session for its backend).
    Object existing = objects.get(type);
    if (existing != null) {
      return type.cast(existing);
    }
    synchronized (this) {
      existing = objects.get(type);
      if (existing != null) {
        return type.cast(existing);
      }
      T object = create.apply(settings);
      objects.put(type, object);
      made.add(object);
      return object;
    }
  }

  @Override
  public synchronized void close() {
    for (int i = made.size() - 1; i >= 0; i--) {
      if (made.get(i) instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("Closing {} at the end of the run failed: {}", made.get(i).getClass().getSimpleName(), e.toString());
        }
      }
    }
    made.clear();
    objects.clear();
  }
}
