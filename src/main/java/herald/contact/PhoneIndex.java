package herald.contact;

/**
 * The row where each phone number of an import first appeared, so a later row with the same number
 * is reported as its duplicate. E.164 numbers are at most 15 digits, so each is kept as a {@code
 * long} in open-addressing arrays: at most 24 bytes a number (24 MB for a million rows), instead of
 * several times that with strings in a hash map. Not thread-safe.
 */
final class PhoneIndex {
  private static final long EMPTY = 0; // no E.164 number is 0: country codes do not start with 0

  private long[] keys = new long[1 << 12];
  private int[] rows = new int[1 << 12];
  private int size;

  /** The digits of an E.164 number ({@code +33612345678}) as a key. */
  static long key(String e164) {
    return Long.parseLong(e164, 1, e164.length(), 10);
  }

  /**
   * Remembers that {@code row} holds {@code key} unless an earlier row did; returns that earlier
   * row, or 0 when the number is new.
   */
  long putIfAbsent(long key, long row) {
    int mask = keys.length - 1;
    int slot = mix(key) & mask;
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        return rows[slot];
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    rows[slot] = Math.toIntExact(row);
    if (++size * 2 > keys.length) {
      grow();
    }
    return 0;
  }

  int size() {
    return size;
  }

  /** Makes room for {@code expected} numbers at once, instead of doubling up to it. */
  void reserve(long expected) {
    long wanted = Long.highestOneBit(Math.max(expected, 1) * 2 - 1) * 2;
    while (keys.length < wanted && keys.length < (1 << 30)) {
      grow();
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldRows = rows;
    keys = new long[oldKeys.length * 2];
    rows = new int[oldRows.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = mix(oldKeys[i]) & mask;
        while (keys[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        rows[slot] = oldRows[i];
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
