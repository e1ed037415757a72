package io.sluice.remote.spi;

/**
 * A submitted run, as its backend names it.
 *
 * @param backend the backend's name
 * @param id the backend's id for the run (a Slurm job id, a pod name, a local run number)
 * @param spec what was submitted
 */
public record RunHandle(String backend, String id, RunSpec spec) {

  @Override
  public String toString() {
    return backend + ":" + id;
  }
}
