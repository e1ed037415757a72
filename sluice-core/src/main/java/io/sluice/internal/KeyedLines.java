package io.sluice.internal;

import java.util.Arrays;

/**
 * The lines of a file read into one byte array, found by a key that is part of each line: an
 * open-addressing table of offsets into the array, the later line of a key winning. A hundred
 * thousand lines kept this way are a few arrays instead of hundreds of thousands of strings and
 * map entries, which the garbage collector would copy at every collection while a run goes on.
 * Filled by one thread, then read by any number.
 */
final class KeyedLines {

  private final byte[] text;
  // Per entry: where its key and its line start and end (the line without its newline).
  private int[] keyStart;
  private int[] keyEnd;
  private int[] lineStart;
  private int[] lineEnd;
  private int[] keyHash;
  private int size;
  // Entry number + 1 per slot, 0 for an empty slot; the length is a power of two.
  private int[] slots;

  KeyedLines(byte[] text, int expectedLines) {
    this.text = text;
    int capacity = Math.max(16, expectedLines);
    keyStart = new int[capacity];
    keyEnd = new int[capacity];
    lineStart = new int[capacity];
    lineEnd = new int[capacity];
    keyHash = new int[capacity];
    slots = new int[Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) * 2];
  }

  /** The file's bytes, which the offsets below point into. */
  byte[] text() {
    return text;
  }

  /** Adds the line {@code [start, end)} under the key {@code text[from, to)}, replacing an earlier line of that key. */
  void add(int from, int to, int start, int end) {
    int hash = hash(text, from, to);
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        if (size == keyStart.length) {
          grow();
          add(from, to, start, end);
          return;
        }
        keyStart[size] = from;
        keyEnd[size] = to;
        lineStart[size] = start;
        lineEnd[size] = end;
        keyHash[size] = hash;
        slots[slot] = ++size;
        return;
      }
      if (keyHash[entry] == hash && Arrays.equals(text, keyStart[entry], keyEnd[entry], text, from, to)) {
        keyStart[entry] = from;
        keyEnd[entry] = to;
        lineStart[entry] = start;
        lineEnd[entry] = end;
        return;
      }
    }
  }

  /** The entry of the key, or -1. */
  int find(byte[] key) {
    int hash = hash(key, 0, key.length);
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        return -1;
      }
      if (keyHash[entry] == hash && Arrays.equals(text, keyStart[entry], keyEnd[entry], key, 0, key.length)) {
        return entry;
      }
    }
  }

  /** How many distinct keys. */
  int size() {
    return size;
  }

  int lineStart(int entry) {
    return lineStart[entry];
  }

  int lineEnd(int entry) {
    return lineEnd[entry];
  }

  private void grow() {
    int capacity = keyStart.length * 2;
    keyStart = Arrays.copyOf(keyStart, capacity);
    keyEnd = Arrays.copyOf(keyEnd, capacity);
    lineStart = Arrays.copyOf(lineStart, capacity);
    lineEnd = Arrays.copyOf(lineEnd, capacity);
    keyHash = Arrays.copyOf(keyHash, capacity);
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int entry = 0; entry < size; entry++) {
      int slot = keyHash[entry] & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }
  }

  private static int hash(byte[] bytes, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + bytes[i];
    }
    // Spread the high bits down: paths differing in their last characters differ in the low bits anyway.
    return h ^ (h >>> 16);
  }
}
