package io.sluice.history;

import java.time.Instant;

/**
 * A task lease as the history holds it: who holds the task, since which heartbeat, until when.
 *
 * @param taskId the task's id
 * @param holder the run, host and process holding it
 * @param epoch the lease's fencing epoch
 * @param heartbeatAt the holder's last heartbeat
 * @param expiresAt when the lease lapses unless renewed
 */
public record HeldLease(String taskId, LeaseHolder holder, long epoch, Instant heartbeatAt, Instant expiresAt) {}
