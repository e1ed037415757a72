package io.sluice.examples;

import io.sluice.Description;
import io.sluice.ExternalTask;
import io.sluice.LocalTarget;

/**
 * The raw Palmer penguins table, shipped in the repository as {@code data/penguins_raw.csv}
 * (see {@code data/README.md}); run the pipeline from the repository root.
 */
@Description("The raw Palmer penguins table, data/penguins_raw.csv")
public record RawPenguins() implements ExternalTask {

  @Override
  public LocalTarget output() {
    return LocalTarget.of("data", "penguins_raw.csv");
  }
}
