package io.sluice.history;

import java.time.Instant;

/**
 * Something that happened to a task that its row does not tell: a retry, a later attempt's start, a note.
 *
 * @param kind {@code RETRYING}, {@code STARTED} or {@code NOTE}
 * @param at when
 * @param attempt the attempt it belongs to, from 1
 * @param message what it said, or null
 */
public record TaskEventRecord(String kind, Instant at, int attempt, String message) {}
