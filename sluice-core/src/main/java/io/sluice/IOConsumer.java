package io.sluice;

import java.io.IOException;

/** Code that writes to a stream or writer and may fail with an {@link IOException}. */
@FunctionalInterface
public interface IOConsumer<T> {

  void accept(T value) throws IOException;
}
