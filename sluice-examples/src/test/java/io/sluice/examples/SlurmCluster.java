package io.sluice.examples;

import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The real Slurm cluster that {@code sudo scripts/slurm-local.sh up} starts, for the tests that need it. */
public final class SlurmCluster {

  private SlurmCluster() {}

  /**
   * Skips the calling test without a cluster, saying how to start one; fails instead when
   * {@code CI=true}, so that CI never passes by skipping.
   */
  public static void require(String what) throws InterruptedException {
    String message = "No Slurm cluster answers 'scontrol ping': start one with 'sudo scripts/slurm-local.sh up'";
    boolean up;
    try {
      Process process = new ProcessBuilder("scontrol", "ping").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      up = process.waitFor(30, TimeUnit.SECONDS) && output.contains("is UP");
    } catch (IOException e) {
      up = false;
    }
    if (!up && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true, so " + what + " must run, but: " + message);
    }
    if (!up) {
      System.err.println("[sluice-examples] SKIPPING " + what + ". " + message);
    }
    assumeThat(up).as(message).isTrue();
  }
}
