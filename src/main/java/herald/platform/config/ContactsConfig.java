package herald.platform.config;

import java.time.Duration;

/**
 * Contact CSV imports.
 *
 * @param importMaxBytes largest CSV file an import accepts; a larger upload answers 413 and is not
 *     stored
 * @param importBatchRows rows parsed, validated and written per batch (one statement each)
 * @param importConcurrency imports run at once per process; later ones wait as {@code queued}
 * @param importStale an unfinished import whose process has not reported for this long is marked
 *     failed (its process died: the import's transaction was rolled back with it)
 */
public record ContactsConfig(
    long importMaxBytes,
    int importBatchRows,
    int importConcurrency,
    @ConfigKey("import_stale_seconds") Duration importStale) {

  static ContactsConfig from(ConfigNode node) {
    return new ContactsConfig(
        node.integer("import_max_bytes", 1024, Integer.MAX_VALUE),
        node.integer("import_batch_rows", 100, 50_000),
        node.integer("import_concurrency", 1, 16),
        Duration.ofSeconds(node.integer("import_stale_seconds", 3, 3600)));
  }
}
